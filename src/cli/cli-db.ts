import type { Db } from '../db/database.js'
import type { Env } from '../env.js'
import { migrateToLatest } from '../db/migrations.js'

/**
 * The database as openAndMigrate opens it (PostgreSQL when DATABASE_URL is set, else the PGlite data
 * folder, migrated either way), without loading the whole app: the import's memory budget is for
 * the file, and PGlite alone weighs ~50 MB, so it is loaded only when it is the database.
 */
export async function openMigrated(env: Env): Promise<{ db: Db; close(): Promise<void> }> {
  if (env.DATABASE_URL) {
    const { connectPostgres } = await import('../db/connect-pg.js')
    const db = connectPostgres(env.DATABASE_URL, { max: 4 })
    try {
      await migrateToLatest(db)
    } catch (error) {
      await db.destroy()
      throw error
    }
    return { db, close: () => db.destroy() }
  }
  const { openPglite } = await import('../db/connect-node.js')
  const connection = await openPglite(env.DATA_DIR)
  try {
    await migrateToLatest(connection.db)
  } catch (error) {
    await connection.close()
    throw error
  }
  return connection
}
