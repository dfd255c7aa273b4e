import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.
export async function up(db: Kysely<any>): Promise<void> {
  // Where an imported row came from (disqus, wordpress, jsonl…) and its id there: running the same file
  // again finds its rows by these and adds nothing, and an interrupted import resumes where it stopped.
  // NULLs are distinct in a unique index, so comments written through the app never collide.
  await db.schema
    .alterTable('comments')
    .addColumn('source', 'text')
    .addColumn('source_id', 'text')
    // The parent's id in the source: a Disqus file may list a reply before its parent, so the link is
    // made once the parent is in.
    .addColumn('source_parent_id', 'text')
    .execute()
  await sql`create unique index comments_source on comments (source, source_id)`.execute(db)
  // A comment's replies: an import walks down threads from a late-linked parent, and deleting a comment
  // asks whether anyone answered it (until now a scan of the whole table).
  await sql`create index comments_parent on comments (parent_id) where parent_id is not null`.execute(db)
  await db.schema.alterTable('articles').addColumn('source', 'text').addColumn('source_id', 'text').execute()

  // One row per import run, for the moderators' page of past imports.
  await db.schema
    .createTable('imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'done', 'failed', 'interrupted')`))
    .addColumn('counts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('error', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('imports').ifExists().execute()
  await sql`drop index if exists comments_parent`.execute(db)
  await sql`drop index if exists comments_source`.execute(db)
  await db.schema.alterTable('articles').dropColumn('source').dropColumn('source_id').execute()
  await db.schema.alterTable('comments').dropColumn('source').dropColumn('source_id').dropColumn('source_parent_id').execute()
}
