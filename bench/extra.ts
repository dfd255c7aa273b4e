import { coldStart, formatColdStart } from './cold-start.js'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { findApprovedPage } from '../src/comments/comments.repository.js'
import type { Db } from '../src/platform/db/database.js'
import { listQueue } from '../src/moderation/moderation.queue.js'
import { launchBrowser } from '../test/helpers/browser.js'
import { buildWidget } from '../widget/build.js'
import { type LoadResult, load } from './autocannon.js'
import { benchScreening } from './screening.js'
import { seedArticle, seedPending } from './seed.js'

export interface BenchContext {
  db: Db
  app: { request(path: string, init?: RequestInit): Response | Promise<Response> }
  serverUrl: string
  articleId: string
  seconds: number
  warmup: number
  readResult: LoadResult
}

/** p50 and p99 in milliseconds of `runs` sequential calls. */
async function timeIt(runs: number, work: () => Promise<unknown>) {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await work()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2)
  return { p50: at(0.5), p99: at(0.99) }
}

/** Measurements beyond the read and write paths; each prints its own line. */
export async function extraBenchmarks(context: BenchContext): Promise<void> {
  const screening = benchScreening()
  console.log(
    `screening p50_us=${screening.both.p50us} p99_us=${screening.both.p99us} (rules and model, 2,000-entry banned and suspect lists, ${screening.both.comments} comments) | ` +
      `rules alone p50_us=${screening.rules.p50us} p99_us=${screening.rules.p99us} | model alone p50_us=${screening.model.p50us} p99_us=${screening.model.p99us}`,
  )
  await workerBundle()
  await scaleBenchmarks(context)
  await widgetBenchmarks(context)
  // `npm start` as a newcomer runs it (the compiled server): one fresh start, then the median of five.
  console.log(formatColdStart(await coldStart()))
}

/** The Worker as wrangler would upload it: the model ships inside, so its size is watched here. */
async function workerBundle() {
  const outdir = mkdtempSync(join(tmpdir(), 'nc-worker-'))
  try {
    const code = await new Promise<number>((resolve) => {
      const child = spawn('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
        stdio: 'ignore',
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
      })
      child.on('exit', (exit) => resolve(exit ?? 1))
    })
    if (code !== 0 || !existsSync(join(outdir, 'worker.js'))) return console.log('worker bundle: wrangler dry run failed')
    const raw = readFileSync(join(outdir, 'worker.js'))
    console.log(
      `worker bundle gzip_bytes=${gzipSync(raw, { level: 9 }).length} raw_bytes=${raw.length} (limit 1 MB gzipped; the abuse model is inside)`,
    )
  } finally {
    rmSync(outdir, { recursive: true, force: true })
  }
}

async function scaleBenchmarks({ db, serverUrl, articleId, seconds, readResult }: BenchContext) {
  const big = `${articleId}-10k`
  await seedArticle(db, big, 10_000, 2_000)
  // Cursor of page 50, walked the way a reader's "load more" would.
  let cursor: string | null = null
  for (let page = 1; page < 50; page++)
    cursor = (await findApprovedPage(db, big, { sort: 'newest', cursor: cursor ?? undefined, limit: 20 })).nextCursor
  const small = await timeIt(200, () => findApprovedPage(db, articleId, { sort: 'newest', limit: 20 }))
  const first = await timeIt(200, () => findApprovedPage(db, big, { sort: 'newest', limit: 20 }))
  const deep = await timeIt(200, () => findApprovedPage(db, big, { sort: 'newest', cursor: cursor!, limit: 20 }))
  console.log(
    `scale query (uncached) 200-comment first page p50_ms=${small.p50} p99_ms=${small.p99} | 10k-comment first page p50_ms=${first.p50} p99_ms=${first.p99} | page 50 p50_ms=${deep.p50} p99_ms=${deep.p99} | ratio first=${(Number(first.p50) / Number(small.p50)).toFixed(2)} deep=${(Number(deep.p50) / Number(small.p50)).toFixed(2)}`,
  )
  const httpFirst = await load({ url: `${serverUrl}/api/v1/articles/${big}/comments`, connections: 32, seconds })
  const httpDeep = await load({ url: `${serverUrl}/api/v1/articles/${big}/comments?cursor=${cursor}`, connections: 32, seconds })
  console.log(
    `scale read (HTTP, cached) 10k first page rps=${Math.round(httpFirst.rps)} p99_ms=${httpFirst.p99} | page 50 rps=${Math.round(httpDeep.rps)} p99_ms=${httpDeep.p99} | 200-comment article rps=${Math.round(readResult.rps)} p99_ms=${readResult.p99}`,
  )

  const seedStart = performance.now()
  await seedPending(db, 100_000, 50)
  const queue = await timeIt(100, () => listQueue(db, { queue: 'pending', limit: 20 }))
  const byArticle = await timeIt(100, () => listQueue(db, { queue: 'pending', articleId: 'queue-7', limit: 20 }))
  // Riskiest first is the default; page 50 follows (risk, id) cursors through many equal risks.
  let riskCursor: string | undefined
  for (let page = 1; page < 50; page++)
    riskCursor = (await listQueue(db, { queue: 'pending', cursor: riskCursor, limit: 20 })).nextCursor ?? undefined
  const deepQueue = await timeIt(100, () => listQueue(db, { queue: 'pending', cursor: riskCursor, limit: 20 }))
  const newest = await timeIt(100, () => listQueue(db, { queue: 'pending', sort: 'newest', limit: 20 }))
  console.log(
    `scale queue 100k pending, riskiest first: first page p50_ms=${queue.p50} p99_ms=${queue.p99} | page 50 p50_ms=${deepQueue.p50} p99_ms=${deepQueue.p99} | one article p50_ms=${byArticle.p50} p99_ms=${byArticle.p99} | newest first p50_ms=${newest.p50} p99_ms=${newest.p99} (seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)}s)`,
  )
}

async function widgetBenchmarks({ db, serverUrl }: BenchContext) {
  const { gzipBytes, code } = await buildWidget()
  if (!existsSync('/usr/bin/chromium')) {
    console.log(`widget gzip_bytes=${gzipBytes} raw_bytes=${code.length} paint: skipped (no /usr/bin/chromium)`)
    return
  }
  await seedArticle(db, 'demo-aid-corridor', 200, 40)
  const browser = await launchBrowser()
  try {
    const page = await browser.context.newPage()
    const paints: number[] = []
    for (let i = 0; i < 12; i++) {
      await page.goto(`${serverUrl}/demo`)
      await page.locator('nc-comments[data-state=ready]').waitFor()
      const ms = await page.evaluate(async () => {
        for (let tries = 0; tries < 100 && performance.getEntriesByName('nc:painted').length === 0; tries++)
          await new Promise((r) => setTimeout(r, 10))
        return performance.measure('nc', 'nc:start', 'nc:painted').duration
      })
      if (i >= 2) paints.push(ms) // the first loads warm the server's caches and the widget build
    }
    paints.sort((a, b) => a - b)
    console.log(
      `widget gzip_bytes=${gzipBytes} raw_bytes=${code.length} paint_ms p50=${paints[Math.floor(paints.length / 2)]!.toFixed(1)} max=${paints.at(-1)!.toFixed(1)} (script start to 200 comments painted, /demo on localhost)`,
    )
  } finally {
    await browser.close()
  }
}
