import { sql } from 'kysely'
import type { Db } from '../platform/db/database.js'
import { normalizeEmail } from '../commenters/commenters.repository.js'
import { NOTICES } from '../platform/i18n/i18n.reader.js'
import { publishableName } from '../comments/comments.schema.js'
import { getSiteSettings } from '../settings/settings.repository.js'
import type { ImportedArticle, ImportedComment, ImportRecord } from './imports.types.js'
import { levels, storedRow, writeArticles, writeCommenters, writeComments } from './imports.rows.js'
import { settle } from './imports.settle.js'

export interface ImportOptions {
  /** Names where rows came from (comments.source): the same file under the same source adds nothing twice. */
  source: string
  dryRun?: boolean
  /** Run the app's built-in screening rules to decide each comment's status instead of keeping the source's. */
  screen?: boolean
  /** Stop once this many rows were bad. */
  maxErrors?: number | null
  batchSize?: number
  /** Called after every batch, for a progress bar. */
  /** Called after each batch is written; a promise is waited for. */
  onBatch?: (summary: ImportSummary) => unknown
  /** Set to stop early (Ctrl-C): what is read so far is written and linked, then the import ends. */
  stop?: { requested: boolean }
  /** Filled as the import goes, so a caller still has the counts when a malformed file ends it. */
  summary?: ImportSummary
}

export interface ImportSummary {
  articles: { read: number; added: number }
  comments: {
    read: number
    added: number
    alreadyPresent: number
    byStatus: Record<'approved' | 'pending' | 'rejected' | 'removed', number>
  }
  commenters: { added: number }
  /** Replies whose parent is not in the file: shown as top-level comments. */
  orphans: number
  bad: number
  /** Why rows were skipped or refused, with how many. */
  skipped: Record<string, number>
  /** The first bad rows, with their lines. */
  errors: { line: number; reason: string }[]
  stoppedAt: 'end' | 'max-errors' | 'interrupted'
}

const FIRST_ERRORS = 20

export class TooManyErrors extends Error {
  override name = 'TooManyErrors'
}

export function emptySummary(): ImportSummary {
  return {
    articles: { read: 0, added: 0 },
    comments: { read: 0, added: 0, alreadyPresent: 0, byStatus: { approved: 0, pending: 0, rejected: 0, removed: 0 } },
    commenters: { added: 0 },
    orphans: 0,
    bad: 0,
    skipped: {},
    errors: [],
    stoppedAt: 'end',
  }
}

/**
 * Writes parsed records in batches: one transaction per batch, multi-row statements over unnest() arrays,
 * ON CONFLICT DO NOTHING on (source, article, source id), so a second run adds nothing and an interrupted
 * run resumes.
 * Rows are written directly, never through the posting path: no webhooks, mails or live notices fire.
 * The counters the app keeps (articles.approved_count, commenters' tallies) and the thread links (parent_id,
 * root_id) are settled at the end, over everything this source ever imported.
 */
export async function runImport(db: Db, records: AsyncIterable<ImportRecord>, options: ImportOptions): Promise<ImportSummary> {
  const summary = options.summary ?? emptySummary()
  const batchSize = options.batchSize ?? 1000
  const settings = options.screen ? await getSiteSettings(db) : null
  let articles: ImportedArticle[] = []
  let comments: ImportedComment[] = []

  // Emails whose guest row exists: most batches then skip the commenters statement. Bounded, so a file
  // of a million different writers keeps memory flat (a forgotten email only costs one no-op insert).
  const knownEmails = new Set<string>()

  const write = async (batchArticles: ImportedArticle[], batchComments: ImportedComment[]) => {
    await db.transaction().execute(async (trx) => {
      // A batch lost to a crash is written again by the next run (ON CONFLICT DO NOTHING), so the import
      // need not wait for each commit to reach the disk.
      await sql`set local synchronous_commit = off`.execute(trx)
      summary.articles.added += await writeArticles(trx, options.source, batchArticles)
      const newEmails = batchComments.filter(
        (c) => c.authorEmail && c.status !== 'deleted' && !knownEmails.has(normalizeEmail(c.authorEmail)),
      )
      summary.commenters.added += await writeCommenters(trx, newEmails)
      if (knownEmails.size > 100_000) knownEmails.clear()
      for (const c of newEmails) knownEmails.add(normalizeEmail(c.authorEmail!))
      const rows = batchComments.map((c) => storedRow(c, settings))
      for (const level of levels(rows)) {
        const inserted = await writeComments(trx, options.source, level)
        summary.comments.added += inserted.length
        summary.comments.alreadyPresent += level.length - inserted.length
        for (const r of inserted) summary.comments.byStatus[r.deleted ? 'removed' : r.status]++
      }
      // Cached public lists of these articles are stale now.
      const touched = [...new Set(batchComments.map((c) => c.articleId))]
      if (touched.length > 0) await sql`update articles set version = version + 1 where id = any(${touched}::text[])`.execute(trx)
    })
    await options.onBatch?.(summary)
  }

  // One batch is written while the next is read: parsing and the database each get a core.
  let writing: Promise<void> | null = null
  const flush = async () => {
    const batchArticles = articles
    const batchComments = comments
    articles = []
    comments = []
    if (options.dryRun) return
    if (writing) await writing
    writing = null
    if (batchArticles.length === 0 && batchComments.length === 0) return
    writing = write(batchArticles, batchComments)
    // Awaited at the next flush; until then a failure must not count as unhandled.
    writing.catch(() => undefined)
  }
  const drain = async () => {
    await flush()
    if (writing) await writing
    writing = null
  }

  try {
    for await (const record of records) {
      switch (record.kind) {
        case 'article':
          summary.articles.read++
          articles.push(record)
          break
        case 'comment':
          summary.comments.read++
          // A dry run reports what the source says; a real run counts what was stored (screening may differ).
          if (options.dryRun) {
            summary.comments.added++
            summary.comments.byStatus[record.status === 'deleted' ? 'removed' : record.status === 'spam' ? 'rejected' : record.status]++
          }
          // Names from another system meet the rules typed names do; a deleted comment's is the tombstone's.
          comments.push(
            record.status === 'deleted' ? record : { ...record, authorName: publishableName(record.authorName, NOTICES.en.unnamed) },
          )
          if (comments.length >= batchSize) await flush()
          break
        case 'skipped':
          summary.skipped[record.reason] = (summary.skipped[record.reason] ?? 0) + 1
          break
        case 'bad':
          summary.bad++
          if (summary.errors.length < FIRST_ERRORS) summary.errors.push({ line: record.line, reason: record.reason })
          if (options.maxErrors != null && summary.bad >= options.maxErrors) {
            summary.stoppedAt = 'max-errors'
            throw new TooManyErrors(
              `stopped after ${summary.bad} bad rows (--max-errors ${options.maxErrors}); the last at line ${record.line}: ${record.reason}`,
            )
          }
          break
      }
      if (options.stop?.requested) {
        summary.stoppedAt = 'interrupted'
        break
      }
    }
    await drain()
  } finally {
    // Whatever stopped the import, what was written is linked and counted, so the site stays consistent.
    if (!options.dryRun) {
      await drain().catch(() => undefined)
      summary.orphans = await settle(db, options.source)
    }
  }
  return summary
}
