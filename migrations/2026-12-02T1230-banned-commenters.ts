import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.
export async function up(db: Kysely<any>): Promise<void> {
  // Every post asks whether a banned commenter posted from its address lately. Banned commenters are few:
  // the question starts from them (this index) and reads their recent comments, rather than reading every
  // comment from the address (a newsroom's office, a mobile carrier's gateway: thousands a day).
  await sql`create index commenters_banned on commenters (id) where status = 'banned'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists commenters_banned`.execute(db)
}
