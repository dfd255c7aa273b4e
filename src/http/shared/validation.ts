import { zValidator } from '@hono/zod-validator'
import type { MiddlewareHandler, ValidationTargets } from 'hono'
import { resolver, uniqueSymbol } from 'hono-openapi'
import type { z } from 'zod'
import { AppError, validationError } from '../../platform/lib/errors.js'
import { controlCharacterFields } from '../../platform/lib/text.js'

/**
 * `zValidator` whose failures become our 422 shape, and which refuses control characters in any field
 * whatever its schema says. The same schema is handed to the OpenAPI document (hono-openapi reads it from
 * the middleware), so what is validated is what is documented.
 */
export const validate = <Target extends keyof ValidationTargets, Schema extends z.ZodType>(target: Target, schema: Schema) =>
  Object.assign(
    zValidator(target, schema, (result) => {
      if (!result.success) throw validationError(result.error)
      const controls = controlCharacterFields(result.data)
      if (Object.keys(controls).length > 0) throw new AppError(422, 'validation_failed', 'Some fields need attention', controls)
    }),
    { [uniqueSymbol]: { target, ...resolver(schema) } },
  )

/** A control character as a URL spells it: %00–%1F, %7F, or a C1 control in UTF-8 (%C2%80–%C2%9F). */
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)|%c2%[89][0-9a-f]/i

/**
 * Refuses, for every route at once, a path or query that carries a control character: handlers and the
 * workspace's pages read query parameters with and without a schema, and a NUL reaching PostgreSQL is a
 * 500. Only a URL with a percent sign is looked at, so the hot read path pays one `includes`.
 */
export const refuseControlCharactersInUrl: MiddlewareHandler = async function refuseControlCharactersInUrl(c, next) {
  const url = c.req.url
  if (url.includes('%') && ENCODED_CONTROL.test(url)) {
    const { pathname, searchParams } = new URL(url)
    const fields = controlCharacterFields(Object.fromEntries(searchParams))
    if (ENCODED_CONTROL.test(pathname)) fields.path = 'contains control characters'
    throw new AppError(
      422,
      'validation_failed',
      'Some fields need attention',
      Object.keys(fields).length > 0 ? fields : { _: 'contains control characters' },
    )
  }
  await next()
}
