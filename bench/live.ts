// The live line (issue 13): one Node server process, `npm start`'s, holding 10,000 SSE streams. Its memory
// per stream, how fast an approval reaches 2,000 readers of one article, and the read path while the
// streams are open. The server is a child process so the bench's own sockets do not count against it.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { type Socket, connect, createServer } from 'node:net'
import { pathToFileURL } from 'node:url'
import { createModerator } from '../src/auth/auth.users.js'
import type { Db } from '../src/platform/db/database.js'
import { randomToken } from '../src/platform/lib/crypto.js'
import { getSiteSettings, saveSiteSettings } from '../src/settings/settings.repository.js'
import { type LoadResult, load } from './autocannon.js'
import { openBenchDb } from './bench.setup.js'
import { seedArticle } from './seed.js'

const STREAMS = 10_000
const ARTICLES = 5 // 2,000 streams each; the first is the fan-out article
const FANOUT_RUNS = 5
/** Streams whose request is sent but whose 200 head has not come back: a few hundred, within the listen backlog. */
const OPENING_AT_ONCE = 256

export interface LiveBenchContext {
  db: Db
  seconds: number
  warmup: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const medianRound = (rounds: LoadResult[]) => [...rounds].sort((a, b) => a.rps - b.rps)[Math.floor(rounds.length / 2)]!
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** `npm start` without tsx's wrapper process, so the pid is the server's own and its RSS is the server's. */
async function startServer(databaseUrl: string) {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/node.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      IP_HASH_SECRET: 'bench-live-secret-bench-live-secret-0',
      PORT: String(port),
      // Every bench stream comes from 127.0.0.1: the per-address limit would stop them at 20.
      LIVE_MAX_STREAMS: String(STREAMS * 10),
      LIVE_MAX_PER_IP: String(STREAMS * 10),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000))
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`live: the server exited: ${output}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`live: the server did not start: ${output}`)
    }
    try {
      if ((await fetch(`${url}/health`)).ok) break
    } catch {
      // not listening yet
    }
    await sleep(100)
  }
  return {
    pid: child.pid!,
    port,
    url,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
        child.once('exit', () => {
          clearTimeout(kill)
          resolve()
        })
        child.kill('SIGTERM')
      }),
  }
}

/** User and system time of a process in ms (/proc counts in ticks of 10 ms). */
function cpuMs(pid: number) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

const rssKb = (pid: number) => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN)

/** RSS once the server has been idle a while (its GC settled): the median of a few samples. */
async function settledRssKb(pid: number) {
  await sleep(2000)
  const samples: number[] = []
  for (let i = 0; i < 5; i++) {
    samples.push(rssKb(pid))
    await sleep(300)
  }
  return median(samples)
}

/** One SSE stream on a plain socket, as small a client as can be: the request, then the bytes as they come. */
interface Stream {
  socket: Socket
  /** Set while a fan-out run waits for this stream's event. */
  onText: ((text: string) => void) | null
}

function openStream(port: number, articleId: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port })
    const stream: Stream = { socket, onText: null }
    let head: string | null = ''
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => {
      if (head === null) return stream.onText?.(chunk.toString('utf8'))
      head += chunk.toString('latin1')
      if (!head.includes('\r\n\r\n')) return
      const status = head.slice(0, head.indexOf('\r\n'))
      head = null
      if (status.startsWith('HTTP/1.1 200')) return resolve(stream)
      socket.destroy()
      reject(new Error(status))
    })
    // After the head, a reset (the server stopping) must not throw in the bench; before it, it fails the open.
    socket.on('error', (error) => reject(error))
    socket.on('close', () => reject(new Error('closed before its head')))
    socket.write(
      `GET /api/v1/articles/${encodeURIComponent(articleId)}/stream HTTP/1.1\r\nhost: 127.0.0.1\r\naccept: text/event-stream\r\n\r\n`,
    )
  })
}

/** Opens `count` streams over `articles`, round robin, a few hundred in flight at a time; stops at the first refusal. */
async function openStreams(port: number, articles: string[], count: number) {
  const streams: Stream[][] = articles.map(() => [])
  let next = 0
  let failure: string | null = null
  const worker = async () => {
    while (failure === null && next < count) {
      const n = next++
      try {
        streams[n % articles.length]!.push(await openStream(port, articles[n % articles.length]!))
      } catch (error) {
        failure ??= `${(error as { code?: string }).code ?? (error as Error).message} after ${streams.flat().length} streams`
      }
    }
  }
  await Promise.all(Array.from({ length: OPENING_AT_ONCE }, worker))
  return { streams, failure }
}

interface FanoutRun {
  latencies: number[]
  approveMs: number
  /** The server's CPU time over the run (approval, notice, query, writes), to tell work from waiting. */
  serverCpuMs: number
}

/**
 * Posts a comment (held: the site is on pre-moderation), then approves it as a moderator and times, from
 * just before the approval is sent, the arrival of its `comment` event at each subscriber.
 */
async function fanoutRun(
  server: { url: string; pid: number },
  articleId: string,
  cookie: string,
  subscribers: Stream[],
): Promise<FanoutRun> {
  const serverUrl = server.url
  const { formToken } = (await (await fetch(`${serverUrl}/api/v1/articles/${articleId}/form-token`)).json()) as { formToken: string }
  const posted = await fetch(`${serverUrl}/api/v1/articles/${articleId}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Live Reader',
      email: `live-${Math.random().toString(36).slice(2, 10)}@example.org`,
      body: 'The convoy reached the northern villages before dawn.',
      formToken,
    }),
  })
  const { comment } = (await posted.json()) as { comment: { id: string; status: string } }
  if (posted.status !== 202) throw new Error(`live: the comment was not held (${posted.status}, ${comment?.status})`)
  const needle = `"id":"${comment.id}"`
  const latencies: number[] = []
  let start = 0
  const arrived = new Promise<void>((resolve) => {
    for (const stream of subscribers) {
      let text = ''
      stream.onText = (chunk) => {
        text += chunk
        // A block is one event; its bytes may come split over chunks, so only whole blocks are read.
        const end = text.lastIndexOf('\n\n')
        if (end < 0) return
        const blocks = text.slice(0, end)
        text = text.slice(end + 2)
        if (!blocks.includes('event: comment') || !blocks.includes(needle)) return
        latencies.push(performance.now() - start)
        stream.onText = null
        if (latencies.length === subscribers.length) resolve()
      }
    }
  })
  const cpuBefore = cpuMs(server.pid)
  start = performance.now()
  const approved = await fetch(`${serverUrl}/api/v1/mod/comments/${comment.id}/approve`, {
    method: 'POST',
    headers: { cookie, 'sec-fetch-site': 'same-origin' },
  })
  const approveMs = performance.now() - start
  if (!approved.ok) throw new Error(`live: approve answered ${approved.status}: ${await approved.text()}`)
  await Promise.race([arrived, sleep(10_000)])
  for (const stream of subscribers) stream.onText = null
  return { latencies, approveMs, serverCpuMs: cpuMs(server.pid) - cpuBefore }
}

async function signIn(serverUrl: string, username: string, password: string) {
  const res = await fetch(`${serverUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify({ username, password }),
  })
  const cookie = res.headers.get('set-cookie')?.split(';')[0]
  if (!res.ok || !cookie) throw new Error(`live: sign-in failed: ${res.status} ${await res.text()}`)
  return cookie
}

const fmt = (n: number) => n.toFixed(1)

/** Prints the `live` line; needs PostgreSQL (DATABASE_URL), which carries the notices between processes. */
export async function liveBenchmark({ db, seconds, warmup }: LiveBenchContext): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) return console.log('live skipped (needs DATABASE_URL: the server is a child process over PostgreSQL)')
  const run = Date.now().toString(36)
  const articles = Array.from({ length: ARTICLES }, (_, i) => `bench-${run}-live-${i}`)
  const readArticle = `bench-${run}-live-read`
  await seedArticle(db, readArticle, 200, 40)
  const previousSettings = await getSiteSettings(db)
  // Held on arrival so the approval is what publishes; no rate limit or too-fast check for the bench's posts.
  await saveSiteSettings(db, { ...previousSettings, moderationMode: 'pre', rateLimitPerMinute: 0, minSecondsToPost: 0 })
  const username = `bench-live-${run}`
  const password = randomToken(24)
  const moderator = await createModerator(db, username, password, 'moderator')
  const servers: Awaited<ReturnType<typeof startServer>>[] = []
  const open: Stream[] = []
  try {
    // The same server twice: one holds the streams, its twin none and is the read path's ceiling.
    const started = await Promise.allSettled([startServer(databaseUrl), startServer(databaseUrl)])
    for (const outcome of started) if (outcome.status === 'fulfilled') servers.push(outcome.value)
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason
    const [server, twin] = servers as [(typeof servers)[0], (typeof servers)[0]]
    const readLoad = (url: string, s: number) =>
      load({ url: `${url}/api/v1/articles/${readArticle}/comments`, connections: 32, seconds: s })
    await readLoad(twin.url, warmup)
    await readLoad(server.url, warmup)

    const cookie = await signIn(server.url, username, password)
    const rssBefore = await settledRssKb(server.pid)
    const opening = performance.now()
    const { streams, failure } = await openStreams(server.port, articles, STREAMS)
    const openSeconds = (performance.now() - opening) / 1000
    open.push(...streams.flat())
    if (streams[0]!.length === 0) throw new Error(`live: no stream opened (${failure})`)
    const rssAfter = await settledRssKb(server.pid)
    const perConnKb = (rssAfter - rssBefore) / open.length

    // Fan-out to the first article's subscribers, with every other stream still open.
    const subscribers = streams[0]!
    await fanoutRun(server, articles[0]!, cookie, subscribers) // warm-up: the first query plans and code paths
    const runs: FanoutRun[] = []
    for (let i = 0; i < FANOUT_RUNS; i++) runs.push(await fanoutRun(server, articles[0]!, cookie, subscribers))
    const pooled = runs.flatMap((r) => r.latencies).sort((a, b) => a - b)
    const fewest = Math.min(...runs.map((r) => r.latencies.length))

    // This shared VM drifts from one minute to the next: the two are measured in alternating rounds and
    // each keeps its median round, as the read line does with its bare-Hono ceiling.
    const withRounds: LoadResult[] = []
    const withoutRounds: LoadResult[] = []
    for (let round = 0; round < 3; round++) {
      withoutRounds.push(await readLoad(twin.url, seconds / 2))
      withRounds.push(await readLoad(server.url, seconds / 2))
    }
    const readWith = medianRound(withRounds)
    const readWithout = medianRound(withoutRounds)
    const stillOpen = open.filter((stream) => !stream.socket.destroyed).length

    console.log(
      `live connections=${open.length}/${STREAMS} rss_kb_per_conn=${fmt(perConnKb)} rss_mb=${Math.round(rssBefore / 1024)}→${Math.round(rssAfter / 1024)} opened_in_s=${openSeconds.toFixed(1)}` +
        `${failure ? ` stopped_by=${failure}` : ''} (goal ≥10000 at ≤20 KB each) | ` +
        `fanout subscribers=${subscribers.length} p50_ms=${fmt(quantile(pooled, 0.5))} p99_ms=${fmt(quantile(pooled, 0.99))} max_ms=${fmt(pooled.at(-1) ?? NaN)} first_ms=${fmt(pooled[0] ?? NaN)} ` +
        `received=${fewest}/${subscribers.length} approve_ms=${fmt(median(runs.map((r) => r.approveMs)))} server_cpu_ms=${median(runs.map((r) => r.serverCpuMs))} ` +
        `(approval sent to event read; ${FANOUT_RUNS} runs pooled, received in the worst) | ` +
        `read_with_streams rps=${Math.round(readWith.rps)} p99_ms=${readWith.p99} non2xx=${readWith.non2xx} still_open=${stillOpen} | ` +
        `ceiling (twin process, no streams) rps=${Math.round(readWithout.rps)} p99_ms=${readWithout.p99} ratio=${(readWith.rps / readWithout.rps).toFixed(2)} (goal ≥0.7)`,
    )
  } catch (error) {
    for (const server of servers) console.error(`[bench] live: server ${server.pid} said: ${server.output()}`)
    throw error
  } finally {
    for (const stream of open) stream.socket.destroy()
    await Promise.all(servers.map((server) => server.stop()))
    await saveSiteSettings(db, previousSettings)
    // Its sessions go with it; its decisions stay, unnamed.
    await db.deleteFrom('moderators').where('id', '=', moderator.id).execute()
  }
}

// `npx tsx bench/live.ts`: this measure alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10)
  const connection = await openBenchDb()
  try {
    await liveBenchmark({ db: connection.db, seconds, warmup: Math.max(1, Math.min(3, seconds / 3)) })
  } finally {
    await connection.close()
    await connection.cleanup()
  }
}
