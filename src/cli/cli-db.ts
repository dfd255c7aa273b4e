import type { Db } from '../platform/db/database.js'
import type { Env } from '../env.js'
import { preparedOrClosed } from '../database.setup.js'

/**
 * The database as openAndMigrate opens it (PostgreSQL when DATABASE_URL is set, else the PGlite data
 * folder, migrated either way), without loading the whole app: the import's memory budget is for
 * the file, and PGlite alone weighs ~50 MB, so it is loaded only when it is the database.
 */
export async function openMigrated(env: Env): Promise<{ db: Db; close(): Promise<void> }> {
  if (env.DATABASE_URL) {
    const { connectPostgres } = await import('../platform/db/connect-pg.js')
    const db = connectPostgres(env.DATABASE_URL, { max: 4 })
    return preparedOrClosed({ db, close: () => db.destroy() })
  }
  const { openPglite } = await import('../platform/db/connect-node.js')
  return preparedOrClosed(await openPglite(env.DATA_DIR))
}
