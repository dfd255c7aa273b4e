// Profiles the cached read path (or, with MODE=write, the write path) over HTTP, on PGlite or DATABASE_URL:
//   [MODE=write] npx tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile.ts
import { getSiteSettings, saveSiteSettings } from '../src/settings/settings.repository.js'
import { load } from './autocannon.js'
import { benchApp, listen, openBenchDb } from './bench.setup.js'
import { seedArticle } from './seed.js'

const connection = await openBenchDb()
await seedArticle(connection.db, 'prof', 200, 40)
await saveSiteSettings(connection.db, { ...(await getSiteSettings(connection.db)), rateLimitPerMinute: 0 })
const server = await listen(benchApp(connection).fetch)
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
console.log(
  `${process.env.MODE ?? 'read'} rps=${Math.round(result.rps)} p50_ms=${result.p50} p99_ms=${result.p99} cpu_us_per_request=${Math.round((cpu.user + cpu.system) / result.requests)}`,
)
await server.close()
await connection.close()
await connection.cleanup()
