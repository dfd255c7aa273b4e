import { spawn } from 'node:child_process'
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import type { Db } from '../src/platform/db/database.js'

const BODIES = [
  'Aid convoys reached the north today; the reporting from the crossing is careful and clear.',
  'نأمل أن يصمد وقف إطلاق النار هذه المرة، فالناس في المخيمات لا يحتملون شتاءً آخر.',
  '<p>The figures for Idlib match what the UN published.</p><p>Thank you for the map.</p>',
  'Where are the families from Saraqib supposed to go? Nobody in this piece says.',
]

/** A Disqus export of `comments` posts: a tenth of them replies, some listed before their parents. */
export async function writeDisqusFile(path: string, comments: number, run: string) {
  const out = createWriteStream(path, { encoding: 'utf8' })
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain')
  }
  // About ten threads per thousand posts, never a multiple of ten: the reply pattern below then gives
  // threads two levels deep instead of chains a hundred replies long.
  const threads = Math.floor(comments / 1000) * 10 + 3
  await write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n')
  for (let t = 0; t < threads; t++) {
    await write(
      `<thread dsq:id="t${t}"><id>bench-import-${run}-${t}</id><link>https://news.example/bench/${run}/${t}</link><title>Bench article ${t}</title><createdAt>2020-01-01T00:00:00Z</createdAt><isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n`,
    )
  }
  const start = Date.parse('2020-01-01T00:00:00Z')
  let chunk = ''
  for (let i = 0; i < comments; i++) {
    const thread = i % threads
    // A fifth of the posts answer an earlier post of the same thread (a top-level one, or a reply to one);
    // one in fifty names a later post, as Disqus files sometimes do.
    const parent =
      i % 10 === 9 ? (i % 50 === 49 && i + 2 * threads < comments ? i + 2 * threads : i - threads) : i % 10 === 2 ? i - threads : -1
    chunk +=
      `<post dsq:id="p${i}"><message><![CDATA[${BODIES[i % BODIES.length]} #${i}]]></message>` +
      `<createdAt>${new Date(start + i * 1000).toISOString()}</createdAt><isDeleted>${i % 97 === 0}</isDeleted><isSpam>${i % 89 === 0}</isSpam>` +
      `<author><email>reader${i % 20000}@bench-import-${run}.example</email><name>Reader ${i % 20000}</name><isAnonymous>true</isAnonymous></author>` +
      `<thread dsq:id="t${thread}"/>${parent >= 0 ? `<parent dsq:id="p${parent}"/>` : ''}</post>\n`
    if (chunk.length > 1 << 16) {
      await write(chunk)
      chunk = ''
    }
  }
  await write(`${chunk}</disqus>\n`)
  out.end()
  await once(out, 'finish')
}

/** The child's resident memory at its peak, read from /proc while it runs (Linux). */
function peakRssOf(pid: number, onPeak: (bytes: number) => void): () => void {
  const timer = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      if (hwm) onPeak(Number(hwm[1]) * 1024)
    } catch {
      // The process has ended.
    }
  }, 100)
  return () => clearInterval(timer)
}

/**
 * Imports a generated Disqus file through `npm run import` in a child process (so its peak memory is its
 * own) into DATABASE_URL, or into a throw-away embedded database; then removes what it imported.
 */
export async function importBenchmark(db: Db | null, comments = Number(process.env.IMPORT_BENCH_COMMENTS ?? 200_000)) {
  const dir = mkdtempSync(join(tmpdir(), 'nc-bench-import-'))
  const run = Date.now().toString(36)
  const file = join(dir, 'bench.disqus.xml')
  try {
    await writeDisqusFile(file, comments, run)
    const env = { ...process.env, ...(process.env.DATABASE_URL ? {} : { DATA_DIR: join(dir, 'data') }) }
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/import.ts', 'disqus', file, '--source', `bench-${run}`], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let peak = 0
    const stopWatching = peakRssOf(child.pid!, (bytes) => (peak = Math.max(peak, bytes)))
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    const started = Date.now()
    const [code] = (await once(child, 'exit')) as [number]
    const seconds = (Date.now() - started) / 1000
    stopWatching()
    if (code !== 0) throw new Error(`import exited with ${code}:\n${output}`)
    const perSecond = /\((\d+)\/s\)/.exec(output)?.[1]
    console.log(
      `import comments=${comments} comments_per_s=${perSecond} wall_s=${seconds.toFixed(1)} (with start-up and linking) peak_rss_mb=${Math.round(peak / 1024 / 1024)} database=${process.env.DATABASE_URL ? 'postgres' : 'pglite'}`,
    )
    if (db) {
      await sql`delete from comments where source = ${`bench-${run}`}`.execute(db)
      await sql`delete from articles where id like ${`bench-import-${run}-%`}`.execute(db)
      await sql`delete from commenters where email_normalized like ${`%@bench-import-${run}.example`}`.execute(db)
      await sql`delete from imports where source = ${`bench-${run}`}`.execute(db)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { connectPostgres } = await import('../src/platform/db/connect-pg.js')
  const db = process.env.DATABASE_URL ? connectPostgres(process.env.DATABASE_URL, { max: 2 }) : null
  try {
    await importBenchmark(db)
  } finally {
    await db?.destroy()
  }
}
