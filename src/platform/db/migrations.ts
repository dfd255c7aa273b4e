import { type Migration, type MigrationProvider, Migrator, sql } from 'kysely'
import * as initial from '../../../migrations/2026-11-25T1200-initial.js'
import * as screeningModel from '../../../migrations/2026-11-27T1200-screening-model.js'
import * as readers from '../../../migrations/2026-11-28T1200-readers.js'
import * as featuredQueue from '../../../migrations/2026-11-28T1300-featured-queue.js'
import * as search from '../../../migrations/2026-11-28T1600-search.js'
import * as overview from '../../../migrations/2026-11-28T1700-overview.js'
import * as desk from '../../../migrations/2026-11-28T1800-desk.js'
import * as overviewSpeed from '../../../migrations/2026-11-28T1900-overview-speed.js'
import * as imports from '../../../migrations/2026-11-28T2000-imports.js'
import * as searchWords from '../../../migrations/2026-11-28T2100-search-words.js'
import * as readerIdentity from '../../../migrations/2026-11-29T1200-reader-identity.js'
import * as importKeyPerArticle from '../../../migrations/2026-11-29T1226-import-key-per-article.js'
import * as bannedCommenters from '../../../migrations/2026-12-02T1230-banned-commenters.js'
import * as searchCommenters from '../../../migrations/2026-12-02T1240-search-commenters.js'
import * as retention from '../../../migrations/2026-12-02T1250-retention.js'
import * as screeningVersions from '../../../migrations/2026-12-02T1310-screening-versions.js'
import type { AnyDb } from './database.js'

// A static provider: Workers have no filesystem and vitest cannot import .ts through FileMigrationProvider.
export const migrations: Record<string, Migration> = {
  '2026-11-25T1200-initial': initial,
  '2026-11-27T1200-screening-model': screeningModel,
  '2026-11-28T1200-readers': readers,
  '2026-11-28T1300-featured-queue': featuredQueue,
  '2026-11-28T1600-search': search,
  '2026-11-28T1700-overview': overview,
  '2026-11-28T1800-desk': desk,
  '2026-11-28T1900-overview-speed': overviewSpeed,
  '2026-11-28T2000-imports': imports,
  '2026-11-28T2100-search-words': searchWords,
  '2026-11-29T1200-reader-identity': readerIdentity,
  '2026-11-29T1226-import-key-per-article': importKeyPerArticle,
  '2026-12-02T1230-banned-commenters': bannedCommenters,
  '2026-12-02T1240-search-commenters': searchCommenters,
  '2026-12-02T1250-retention': retention,
  '2026-12-02T1310-screening-versions': screeningVersions,
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

/** What a feature needs of the database beyond the schema (the outbox's queues): run after the migrations. */
export type DatabaseSetup = (db: AnyDb) => Promise<void>

export async function migrateToLatest(db: AnyDb, setups: readonly DatabaseSetup[] = []): Promise<string[]> {
  let applied: string[] = []
  if (!(await isCurrent(db))) {
    const { error, results } = await new Migrator({ db, provider }).migrateToLatest()
    if (error) throw error
    applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
  }
  for (const setup of setups) await setup(db)
  return applied
}

/**
 * Whether the database has run exactly the migrations this code knows, read in one statement. Kysely's
 * Migrator would find the same through the catalogue (its tables, its lock) at several times the cost of
 * every start; any other answer (a new migration, a database this code does not know, none yet) goes to it.
 */
async function isCurrent(db: AnyDb): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db)
    const done = new Set(rows.map((row) => row.name))
    return done.size === Object.keys(migrations).length && Object.keys(migrations).every((name) => done.has(name))
  } catch {
    return false // no migration table yet
  }
}

/** The migrations this code knows and the database has not run (for /ready); empty when current. */
export async function pendingMigrations(db: AnyDb): Promise<string[]> {
  const ran = await sql<{ name: string }>`select name from kysely_migration`.execute(db)
  const done = new Set(ran.rows.map((row) => row.name))
  return Object.keys(migrations).filter((name) => !done.has(name))
}

/** Migrates a database just opened; when that fails, closes it before the error goes on. */
export async function migratedOrClosed<T extends { db: AnyDb; close(): Promise<void> }>(
  connection: T,
  setups: readonly DatabaseSetup[] = [],
): Promise<T> {
  try {
    await migrateToLatest(connection.db, setups)
  } catch (error) {
    await connection.close()
    throw error
  }
  return connection
}
