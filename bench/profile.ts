// Profiles the cached read path (or, with MODE=write, the write path) over HTTP, on PGlite or DATABASE_URL:
//   [MODE=write] npx tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile.ts
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { type Connection, openPglite } from '../src/db/connect-node.js'
import { connectPostgres } from '../src/db/connect-pg.js'
import { migrateToLatest } from '../src/db/migrations.js'
import { parseEnv } from '../src/env.js'
import { appConfig, buildNodeApp } from '../src/node.setup.js'
import { load } from './autocannon.js'
import { seedArticle } from './seed.js'
import { getSiteSettings, saveSiteSettings } from '../src/settings/settings.repository.js'

const connection: Connection = process.env.DATABASE_URL
  ? { db: connectPostgres(process.env.DATABASE_URL, { max: 16 }), kind: 'postgres', close: async () => {} }
  : await openPglite(mkdtempSync(join(tmpdir(), 'nc-prof-')))
await migrateToLatest(connection.db)
await seedArticle(connection.db, 'prof', 200, 40)
await saveSiteSettings(connection.db, { ...(await getSiteSettings(connection.db)), rateLimitPerMinute: 0 })
const secret = 'bench-secret-bench-secret-bench-secret-0'
const app = buildNodeApp(connection, appConfig(parseEnv({ NODE_ENV: 'test', IP_HASH_SECRET: secret }), secret))
const server = await new Promise<{ url: string; close(): void }>((resolve) => {
  const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ url: `http://127.0.0.1:${info.port}`, close: () => s.close() }))
})
const seconds = Number(process.env.SECONDS ?? 5)
const cpuBefore = process.cpuUsage()
const result =
  process.env.MODE === 'write'
    ? await load({
        url: `${server.url}/api/v1/articles/prof-writes/comments`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Profile', email: 'p-[<id>]@example.org', body: 'Profiling comment [<id>] about the convoy.' }),
        uniqueIds: true,
        connections: 8,
        seconds,
      })
    : await load({ url: `${server.url}/api/v1/articles/prof/comments`, connections: 32, seconds })
const cpu = process.cpuUsage(cpuBefore)
// CPU per request in this process (server and database when embedded), whatever the load generator costs.
console.log(`${process.env.MODE ?? 'read'} rps=${Math.round(result.rps)} p50_ms=${result.p50} p99_ms=${result.p99} cpu_us_per_request=${Math.round((cpu.user + cpu.system) / result.requests)}`)
server.close()
await connection.close()
await connection.db.destroy()
