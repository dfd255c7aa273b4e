// What operators and their tools see: one log line and one count per request, /ready for load balancers,
// and (Node, with METRICS_TOKEN) /metrics for Prometheus.
import { Hono, type MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import { sql } from 'kysely'
import { pendingMigrations } from '../../platform/db/migrations.js'
import { timingSafeEqual } from '../../platform/lib/crypto.js'
import { AppError, errorBody } from '../../platform/lib/errors.js'
import { secondsSince } from '../../platform/ops/ops.metrics.js'
import type { AppEnv, Services } from '../shared/context.js'
import type { CachedHitObserver } from '../shared/public-cache.hits.js'

/** A request id a client or proxy may hand us: short, and nothing that could break a log line. */
const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/

/** Probes answer often and say nothing new: their lines are debug, not info. */
const PROBES = new Set(['/health', '/ready', '/metrics'])

/**
 * The pattern of the route that answered (`/api/v1/articles/:articleId/comments`), never the raw path, so
 * metrics keep a small label set. A 404 that only middleware saw (no route matched) is `unmatched`.
 */
function routeOf(c: Parameters<MiddlewareHandler<AppEnv>>[0], status: number): string {
  const route = matchedRoutes(c)[c.req.routeIndex]
  if (!route || (status === 404 && route.method === 'ALL')) return 'unmatched'
  return route.path
}

/**
 * Times every request and, once answered, counts it and writes its one log line: request id (the
 * client's X-Request-Id when usable, else made here; echoed back), route pattern, status, duration, and
 * the moderator who made it. The id is set before the handler, like every header here (see headers.ts).
 */
export function observeRequests(services: Services): MiddlewareHandler<AppEnv> {
  const { log, metrics } = services
  return async function observeRequests(c, next) {
    const start = performance.now()
    const given = c.req.header('x-request-id')
    const id = given !== undefined && REQUEST_ID.test(given) ? given : crypto.randomUUID()
    c.header('X-Request-Id', id)
    c.set('requestId', id)
    await next()
    const seconds = secondsSince(start)
    const status = c.res.status
    const route = routeOf(c, status)
    metrics.request(route, c.req.method, status, seconds)
    const line = { req: id, method: c.req.method, route, status, ms: Math.round(seconds * 10_000) / 10, moderator: c.var.moderator?.id }
    if (PROBES.has(route)) log.debug(line)
    else if (status >= 500) log.error(line)
    else log.info(line)
  }
}

/**
 * The same count for a fresh cached read answered before routing (public-cache.hits.ts), and its log line
 * at debug level: those reads are the bulk of a busy site's traffic and say nothing an operator acts on.
 */
export function observeCachedHits({ log, metrics }: Services): CachedHitObserver {
  return ({ method, route, status, seconds }) => {
    metrics.request(route, method, status, seconds)
    log.debug({ method, route, status, ms: Math.round(seconds * 10_000) / 10, cached: true })
  }
}

/** Why this process should not be sent traffic (yet, or any more); null when it is ready. */
export type ReadyCheck = () => Promise<string | null>

/**
 * GET /ready: 200 only when the database answers and its migrations are current, and the runtime's own
 * check passes (on Node: the LISTEN connection is open, and the server is not stopping); otherwise 503
 * with the reason. /health, beside it, says only that the process is up and its database answers.
 */
export function readyRoutes(runtimeCheck?: ReadyCheck) {
  return new Hono<AppEnv>().get('/ready', async (c) => {
    const problem = await notReady(c.var.db, runtimeCheck)
    if (problem) return c.json({ ok: false, ...errorBody('not_ready', problem) }, 503)
    return c.json({ ok: true })
  })
}

async function notReady(db: AppEnv['Variables']['db'], runtimeCheck: ReadyCheck | undefined): Promise<string | null> {
  try {
    await sql`select 1`.execute(db)
  } catch {
    return 'The database does not answer'
  }
  try {
    const pending = await pendingMigrations(db)
    if (pending.length > 0) return `Migrations not yet applied: ${pending.join(', ')}`
  } catch {
    return 'The migrations could not be read'
  }
  return (await runtimeCheck?.()) ?? null
}

/** What /metrics serves: the registry's text and its content type (prom-client on Node). */
export interface MetricsSource {
  readonly contentType: string
  scrape(): Promise<string>
}

/** GET /metrics for Prometheus, only with `Authorization: Bearer <METRICS_TOKEN>` (else 401). */
export function metricsRoutes(source: MetricsSource, token: string) {
  const expected = `Bearer ${token}`
  return new Hono<AppEnv>().get('/metrics', async (c) => {
    if (!timingSafeEqual(c.req.header('authorization') ?? '', expected)) {
      throw new AppError(401, 'unauthenticated', 'Send Authorization: Bearer with the metrics token', undefined, {
        'WWW-Authenticate': 'Bearer',
      })
    }
    return c.body(await source.scrape(), 200, { 'Content-Type': source.contentType, 'Cache-Control': 'no-store' })
  })
}
