// Profiles the cached read path (or, with MODE=write, the write path) over HTTP, on PGlite or DATABASE_URL:
//   [MODE=write] npx tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile.ts
// The read path is measured beside its ceiling, a bare Hono server answering the same bytes, in alternating
// rounds of the same run (ROUNDS, 3 by default): this shared VM drifts too much for figures of two runs to compare.
import { Hono } from 'hono'
import { getSiteSettings, saveSiteSettings } from '../src/settings/settings.repository.js'
import { type LoadResult, load } from './autocannon.js'
import { benchApp, listen, openBenchDb } from './bench.setup.js'
import { seedArticle } from './seed.js'

const connection = await openBenchDb()
await seedArticle(connection.db, 'prof', 200, 40)
await saveSiteSettings(connection.db, { ...(await getSiteSettings(connection.db)), rateLimitPerMinute: 0 })
const server = await listen(benchApp(connection).fetch)
const seconds = Number(process.env.SECONDS ?? 5)
const fmt = (r: LoadResult) => `rps=${Math.round(r.rps)} p50_ms=${r.p50} p99_ms=${r.p99}`
const median = (rounds: LoadResult[]) => [...rounds].sort((a, b) => a.rps - b.rps)[Math.floor(rounds.length / 2)]!

if (process.env.MODE === 'write') {
  const cpuBefore = process.cpuUsage()
  const result = await load({
    url: `${server.url}/api/v1/articles/prof-writes/comments`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Profile', email: 'p-[<id>]@example.org', body: 'Profiling comment [<id>] about the convoy.' }),
    uniqueIds: true,
    connections: 8,
    seconds,
  })
  const cpu = process.cpuUsage(cpuBefore)
  console.log(`write ${fmt(result)} cpu_us_per_request=${Math.round((cpu.user + cpu.system) / result.requests)}`)
} else {
  const path = '/api/v1/articles/prof/comments'
  const bytes = await (await fetch(server.url + path)).text()
  const bare = await listen(new Hono().get(path, (c) => c.body(bytes, 200, { 'content-type': 'application/json' })).fetch)
  const app: LoadResult[] = []
  const ceiling: LoadResult[] = []
  // CPU per request in this process (the server's, and the database's when embedded), whatever the load generator costs.
  const cpuUs = { app: 0, ceiling: 0 }
  const measured = async (rounds: LoadResult[], url: string, which: keyof typeof cpuUs) => {
    const before = process.cpuUsage()
    rounds.push(await load({ url, connections: 32, seconds }))
    const cpu = process.cpuUsage(before)
    cpuUs[which] += cpu.user + cpu.system
  }
  for (let round = 0; round < Number(process.env.ROUNDS ?? 3); round++) {
    await measured(ceiling, bare.url + path, 'ceiling')
    await measured(app, server.url + path, 'app')
  }
  await bare.close()
  const perRequest = (rounds: LoadResult[], which: keyof typeof cpuUs) =>
    `cpu_us_per_request=${(cpuUs[which] / rounds.reduce((sum, r) => sum + r.requests, 0)).toFixed(1)}`
  const read = median(app)
  console.log(
    `read ${fmt(read)} bytes=${bytes.length} non2xx=${read.non2xx} ${perRequest(app, 'app')} | ceiling (bare Hono, same bytes) ${fmt(median(ceiling))} ${perRequest(ceiling, 'ceiling')} ratio=${(read.rps / median(ceiling).rps).toFixed(2)}`,
  )
}
await server.close()
await connection.close()
await connection.cleanup()
