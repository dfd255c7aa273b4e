import { Hono } from 'hono'
import { getSiteSettings, saveSiteSettings } from '../src/settings/settings.repository.js'
import { type LoadResult, load } from './autocannon.js'
import { seedArticle } from './seed.js'
import { extraBenchmarks } from './extra.js'
import { liveBenchmark } from './live.js'
import { searchBenchmark } from './search.js'
import { overviewBenchmark } from './overview.js'
import { benchApp, listen, openBenchDb } from './bench.setup.js'
import { importBenchmark } from './import.js'
import type { Connection } from '../src/platform/db/connect-node.js'
import { type StatementCounter, goalsTable, only, statementCounter, writeLoad } from './bench.write.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const WARMUP = Math.max(1, Math.min(3, SECONDS / 3))

const medianRound = (rounds: LoadResult[]) => [...rounds].sort((a, b) => a.rps - b.rps)[Math.floor(rounds.length / 2)]!

const fmt = (r: LoadResult) => `rps=${Math.round(r.rps)} p50_ms=${r.p50} p99_ms=${r.p99}`

async function main() {
  const connection = await openBenchDb()
  const { db } = connection
  const run = Date.now().toString(36)
  const articleId = `bench-${run}`
  console.log(`[bench] database: ${connection.kind}; ${SECONDS}s per measurement after ${WARMUP}s warm-up`)

  await seedArticle(db, articleId, 200, 40)
  for (let i = 0; i < 10; i++) await seedArticle(db, `${articleId}-other-${i}`, 20, 4)
  // The write path measures screening and storage, not the per-IP limit every bench request would hit.
  const previousSettings = await getSiteSettings(db)
  await saveSiteSettings(db, { ...previousSettings, rateLimitPerMinute: 0 })

  // Statements are counted where the app sends them: each is one round trip to the database.
  const statements: StatementCounter = statementCounter()
  const app = benchApp({ ...connection, db: db.withPlugin(statements) } as Connection)
  // The server's own tally of accepted posts, so in-flight requests cut off by the load generator still count.
  const tally = { inFlight: 0, acceptedWrites: 0 }
  const server = await listen(async (request) => {
    tally.inFlight++
    try {
      const response = await app.fetch(request)
      if (request.method === 'POST' && response.status >= 200 && response.status < 300) tally.acceptedWrites++
      return response
    } finally {
      tally.inFlight--
    }
  })
  const settle = async () => {
    while (tally.inFlight > 0) await new Promise((r) => setTimeout(r, 20))
  }
  const readPath = `/api/v1/articles/${articleId}/comments`
  let read: LoadResult = { rps: Number.NaN, p50: Number.NaN, p99: Number.NaN, requests: 0, non2xx: 0, errors: 0, ok2xx: 0 }

  try {
    if (only('read')) {
      // Read path and its ceiling: a bare Hono handler serving the same bytes from memory.
      const sample = await fetch(server.url + readPath)
      const bytes = await sample.text()
      const bare = new Hono().get(readPath, (c) => c.body(bytes, 200, { 'content-type': 'application/json' }))
      const bareServer = await listen(bare.fetch)
      await load({ url: bareServer.url + readPath, connections: 32, seconds: WARMUP })
      await load({ url: server.url + readPath, connections: 32, seconds: WARMUP })
      // This shared VM drifts by a third from one minute to the next: the app and its ceiling are
      // measured in alternating rounds and each keeps its median round, so the ratio compares like with like.
      const ceilingRounds: LoadResult[] = []
      const readRounds: LoadResult[] = []
      for (let round = 0; round < 3; round++) {
        ceilingRounds.push(await load({ url: bareServer.url + readPath, connections: 32, seconds: SECONDS / 2 }))
        readRounds.push(await load({ url: server.url + readPath, connections: 32, seconds: SECONDS / 2 }))
      }
      await bareServer.close()
      const ceiling = medianRound(ceilingRounds)
      read = medianRound(readRounds)
      console.log(
        `read ${fmt(read)} bytes=${bytes.length} non2xx=${read.non2xx} | ceiling (bare Hono, same bytes) ${fmt(ceiling)} ratio=${(read.rps / ceiling.rps).toFixed(2)}`,
      )
    }

    if (only('write')) {
      // Write path, as the widget posts: a fresh form token per post, its own idempotency key, 8 connections.
      // Counted: posts stored, posts published (not held: a post held as a bot is no post served), and the
      // statements the app sent per post stored (subscribers included).
      const writeArticle = `${articleId}-writes`
      const { minSecondsToPost } = await getSiteSettings(db)
      // Enough tokens for 2,000 posts/s; a post without one would be held, and the line says so.
      await writeLoad({
        url: server.url,
        articleId: `${articleId}-warmup`,
        connections: 8,
        seconds: WARMUP,
        tokens: Math.ceil(WARMUP * 2000),
        minSecondsToPost,
      })
      await settle()
      tally.acceptedWrites = 0
      let cpuBefore = process.cpuUsage()
      const write = await writeLoad({
        url: server.url,
        articleId: writeArticle,
        connections: 8,
        seconds: SECONDS,
        tokens: Math.ceil(SECONDS * 2000),
        minSecondsToPost,
        // Counted from the first post on: fetching the tokens is not posting.
        onPosting: () => {
          statements.reset()
          cpuBefore = process.cpuUsage()
        },
      })
      await settle()
      const sent = statements.count()
      // The server's CPU per post: on a shared machine a steadier figure than posts per second.
      const cpu = process.cpuUsage(cpuBefore)
      const byStatus = await db
        .selectFrom('comments')
        .select(['status', db.fn.countAll<string>().as('n')])
        .where('article_id', '=', writeArticle)
        .groupBy('status')
        .execute()
      const count = (status: string) => Number(byStatus.find((r) => r.status === status)?.n ?? 0)
      const storedCount = count('approved') + count('pending') + count('rejected')
      const lost = tally.acceptedWrites - storedCount
      console.log(
        `write published_per_s=${Math.round(count('approved') / SECONDS)} rps=${Math.round(write.rps)} p50_ms=${write.p50} p99_ms=${write.p99} ` +
          `round_trips_per_post=${storedCount ? (sent / storedCount).toFixed(2) : '-'} ` +
          `server_cpu_ms_per_post=${storedCount ? ((cpu.user + cpu.system) / 1000 / storedCount).toFixed(2) : '-'} accepted=${tally.acceptedWrites} stored=${storedCount} ` +
          `published=${count('approved')} held=${count('pending')} refused=${count('rejected')} ${lost === 0 ? 'none lost or doubled' : `MISMATCH ${lost}`} ` +
          `non2xx=${write.non2xx} without_token=${write.withoutToken} (fresh form token per post, 8 connections)`,
      )
    }

    // Screening, the Worker's bundle, scale, the widget and the cold start (`extra`, or `cold` for the last).
    if (only('extra') || only('cold'))
      await extraBenchmarks({ db, app, serverUrl: server.url, articleId, seconds: SECONDS, warmup: WARMUP, readResult: read })
    if (only('live')) await liveBenchmark({ db, seconds: SECONDS, warmup: WARMUP })
    if (only('search')) await searchBenchmark({ db, kind: connection.kind, databaseUrl: process.env.DATABASE_URL })
    if (only('overview')) await overviewBenchmark()
    // A child process of its own, so its peak memory is the import's; on PGlite it gets its own data folder.
    if (only('import')) await importBenchmark(connection.kind === 'postgres' ? db : null)
    goalsTable()
  } finally {
    await settle()
    await saveSiteSettings(db, previousSettings)
    await server.close()
    await connection.close()
    await connection.cleanup()
  }
}

main().catch((error) => {
  console.error('[bench] failed:', error)
  process.exit(1)
})
