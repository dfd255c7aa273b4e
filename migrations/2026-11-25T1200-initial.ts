import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text')
    .addColumn('title', 'text')
    .addColumn('comments_open', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('moderation_mode', 'text', (c) => c.notNull().defaultTo('inherit').check(sql`moderation_mode in ('inherit', 'pre', 'post')`))
    .addColumn('approved_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('commenters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email_normalized', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('normal').check(sql`status in ('normal', 'trusted', 'banned')`))
    .addColumn('approved_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('parent_id', 'text', (c) => c.references('comments.id').onDelete('set null'))
    .addColumn('root_id', 'text')
    .addColumn('commenter_id', 'text', (c) => c.references('commenters.id').onDelete('set null'))
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'approved', 'rejected')`))
    .addColumn('flagged', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('featured', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('screening', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('ip_hash', 'text')
    .addColumn('idempotency_key', 'text')
    .addColumn('open_reports', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reject_reason', 'text')
    .addColumn('deleted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('comments_article_idempotency_key', ['article_id', 'idempotency_key'])
    .execute()

  // Public read: one article's approved top-level comments, keyset on id (ids are time-ordered).
  await sql`create index comments_public_top on comments (article_id, id) where status = 'approved' and parent_id is null`.execute(db)
  // Public read: approved replies of a page of threads.
  await sql`create index comments_public_replies on comments (root_id, id) where status = 'approved'`.execute(db)
  // Moderation queues: status (+ article) ordered by id.
  await sql`create index comments_queue on comments (status, id)`.execute(db)
  await sql`create index comments_queue_article on comments (article_id, status, id)`.execute(db)
  await sql`create index comments_queue_flagged on comments (id) where status = 'pending' and flagged`.execute(db)
  await sql`create index comments_queue_reported on comments (id) where status = 'approved' and open_reports > 0`.execute(db)
  // Screening context: a commenter's recent comments (duplicates, history).
  await sql`create index comments_commenter on comments (commenter_id, created_at)`.execute(db)

  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('comment_id', 'text', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('spam', 'abuse', 'off_topic', 'misinformation', 'other')`))
    .addColumn('note', 'text')
    .addColumn('reporter_hash', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // One open report per reader and comment, so one reader cannot hide a comment alone.
  await sql`create unique index reports_open_once on reports (comment_id, reporter_hash) where resolved_at is null`.execute(db)

  await db.schema
    .createTable('moderators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'moderator')`))
    .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('moderator_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('moderators.id').onDelete('cascade'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('moderator_sessions_user').on('moderator_sessions').column('user_id').execute()

  await db.schema
    .createTable('moderation_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('comment_id', 'text', (c) => c.references('comments.id').onDelete('cascade'))
    .addColumn('commenter_id', 'text', (c) => c.references('commenters.id').onDelete('cascade'))
    .addColumn('article_id', 'text')
    .addColumn('actor_id', 'text', (c) => c.references('moderators.id').onDelete('set null'))
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('moderation_actions_comment').on('moderation_actions').columns(['comment_id', 'id']).execute()
  await db.schema.createIndex('moderation_actions_commenter').on('moderation_actions').columns(['commenter_id', 'id']).execute()

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // Fixed-window counters shared by every replica (rate limits for posts, reports and logins).
  await db.schema
    .createTable('rate_limits')
    .addColumn('bucket', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('rate_limits_expiry').on('rate_limits').column('expires_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'rate_limits',
    'settings',
    'moderation_actions',
    'moderator_sessions',
    'moderators',
    'reports',
    'comments',
    'commenters',
    'articles',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
