import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.
export async function up(db: Kysely<any>): Promise<void> {
  // A comment's searchable words, kept beside it. Matched from the expression index alone, a common word
  // ordered newest first made PostgreSQL fold each comment's text again (a plpgsql call per row) as it
  // walked the comments: seconds at a million. Stored, the check per row is a cheap match.
  await sql`alter table comments add column search_words tsvector generated always as (to_tsvector('simple'::regconfig, nc_search_text(body))) stored`.execute(
    db,
  )
  await sql`drop index if exists comments_search_body`.execute(db)
  await sql`create index comments_search_words on comments using gin (search_words)`.execute(db)
  // What folding costs, so the planner never chooses to fold row by row when an index could answer.
  await sql`alter function nc_search_text(text) cost 1000`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter function nc_search_text(text) cost 100`.execute(db)
  await sql`drop index if exists comments_search_words`.execute(db)
  await sql`alter table comments drop column if exists search_words`.execute(db)
  await sql`create index comments_search_body on comments using gin (to_tsvector('simple'::regconfig, nc_search_text(body)))`.execute(db)
}
