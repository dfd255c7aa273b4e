import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import { openMigrated } from './cli-db.js'
import { FORMATS, type Format, importFile } from '../imports/imports.run.js'
import type { ImportSummary } from '../imports/imports.writer.js'
import { runCli } from './cli-env.js'
import { httpUrl } from '../platform/lib/urls.js'

const USAGE = `Usage: npm run import -- FORMAT FILE [--dry-run] [--screen] [--max-errors N] [--source NAME] [--site-url URL] [--force]
  FORMAT: ${FORMATS.join(', ')}   (isso reads Isso's SQLite file; backup restores a file written by npm run export)
  --site-url https://news.example   for Isso, which keeps pages by path: the pages' addresses there`

/** A reason quoted from a file may hold its bytes: no control character reaches the terminal. */
const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd')

function printSummary(s: ImportSummary, dryRun: boolean) {
  const verb = dryRun ? 'would add' : 'added'
  const lines = [
    `[comments] articles: ${s.articles.read} read, ${dryRun ? s.articles.read : s.articles.added} ${verb}`,
    `[comments] comments: ${s.comments.read} read, ${s.comments.added} ${verb}` +
      ` (approved ${s.comments.byStatus.approved}, pending ${s.comments.byStatus.pending}, rejected ${s.comments.byStatus.rejected}, removed ${s.comments.byStatus.removed})` +
      (dryRun ? ', some perhaps already present' : `, ${s.comments.alreadyPresent} already present`),
    `[comments] commenters: ${dryRun ? '(not counted in a dry run)' : `${s.commenters.added} added`}`,
  ]
  if (s.orphans > 0) lines.push(`[comments] ${s.orphans} replies whose parent is not in the file are shown as top-level comments`)
  for (const [reason, n] of Object.entries(s.skipped)) lines.push(`[comments] skipped ${n}: ${printable(reason)}`)
  if (s.bad > 0) {
    lines.push(`[comments] bad rows: ${s.bad}${s.bad > s.errors.length ? ` (the first ${s.errors.length}:)` : ':'}`)
    for (const e of s.errors) lines.push(`  line ${e.line}: ${printable(e.reason)}`)
  }
  if (dryRun) lines.push('[comments] dry run: nothing was written, and the run is not recorded in /moderate/imports')
  console.log(lines.join('\n'))
}

await runCli(async (env) => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      screen: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      'max-errors': { type: 'string' },
      source: { type: 'string' },
      'site-url': { type: 'string' },
      'batch-size': { type: 'string' },
    },
  })
  const [format, file] = positionals
  if (!format || !file || !(FORMATS as readonly string[]).includes(format)) {
    console.error(USAGE)
    return 2
  }
  const maxErrors = values['max-errors'] === undefined ? null : Number.parseInt(values['max-errors'], 10)
  if (maxErrors !== null && !(maxErrors > 0)) {
    console.error(`--max-errors takes a positive number\n${USAGE}`)
    return 2
  }
  const siteUrl = values['site-url'] ?? null
  if (siteUrl !== null && httpUrl(siteUrl) === null) {
    console.error(`--site-url takes an http(s) address, such as https://news.example\n${USAGE}`)
    return 2
  }
  const connection = await openMigrated(env)
  const stop = { requested: false }
  // The first Ctrl-C finishes the batch in hand and links what is in; the second leaves at once.
  process.on('SIGINT', () => {
    if (stop.requested) process.exit(130)
    stop.requested = true
  })
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: '{bar} {percentage}% | {comments} comments | {rate}/s | ETA {eta_formatted}', stream: process.stderr, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      )
    : null
  const started = Date.now()
  let comments = 0
  try {
    bar?.start(1, 0, { comments: 0, rate: 0 })
    const result = await importFile(connection.db, format as Format, file, {
      dryRun: values['dry-run'],
      screen: values.screen,
      force: values.force,
      maxErrors,
      siteUrl,
      stop,
      ...(values.source ? { source: values.source } : {}),
      ...(values['batch-size'] ? { batchSize: Number.parseInt(values['batch-size'], 10) } : {}),
      onBatch: (s) => {
        comments = s.comments.read
      },
      onProgress: (done, total) => {
        bar?.setTotal(total)
        bar?.update(done, { comments, rate: Math.round(comments / Math.max(0.001, (Date.now() - started) / 1000)) })
      },
    })
    bar?.stop()
    const seconds = (Date.now() - started) / 1000
    // A refusal before the first row (a restore into a site with comments) has nothing to sum up.
    if (result.ok || result.summary.articles.read + result.summary.comments.read + result.summary.bad > 0) {
      printSummary(result.summary, values['dry-run'])
      console.log(
        `[comments] ${result.summary.comments.read} comments in ${seconds.toFixed(1)} s (${Math.round(result.summary.comments.read / Math.max(seconds, 0.001))}/s)`,
      )
    }
    if (!result.ok) {
      console.error(`[comments] import failed: ${printable(result.error)}`)
      return 1
    }
    if (result.summary.stoppedAt === 'interrupted') {
      console.error('[comments] interrupted: run the same command again to continue where it stopped')
      return 130
    }
    return 0
  } finally {
    bar?.stop()
    await connection.close()
  }
})
