import { sql } from 'kysely'
import type { Db } from '../platform/db/database.js'
import { EXPORT_FORMAT, EXPORTED_TABLES } from './imports.export.js'
import { notJsonReason, numberedLines } from './imports.lines.js'
import { MalformedFileError, RefusedError, type TextChunks } from './imports.types.js'
import { type ImportOptions, type ImportSummary, TooManyErrors, emptySummary } from './imports.writer.js'

/** jsonb columns: sent as JSON text, or pg would turn a JSON array into a PostgreSQL array. */
const JSON_COLUMNS: Record<string, string[]> = { settings: ['value'], commenters: ['notify'], comments: ['screening'] }

const TABLE_OF = new Map<string, string>(EXPORTED_TABLES.map((t) => [t.type, t.table]))

const notAnExport = (line: number) =>
  new MalformedFileError(line, `not an export of this app (the first line should be {"type":"export","format":"${EXPORT_FORMAT}",…})`)

type RestoreOptions = Omit<ImportOptions, 'source'> & { force?: boolean }

/**
 * Restores our own export. The comments go in without their parents first (a reply imported from
 * elsewhere may sort before its parent), and a second read of the file links them; every other column,
 * counters included, is taken as it was. Moderators are not in an export (their password hashes are
 * secrets), so the audit log keeps their names but not their accounts.
 */
export async function restoreBackup(db: Db, chunks: TextChunks, again: () => TextChunks, options: RestoreOptions): Promise<ImportSummary> {
  const summary = options.summary ?? emptySummary()
  const batchSize = options.batchSize ?? 1000
  if (!options.dryRun && !options.force) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from comments`.execute(db)
    const n = rows[0]?.n ?? 0
    if (n > 0)
      throw new RefusedError(
        `the database already has ${n} comments: restore into an empty database, or pass --force to add the backup's rows to them`,
      )
  }

  let table: string | null = null
  let buffer: Record<string, unknown>[] = []
  let sawHeader = false
  const flush = async () => {
    const rows = buffer
    buffer = []
    if (rows.length === 0 || options.dryRun || !table) return
    const added = await insertRows(db, table, rows)
    if (table === 'articles') summary.articles.added += added
    if (table === 'commenters') summary.commenters.added += added
    if (table === 'comments') summary.comments.added += added
    if (table === 'comments') summary.comments.alreadyPresent += rows.length - added
    await options.onBatch?.(summary)
  }

  const bad = (line: number, reason: string) => {
    summary.bad++
    if (summary.errors.length < 20) summary.errors.push({ line, reason })
    if (options.maxErrors != null && summary.bad >= options.maxErrors) {
      throw new TooManyErrors(
        `stopped after ${summary.bad} bad rows (--max-errors ${options.maxErrors}); the last at line ${line}: ${reason}`,
      )
    }
  }

  try {
    for await (const { line, text } of numberedLines(chunks)) {
      if (text.trim() === '') continue
      let row: Record<string, unknown>
      try {
        row = JSON.parse(text) as Record<string, unknown>
      } catch (error) {
        // The header is the first line or there is none: a file of junk stops here, not a thousand lines on.
        if (!sawHeader) throw notAnExport(line)
        bad(line, notJsonReason(error))
        continue
      }
      if (!sawHeader) {
        if (row?.type !== 'export' || row.format !== EXPORT_FORMAT) throw notAnExport(line)
        sawHeader = true
        continue
      }
      const { type, ...columns } = row ?? {}
      const target = typeof type === 'string' ? TABLE_OF.get(type) : undefined
      if (!target) {
        bad(line, `unknown row type ${JSON.stringify(type)}`)
        continue
      }
      if (target !== table || buffer.length >= batchSize) {
        await flush()
        table = target
      }
      if (target === 'articles') summary.articles.read++
      if (target === 'comments') {
        summary.comments.read++
        const status = columns.deleted ? 'removed' : (columns.status as 'approved' | 'pending' | 'rejected')
        if (status in summary.comments.byStatus) summary.comments.byStatus[status]++
        // Linked on the second read.
        columns.parent_id = null
      }
      if (target === 'moderation_actions') columns.actor_id = null
      if (target === 'commenter_notes') columns.moderator_id = null
      buffer.push(columns)
      if (options.stop?.requested) {
        summary.stoppedAt = 'interrupted'
        break
      }
    }
    await flush()
  } finally {
    if (!options.dryRun) await flush().catch(() => undefined)
  }
  if (!options.dryRun) {
    // Planned on fresh statistics, the linking updates find each comment by its key.
    await sql`analyze comments`.execute(db)
    await linkParents(db, again(), batchSize)
  }
  return summary
}

async function insertRows(db: Db, table: string, rows: Record<string, unknown>[]): Promise<number> {
  const json = JSON_COLUMNS[table] ?? []
  const values = rows.map((row) => {
    const out: Record<string, unknown> = { ...row }
    for (const column of json) if (column in out) out[column] = JSON.stringify(out[column])
    return out
  })
  const inserted = await (db as Db)
    .insertInto(table as 'comments')
    .values(values as never)
    .onConflict((oc) => oc.doNothing())
    .returning(sql<number>`1`.as('one'))
    .execute()
  return inserted.length
}

async function linkParents(db: Db, chunks: TextChunks, batchSize: number) {
  let ids: string[] = []
  let parents: string[] = []
  const flush = async () => {
    if (ids.length === 0) return
    await sql`
      update comments c set parent_id = v.parent_id
      from unnest(${ids}::text[], ${parents}::text[]) as v(id, parent_id)
      where c.id = v.id and c.parent_id is null and exists (select 1 from comments p where p.id = v.parent_id)`.execute(db)
    ids = []
    parents = []
  }
  for await (const { text } of numberedLines(chunks)) {
    if (!text.startsWith('{"type":"comment"')) continue
    const row = JSON.parse(text) as { id: string; parent_id: string | null }
    if (!row.parent_id) continue
    ids.push(row.id)
    parents.push(row.parent_id)
    if (ids.length >= batchSize) await flush()
  }
  await flush()
}
