import type { ExecutionContext } from 'hono'
import { createApp } from './app.js'
import { connectPostgres } from './db/connect-pg.js'
import type { Db } from './db/database.js'
import { parseEnv } from './env.js'
import { appConfig } from './services.js'
import { createServices } from './services.factory.js'
import { workersCache } from './public-cache/public-cache.store.js'
// Built by `npm run build:widget` (wrangler.toml runs it before every bundle); wrangler imports .txt as text.
import widgetCode from '../widget/dist/embed.txt'

export interface WorkerBindings {
  HYPERDRIVE: { connectionString: string }
  IP_HASH_SECRET: string
  PUBLIC_ORIGINS?: string
  PUBLIC_URL?: string
  PERSPECTIVE_API_KEY?: string
  AKISMET_API_KEY?: string
  SCREENING_TIMEOUT_MS?: string
}

let app: ReturnType<typeof createApp> | null = null

/** Built once per isolate from the bindings; the database handle is per request (Hyperdrive pools). */
function appFor(bindings: WorkerBindings) {
  if (app) return app
  const env = parseEnv({
    NODE_ENV: 'production',
    DATABASE_URL: bindings.HYPERDRIVE.connectionString,
    IP_HASH_SECRET: bindings.IP_HASH_SECRET,
    PUBLIC_ORIGINS: bindings.PUBLIC_ORIGINS,
    PUBLIC_URL: bindings.PUBLIC_URL,
    PERSPECTIVE_API_KEY: bindings.PERSPECTIVE_API_KEY,
    AKISMET_API_KEY: bindings.AKISMET_API_KEY,
    SCREENING_TIMEOUT_MS: bindings.SCREENING_TIMEOUT_MS,
  })
  // parseEnv refuses production without IP_HASH_SECRET, so it is set here.
  const services = createServices(appConfig(env, env.IP_HASH_SECRET!), {
    peerIp: (c) => c.req.header('cf-connecting-ip') ?? null,
    // Workers share nothing between isolates; the data centre's Cache API holds the public reads.
    publicCache: workersCache((globalThis as unknown as { caches: { default: Cache } }).caches.default),
  })
  app = createApp({
    // A Worker may not share sockets across requests; Hyperdrive does the pooling, so each request
    // gets its own one-connection handle that closes itself once idle (after any webhook work too).
    db: (): Db => connectPostgres(bindings.HYPERDRIVE.connectionString, { max: 1, idleTimeoutMillis: 500 }),
    services,
    widget: async () => widgetCode,
  })
  return app
}

export default {
  async fetch(request: Request, bindings: WorkerBindings, ctx: ExecutionContext): Promise<Response> {
    return appFor(bindings).fetch(request, bindings, ctx)
  },
}
