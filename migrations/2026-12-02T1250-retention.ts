import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.
export async function up(db: Kysely<any>): Promise<void> {
  // The nightly retention job forgets a resolved report's reporter after IP_RETENTION_DAYS: the column
  // may then be empty. An open report keeps it (one open report per reader and comment).
  await sql`alter table reports alter column reporter_hash drop not null`.execute(db)
  // It also clears comments' address hashes past the period: only the comments still holding one, by age.
  await sql`create index comments_ip_hash_kept on comments (created_at) where ip_hash is not null`.execute(db)
  await sql`create index reports_reporter_kept on reports (resolved_at) where reporter_hash is not null and resolved_at is not null`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists reports_reporter_kept`.execute(db)
  await sql`drop index if exists comments_ip_hash_kept`.execute(db)
  await sql`update reports set reporter_hash = '' where reporter_hash is null`.execute(db)
  await sql`alter table reports alter column reporter_hash set not null`.execute(db)
}
