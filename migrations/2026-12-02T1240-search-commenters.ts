import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.
export async function up(db: Kysely<any>): Promise<void> {
  // A name fragment is looked up among the commenters (a hundred thousand rows at a million comments),
  // whose comments are then read newest first by (commenter_id, id): the trigram index on every comment's
  // name cost each insert a trigram update and answered a common fragment with half the table.
  // The name is kept folded beside it, so the index's recheck of each candidate is a plain match rather
  // than a fold (an Arabic name took 23 µs each: 46 ms for the 2,000 writers named مريم at 300,000).
  await sql`alter table commenters add column search_name text generated always as (nc_search_text(name)) stored`.execute(db)
  await sql`create index commenters_search_name on commenters using gin (search_name gin_trgm_ops)`.execute(db)
  await sql`drop index if exists comments_search_author`.execute(db)
  // Comments filed under nobody (imported without an email, or their writer erased) keep their own name:
  // few rows, so a small index.
  await sql`create index comments_search_unfiled on comments using gin (nc_search_text(author_name) gin_trgm_ops) where commenter_id is null`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists comments_search_unfiled`.execute(db)
  await sql`create index comments_search_author on comments using gin (nc_search_text(author_name) gin_trgm_ops)`.execute(db)
  await sql`drop index if exists commenters_search_name`.execute(db)
  await sql`alter table commenters drop column if exists search_name`.execute(db)
}
