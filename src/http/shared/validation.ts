import { zValidator } from '@hono/zod-validator'
import type { Context, MiddlewareHandler, ValidationTargets } from 'hono'
import { resolver, uniqueSymbol } from 'hono-openapi'
import { z } from 'zod'
import { AppError, validationError } from '../../platform/lib/errors.js'
import { controlCharacterFields } from '../../platform/lib/text.js'
import type { AppEnv } from './context.js'

/**
 * What a door does with input it refuses. Without it the refusal is thrown and the app's onError answers
 * the API's 422 JSON; the workspace passes one to draw its form again with the message. `input` is what
 * was sent, as read (a form's fields as strings).
 */
export type OnInvalid = (refusal: AppError, input: unknown, c: Context<AppEnv>) => Response | Promise<Response>

/**
 * `zValidator` whose failures become our 422 shape, and which refuses control characters in any field
 * whatever its schema says. The same schema is handed to the OpenAPI document (hono-openapi reads it from
 * the middleware), so what is validated is what is documented.
 */
export const validate = <Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
  onInvalid?: OnInvalid,
) =>
  Object.assign(
    zValidator(target, schema, async (result, c) => {
      const refusal = result.success ? controlCharacterRefusal(result.data) : validationError(result.error)
      if (!refusal) return
      if (onInvalid) return onInvalid(refusal, result.data, c as Context<AppEnv>)
      throw refusal
    }),
    { [uniqueSymbol]: { target, ...resolver(schema) } },
  )

/** A JSON body that may be left out altogether: none reads as `{}`. */
export const optionalJson = <Schema extends z.ZodType>(schema: Schema) =>
  validate(
    'json',
    z.preprocess((v) => v ?? {}, schema),
  )

function controlCharacterRefusal(data: unknown): AppError | null {
  const controls = controlCharacterFields(data)
  return Object.keys(controls).length > 0 ? new AppError(422, 'validation_failed', 'Some fields need attention', controls) : null
}

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
