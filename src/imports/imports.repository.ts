import type { Db, ImportStatus } from '../platform/db/database.js'
import { newId } from '../platform/lib/ids.js'

/** A run of `npm run import`, recorded at its start so an interrupted one still shows. */
export async function recordImportStart(db: Db, run: { format: string; source: string; file: string }): Promise<string> {
  const id = newId()
  await db.insertInto('imports').values({ id, format: run.format, source: run.source, file: run.file, status: 'running' }).execute()
  return id
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
