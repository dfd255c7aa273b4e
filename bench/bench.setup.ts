import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { type Connection, openPglite } from '../src/platform/db/connect-node.js'
import { listenPostgres } from '../src/platform/live/live.bus.js'
import { connectPostgres } from '../src/platform/db/connect-pg.js'
import { prepareDatabase } from '../src/database.setup.js'
import { parseEnv } from '../src/env.js'
import { appConfig, buildNodeApp } from '../src/node.setup.js'

// Shared by `npm run bench` and bench/profile.ts: the same database choice, app and server.

export function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => new Promise((r) => server.close(() => r())) }),
    )
  })
}

/** DATABASE_URL when set, else a throw-away embedded database; migrated either way. */
export async function openBenchDb(): Promise<Connection & { cleanup(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const db = connectPostgres(process.env.DATABASE_URL, { max: 16 })
    await prepareDatabase(db)
    return { db, kind: 'postgres', listen: listenPostgres(process.env.DATABASE_URL), close: () => db.destroy(), cleanup: async () => {} }
  }
  const dir = mkdtempSync(join(tmpdir(), 'nc-bench-'))
  const connection = await openPglite(dir)
  await prepareDatabase(connection.db)
  return { ...connection, cleanup: async () => rmSync(dir, { recursive: true, force: true }) }
}

const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret-0'

export function benchApp(connection: Connection) {
  return buildNodeApp(connection, appConfig(parseEnv({ NODE_ENV: 'test', IP_HASH_SECRET: BENCH_SECRET }), BENCH_SECRET))
}
