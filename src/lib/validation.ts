import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import { resolver, uniqueSymbol } from 'hono-openapi'
import type { z } from 'zod'
import { AppError } from './errors.js'

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
 * `zValidator` whose failures become our 422 shape. The same schema is handed to the OpenAPI document
 * (hono-openapi reads it from the middleware), so what is validated is what is documented.
 */
export const validate = <Target extends keyof ValidationTargets, Schema extends z.ZodType>(target: Target, schema: Schema) =>
  Object.assign(
    zValidator(target, schema, (result) => {
      if (!result.success) throw validationError(result.error)
    }),
    { [uniqueSymbol]: { target, ...resolver(schema) } },
  )
