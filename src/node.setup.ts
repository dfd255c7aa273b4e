import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { getConnInfo } from '@hono/node-server/conninfo'
import { createApp } from './app.js'
import { type Connection, connect } from './platform/db/connect-node.js'
import { preparedOrClosed } from './database.setup.js'
import { markAbandonedImports } from './imports/imports.repository.js'
import type { Env } from './env.js'
import { randomToken } from './platform/lib/crypto.js'
import { createModerator, moderatorCount } from './auth/auth.users.js'
import { createServices, type ServiceOptions } from './services.factory.js'
import type { AppConfig } from './platform/lib/config.js'
import type { Services } from './http/shared/context.js'

export { appConfig } from './env.js'
import { mountNodeExtras } from './node.routes.js'
import { NodeLive } from './http/live/live.node.js'
import { DEFAULT_LIVE_LIMITS } from './platform/live/live.hub.js'
import { buildWidget } from '../widget/build.js'
import { buildKeyboard } from './http/workspace/keyboard/keyboard.build.js'
import { prometheusMetrics } from './platform/ops/ops.prometheus.js'
import { type Log, errorFields } from './platform/ops/ops.log.js'
import { oldestWaitingSeconds, queueCounts } from './moderation/moderation.queue.js'
import { outboxPending } from './mail/mail.queue.js'

/** On the embedded default the IP-hash key is generated once and kept beside the data. */
export function resolveIpHashSecret(env: Env): string {
  if (env.IP_HASH_SECRET) return env.IP_HASH_SECRET
  mkdirSync(env.DATA_DIR, { recursive: true })
  const path = join(env.DATA_DIR, 'ip-hash-secret')
  if (!existsSync(path)) writeFileSync(path, randomToken(32), { mode: 0o600 })
  return readFileSync(path, 'utf8').trim()
}

/** On Node the widget and the keyboard script are bundled in memory at first request (esbuild takes tens of milliseconds). */
const widgetFromSource = () => buildWidget().then((bundle) => bundle.code)

export interface NodeServer {
  app: ReturnType<typeof createApp>
  connection: Connection
}

/** Builds the Node app over an open connection; shared by `npm start`, the tests and the benchmark. */
export function buildNodeApp(
  connection: Connection,
  config: AppConfig,
  options: ServiceOptions & { live?: NodeLive; metricsToken?: string } = {},
) {
  const live = options.live ?? new NodeLive(connection, { ...DEFAULT_LIVE_LIMITS, ...config.liveLimits })
  // Prometheus only where it is served: without METRICS_TOKEN nothing is counted.
  const metrics = options.metricsToken ? nodeMetrics(connection, live, options.log) : undefined
  const services = createServices(config, {
    metrics,
    peerIp: (c) => {
      try {
        return getConnInfo(c).remote.address ?? null
      } catch {
        return null // app.request() in tests has no socket
      }
    },
    ...options,
  })
  const app = createApp({
    db: () => connection.db,
    services,
    widget: widgetFromSource,
    keyboard: buildKeyboard,
    mount: (app) => mountNodeExtras(app, live, metrics && options.metricsToken ? { source: metrics, token: options.metricsToken } : null),
    ready: () => live.notReady(),
  })
  // The site's settings are kept in memory until the bus says they changed (a failure to listen just
  // leaves them read afresh each second).
  live.followSettings().catch((error) => console.error('[comments] not following settings changes:', (error as Error).message))
  parts.set(app, { live, services })
  return app
}

const parts = new WeakMap<object, { live: NodeLive; services: Services }>()

/** The Node server's Prometheus metrics; the gauges read the database and the live streams at each scrape. */
function nodeMetrics(connection: Connection, live: NodeLive, log: Log | undefined) {
  return prometheusMetrics(
    {
      queueDepth: () => queueCounts(connection.db),
      oldestWaitingSeconds: () => oldestWaitingSeconds(connection.db),
      mailOutboxPending: () => outboxPending(connection.db),
      liveStreamsOpen: () => live.openStreams,
    },
    (error) => log?.warn(errorFields(error), 'a metric could not be read'),
  )
}

/** The live streams of an app built here: `npm start`, the tests and the bench stop them on the way out. */
export const liveOf = (app: object): NodeLive => parts.get(app)!.live

/** The services of an app built here: a stopping server settles their pending work before closing the pool. */
export const servicesOf = (app: object): Services => parts.get(app)!.services

export async function openAndMigrate(env: Env): Promise<Connection> {
  const connection = await preparedOrClosed(await connect(env))
  // An import killed hard stays "running": each start marks it interrupted (on the embedded database every
  // such run, since only one process opens it; on PostgreSQL those silent for minutes).
  await markAbandonedImports(connection.db, new Date(), { everyRunning: connection.kind === 'pglite' })
  return connection
}

/**
 * A fresh embedded install gets a first administrator with a random password, printed once,
 * so a newcomer can sign in at /moderate right away. On PostgreSQL nothing is created: the
 * message says how to create one.
 */
export async function ensureFirstAdmin(connection: Connection): Promise<string | null> {
  if ((await moderatorCount(connection.db)) > 0) return null
  if (connection.kind !== 'pglite') {
    return '[comments] no moderators yet: create the first with  PASSWORD=… npm run admin -- create-user NAME --role admin'
  }
  const password = randomToken(12)
  await createModerator(connection.db, 'admin', password, 'admin')
  return [
    '[comments] first administrator created (shown once):',
    `[comments]   username: admin   password: ${password}`,
    '[comments]   change it at /moderate/account once signed in (or: npm run admin -- set-password admin, with the server stopped)',
  ].join('\n')
}
