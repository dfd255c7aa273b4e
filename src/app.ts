import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { sql } from 'kysely'
import { articleRoutes } from './http/reader-api/articles.routes.js'
import { commentRoutes } from './http/reader-api/comments.routes.js'
import { authRoutes } from './http/moderator-api/auth.routes.js'
import { moderationRoutes } from './http/moderator-api/moderator-api.index.js'
import { readerRoutes } from './http/reader-api/readers.routes.js'
import { readerPages } from './http/reader-pages/readers.pages.js'
import { readerAccountPages } from './http/reader-pages/readers.account.js'
import { mountApiDocs } from './http/api-docs/api-docs.routes.js'
import { workspaceRoutes } from './http/workspace/moderator-ui.index.js'
import type { Db } from './platform/db/database.js'
import { type WidgetSource, embedRoutes } from './http/embed/embed.routes.js'
import type { ScriptSource } from './http/shared/bundled-script.js'
import { AppError, errorBody } from './platform/lib/errors.js'
import { errorFields } from './platform/ops/ops.log.js'
import { refuseControlCharactersInUrl } from './http/shared/validation.js'
import type { AppEnv, Services } from './http/shared/context.js'
import { servePublicFromCache } from './http/shared/public-cache.js'
import { cachedHits } from './http/shared/public-cache.hits.js'
import { publisherCors, securityHeaders } from './http/shared/headers.js'
import type { Context } from 'hono'
import { type ReadyCheck, observeCachedHits, observeRequests, readyRoutes } from './http/operations/operations.routes.js'

/** A body the client stopped sending: the runtime's abort, or Node's reset or premature close. */
function isClientAbort(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  return error.name === 'AbortError' || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || error.message === 'aborted'
}

export interface AppDependencies {
  /** The database for this request: one shared pool on Node, one handle per request on Workers. */
  db: (c: Context) => Db
  services: Services
  /** The widget bundle served at /embed.js. */
  widget: WidgetSource
  /** The workspace's keyboard script, served at /moderate/assets/keys.<hash>.js. */
  keyboard: ScriptSource
  /** Extra routes only one runtime has (the demo pages on Node). */
  mount?: (app: Hono<AppEnv>) => void
  /** The runtime's own readiness (Node: the LISTEN connection, and not stopping), beside the database's. */
  ready?: ReadyCheck
}

/**
 * The largest body each part of the server reads. The reader API's JSON is a comment at most (5,000
 * characters); the workspace's settings form carries the word lists (up to 10,000 entries of 100
 * characters each); its sign-in form and the reader pages' forms (mail preferences, the account page) are a
 * few fields. Any other path, one that takes no body or none at all, gets the smallest.
 */
const BODY_LIMITS = { api: 32 * 1024, workspace: 2 * 1024 * 1024, forms: 16 * 1024 }

const bodyLimitKind = (path: string): keyof typeof BODY_LIMITS =>
  path.startsWith('/api/') ? 'api' : path.startsWith('/moderate/') && path !== '/moderate/login' ? 'workspace' : 'forms'

/** Stops reading a body past `maxSize` bytes and answers 413 in the API's error shape. */
function bodyLimitOf(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError(413, 'payload_too_large', `Request bodies are limited to ${Math.round(maxSize / 1024)} KB`)
    },
  })
}

export function createApp({ db, services, widget, keyboard, mount, ready }: AppDependencies) {
  const app = new Hono<AppEnv>()

  // First, so every answer is timed, counted and logged.
  app.use(observeRequests(services))
  app.use(async function provideDependencies(c, next) {
    c.set('db', db(c))
    c.set('services', services)
    c.set('moderator', null)
    c.set('reader', null)
    await next()
  })
  app.use(securityHeaders)
  app.use(refuseControlCharactersInUrl)

  const readerCors = publisherCors(() => services.config.publicOrigins)
  app.use('/api/v1/articles/*', readerCors)
  app.use('/api/v1/comments/*', readerCors)
  app.use('/api/v1/counts', readerCors)
  app.use('/api/v1/readers/*', readerCors)
  app.use('/api/v1/articles/:articleId/comments', servePublicFromCache)
  app.use('/api/v1/counts', servePublicFromCache)
  // Every route that may take a body goes through a limit, set here once rather than by each route. Only
  // requests that can carry a body: looking for a body on a GET makes the Node adapter build a full
  // Request object, which costs the hot read path a third of its speed.
  const limits = { api: bodyLimitOf(BODY_LIMITS.api), workspace: bodyLimitOf(BODY_LIMITS.workspace), forms: bodyLimitOf(BODY_LIMITS.forms) }
  app.use(function limitBodies(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    return limits[bodyLimitKind(c.req.path)](c, next)
  })
  for (const privatePath of ['/api/v1/mod/*', '/api/v1/auth/*', '/api/v1/readers/*']) {
    // Set before the handler, like every header here: a live stream writes its own response and may
    // not be touched afterwards.
    app.use(privatePath, async function neverCached(c, next) {
      c.header('Cache-Control', 'no-store')
      await next()
    })
  }

  app.get('/health', async (c) => {
    try {
      await sql`select 1`.execute(c.var.db)
      return c.json({ ok: true })
    } catch {
      return c.json({ ok: false, ...errorBody('unavailable', 'The database does not answer') }, 503)
    }
  })

  app.route('/', readyRoutes(ready))
  app.route('/api/v1', commentRoutes)
  app.route('/api/v1', articleRoutes)
  app.route('/api/v1/readers', readerRoutes)
  app.route('/readers/account', readerAccountPages)
  app.route('/readers', readerPages)
  app.route('/api/v1/auth', authRoutes)
  app.route('/api/v1/mod', moderationRoutes)
  app.route('/moderate', workspaceRoutes(keyboard))
  app.route('/', embedRoutes(widget))
  mount?.(app)
  mountApiDocs(app)

  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`), 404))

  app.onError((error, c) => {
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value)
      return c.json(errorBody(error.code, error.message, error.fields), error.status)
    }
    if (error instanceof HTTPException) {
      const status = error.status
      const code =
        status === 400
          ? 'invalid_json'
          : status === 413
            ? 'payload_too_large'
            : status === 401
              ? 'unauthenticated'
              : status === 403
                ? 'forbidden'
                : 'internal_error'
      if (status < 500) return c.json(errorBody(code, error.message || 'Bad request'), status)
    }
    if (isClientAbort(error)) {
      // The reader left mid-request: nothing went wrong here, and a trace per abort would flood the log.
      services.log.debug({ req: c.var.requestId }, 'client aborted the request')
      return c.json(errorBody('request_aborted', 'The request was cut off before it arrived whole'), 400)
    }
    services.log.error({ req: c.var.requestId, ...errorFields(error) }, 'unhandled error')
    return c.json(errorBody('internal_error', 'Something went wrong on our side; please try again'), 500)
  })

  // A fresh cached read (a list or counts) is answered before all of the above: no context, no middleware,
  // no routing, the same headers; counted like any request, and logged at debug level only (a viral article's
  // reads would otherwise drown the log). Where the cache has no synchronous look-up (Workers), the routed
  // path with servePublicFromCache serves it.
  const hits = cachedHits(services, observeCachedHits(services))
  if (hits) {
    const routed = app.fetch
    app.fetch = (request, env, executionCtx) => hits(request, env) ?? routed(request, env, executionCtx)
  }
  return app
}

export type App = ReturnType<typeof createApp>
