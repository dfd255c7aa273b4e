import { sql } from 'kysely'
import type { Db, ImportStatus } from '../platform/db/database.js'
import { newId } from '../platform/lib/ids.js'

/** A run of `npm run import`, recorded at its start so an interrupted one still shows. */
export async function recordImportStart(db: Db, run: { format: string; source: string; file: string }): Promise<string> {
  const id = newId()
  await db
    .insertInto('imports')
    .values({ id, format: run.format, source: run.source, file: run.file, status: 'running', counts: alive({}) })
    .execute()
  return id
}

/** A running run's counts so far, with when it was last heard of (`aliveAt`); its end replaces them. */
const alive = (counts: Record<string, unknown>) => JSON.stringify({ ...counts, aliveAt: new Date().toISOString() })

/** A running import says it is still alive, and how far it got. */
export async function touchImport(db: Db, id: string, counts: Record<string, unknown>): Promise<void> {
  await db
    .updateTable('imports')
    .set({ counts: alive(counts) })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute()
}

/** A run silent this long was killed: a batch takes seconds, and a live run touches its row every 15 s. */
export const IMPORT_SILENT_MINUTES = 5

/**
 * Runs still "running" whose process died (killed hard: no chance to record its end) are marked
 * interrupted. Called at every start of the server and of an import; `everyRunning` when no other process
 * can be importing (the embedded database is opened by one process at a time).
 */
export async function markAbandonedImports(db: Db, now: Date, options: { everyRunning?: boolean } = {}): Promise<number> {
  const silentSince = new Date(now.getTime() - IMPORT_SILENT_MINUTES * 60_000)
  let query = db
    .updateTable('imports')
    .set({
      status: 'interrupted',
      finished_at: now,
      error: 'stopped without finishing (the process was killed); run the same command again to continue where it stopped',
    })
    .where('status', '=', 'running')
  if (!options.everyRunning) query = query.where(sql<boolean>`coalesce((counts ->> 'aliveAt')::timestamptz, started_at) < ${silentSince}`)
  const result = await query.executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export async function recordImportEnd(
  db: Db,
  id: string,
  end: { status: ImportStatus; counts: Record<string, unknown>; error?: string | null },
) {
  await db
    .updateTable('imports')
    .set({ status: end.status, counts: JSON.stringify(end.counts), error: end.error ?? null, finished_at: new Date() })
    .where('id', '=', id)
    .execute()
}

export async function listImports(db: Db, limit = 50) {
  return db.selectFrom('imports').selectAll().orderBy('id', 'desc').limit(limit).execute()
}
