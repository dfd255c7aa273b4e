import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.
export async function up(db: Kysely<any>): Promise<void> {
  // A commenter is one of three identities. A guest is whoever typed an email: anyone can type it, so
  // its history lifts nothing. A verified reader proved the mailbox by a one-time link; an SSO reader
  // was vouched for by the publisher. The same email can have a guest row and a verified row: what a
  // stranger types never lands on the verified one.
  await db.schema
    .alterTable('commenters')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('guest').check(sql`kind in ('guest', 'email', 'sso')`))
    .addColumn('sso_subject', 'text')
    .addColumn('verified_at', 'timestamptz')
    .addColumn('lang', 'text')
    .addColumn('notify', 'jsonb', (c) =>
      c.notNull().defaultTo(sql`'{"replies":true,"approved":true,"rejected":true,"featured":true}'::jsonb`),
    )
    .execute()
  await sql`alter table commenters drop constraint if exists commenters_email_normalized_key`.execute(db)
  await sql`alter table commenters alter column email drop not null, alter column email_normalized drop not null`.execute(db)
  await sql`create unique index commenters_guest_email on commenters (email_normalized) where kind = 'guest'`.execute(db)
  await sql`create unique index commenters_verified_email on commenters (email_normalized) where kind = 'email'`.execute(db)
  await sql`create unique index commenters_sso_subject on commenters (sso_subject) where kind = 'sso'`.execute(db)

  // Whether the writer was a verified reader when posting (the badge), whether they asked to hear about
  // replies and decisions, and when they last edited.
  await db.schema
    .alterTable('comments')
    .addColumn('verified', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('notify', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('edited_at', 'timestamptz')
    .execute()

  // Every earlier version of an edited comment, for moderators.
  await db.schema
    .createTable('comment_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('comment_id', 'text', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('screening', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('comment_revisions_comment').on('comment_revisions').columns(['comment_id', 'id']).execute()

  // One-time email links: only a hash of the code is kept, so a database dump cannot sign anyone in.
  await db.schema
    .createTable('reader_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('lang', 'text')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('reader_codes_expiry').on('reader_codes').column('expires_at').execute()

  // Reader tokens (bearer): hashed too; signing out revokes one, deleting the account all.
  await db.schema
    .createTable('reader_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('commenter_id', 'text', (c) => c.notNull().references('commenters.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('reader_tokens_commenter').on('reader_tokens').column('commenter_id').execute()
  await db.schema.createIndex('reader_tokens_expiry').on('reader_tokens').column('expires_at').execute()

  // Moderators' mail: where alerts and the daily digest go, and whether they want them.
  await db.schema
    .alterTable('moderators')
    .addColumn('email', 'text')
    .addColumn('alerts', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('digest', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('moderators').dropColumn('email').dropColumn('alerts').dropColumn('digest').execute()
  await db.schema.dropTable('reader_tokens').ifExists().execute()
  await db.schema.dropTable('reader_codes').ifExists().execute()
  await db.schema.dropTable('comment_revisions').ifExists().execute()
  await db.schema.alterTable('comments').dropColumn('verified').dropColumn('notify').dropColumn('edited_at').execute()
  await sql`delete from commenters where kind <> 'guest'`.execute(db)
  await sql`drop index if exists commenters_sso_subject`.execute(db)
  await sql`drop index if exists commenters_verified_email`.execute(db)
  await sql`drop index if exists commenters_guest_email`.execute(db)
  await sql`alter table commenters add constraint commenters_email_normalized_key unique (email_normalized)`.execute(db)
  await db.schema
    .alterTable('commenters')
    .dropColumn('kind')
    .dropColumn('sso_subject')
    .dropColumn('verified_at')
    .dropColumn('lang')
    .dropColumn('notify')
    .execute()
}
