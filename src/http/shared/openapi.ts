// The API describes itself: every /api route carries its summary and its answers here, its inputs come
// from the same zod schemas that validate them (see validation.ts), and /api/v1/openapi.json is built
// from the mounted routes.
import { describeRoute, resolver } from 'hono-openapi'
import { z } from 'zod'

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable machine-readable code, e.g. validation_failed' }),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional().meta({ description: 'Per-field messages, for validation_failed' }),
    }),
  })
  .meta({ id: 'Error' })

const ERRORS: Record<number, string> = {
  401: 'Not signed in',
  403: 'Not allowed (a moderator on an admin route, a cross-site request, comments closed, a banned commenter)',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'Body too large',
  422: 'Invalid input: `error.fields` names each field',
  429: 'Too many requests: see Retry-After',
}

export interface RouteDoc {
  tags: string[]
  /** Success answers by status. */
  ok: Record<number, string>
  /** The error statuses this route can answer, beyond 413 for bodies. */
  errors: number[]
  description?: string
  requestBody?: Parameters<typeof describeRoute>[0]['requestBody']
}

/** Describes one route for the OpenAPI document: what it does and every answer it can give. */
export function doc(summary: string, route: RouteDoc) {
  const responses: Record<string, { description: string; content?: Record<string, { schema: ReturnType<typeof resolver> }> }> = {}
  for (const [status, description] of Object.entries(route.ok)) responses[status] = { description }
  for (const status of route.errors) {
    responses[String(status)] = {
      description: ERRORS[status] ?? 'Error',
      content: { 'application/json': { schema: resolver(errorSchema) } },
    }
  }
  return describeRoute({
    summary,
    tags: route.tags,
    ...(route.description ? { description: route.description } : {}),
    ...(route.requestBody ? { requestBody: route.requestBody } : {}),
    responses,
  })
}

/** Every route that takes a session: not signed in, or not allowed (admin-only, cross-site). */
export const SIGNED_IN = [401, 403]
