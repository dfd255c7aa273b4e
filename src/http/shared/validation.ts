import { zValidator } from '@hono/zod-validator'
import type { MiddlewareHandler, ValidationTargets } from 'hono'
import { resolver, uniqueSymbol } from 'hono-openapi'
import type { z } from 'zod'
import { AppError } from '../../platform/lib/errors.js'

/** Turns zod issues into `{field: message}`, first message per field. */
interface IssueList {
  issues: readonly { path: readonly PropertyKey[]; message: string }[]
}

export function fieldErrors(error: IssueList): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '_'
    fields[key] ??= issue.message
  }
  return fields
}

export function validationError(error: IssueList): AppError {
  return new AppError(422, 'validation_failed', 'Some fields need attention', fieldErrors(error))
}

/**
 * Control characters no field takes: NUL (which PostgreSQL cannot store in text), the other C0 controls
 * but tab and line breaks, DEL and the C1 controls. Text that may span lines keeps its tabs and newlines.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/

/** The fields of a parsed input (nested objects and arrays too) whose text holds a control character. */
export function controlCharacterFields(value: unknown, path = ''): Record<string, string> {
  const fields: Record<string, string> = {}
  const visit = (v: unknown, at: string) => {
    if (typeof v === 'string') {
      if (CONTROL.test(v)) fields[at || '_'] ??= 'contains control characters'
    } else if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) visit(item, at ? `${at}.${i}` : String(i))
    } else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      for (const [key, item] of Object.entries(v)) visit(item, at ? `${at}.${key}` : key)
    }
  }
  visit(value, path)
  return fields
}

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
