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

export { appConfig } from './env.js'
import { mountNodeExtras } from './node.routes.js'
import { NodeLive } from './http/live/live.node.js'
import { DEFAULT_LIVE_LIMITS } from './platform/live/live.hub.js'
import { buildWidget } from '../widget/build.js'
import { buildKeyboard } from './http/workspace/keyboard/keyboard.build.js'

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
export function buildNodeApp(connection: Connection, config: AppConfig, options: ServiceOptions & { live?: NodeLive } = {}) {
  const services = createServices(config, {
    peerIp: (c) => {
      try {
        return getConnInfo(c).remote.address ?? null
      } catch {
        return null // app.request() in tests has no socket
      }
    },
    ...options,
  })
  const live = options.live ?? new NodeLive(connection, { ...DEFAULT_LIVE_LIMITS, ...config.liveLimits })
  const app = createApp({
    db: () => connection.db,
    services,
    widget: widgetFromSource,
    keyboard: buildKeyboard,
    mount: (app) => mountNodeExtras(app, live),
  })
  lives.set(app, live)
  return app
}

const lives = new WeakMap<object, NodeLive>()

/** The live streams of an app built here: `npm start`, the tests and the bench stop them on the way out. */
export const liveOf = (app: object): NodeLive => lives.get(app)!

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
