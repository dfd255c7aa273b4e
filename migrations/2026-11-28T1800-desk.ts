import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.
export async function up(db: Kysely<any>): Promise<void> {
  // Restrictions short of a ban: a suspension ends by itself; a shadow-ban lets the writer go on posting
  // into a void (their comments look published to them and reach nobody else).
  await db.schema
    .alterTable('commenters')
    .addColumn('suspended_until', 'timestamptz')
    .addColumn('shadow_banned', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()

  // A shadow-banned writer's comment is stored as rejected (so nothing public can show it) and marked
  // shadow, so its writer is still told it is published. "Respect" is the readers' one reaction: its
  // count lives on the comment, for the "most respected" order without counting at read time.
  await db.schema
    .alterTable('comments')
    .addColumn('shadow', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('respect_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await sql`create index comments_public_respected on comments (article_id, respect_count desc, id desc) where status = 'approved' and parent_id is null`.execute(
    db,
  )

  // One respect per reader per comment: a verified reader's id, or a keyed hash of a guest's address and
  // browser. Who respected what never leaves the server.
  await db.schema
    .createTable('comment_reactions')
    .addColumn('comment_id', 'text', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('reactor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('comment_reactions_pkey', ['comment_id', 'reactor'])
    .execute()
  // A reader's own respects, for their data download and their erasure.
  await sql`create index comment_reactions_reactor on comment_reactions (reactor)`.execute(db)

  // What moderators note about a commenter, for each other.
  await db.schema
    .createTable('commenter_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('commenter_id', 'text', (c) => c.notNull().references('commenters.id').onDelete('cascade'))
    .addColumn('moderator_id', 'text')
    .addColumn('moderator_name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index commenter_notes_commenter on commenter_notes (commenter_id, id)`.execute(db)
  // A commenter's page lists all their comments, newest first.
  await sql`create index comments_commenter_id on comments (commenter_id, id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists comments_commenter_id`.execute(db)
  await db.schema.dropTable('commenter_notes').ifExists().execute()
  await db.schema.dropTable('comment_reactions').ifExists().execute()
  await sql`drop index if exists comments_public_respected`.execute(db)
  await db.schema.alterTable('comments').dropColumn('respect_count').dropColumn('shadow').execute()
  await db.schema.alterTable('commenters').dropColumn('shadow_banned').dropColumn('suspended_until').execute()
}
