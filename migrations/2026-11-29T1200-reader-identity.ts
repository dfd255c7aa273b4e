import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.
export async function up(db: Kysely<any>): Promise<void> {
  // A restriction outlives the account it was put on: when a banned, suspended or shadow-banned commenter
  // is erased, only a keyed hash of who they were (their mailbox, their publisher's user id, an address
  // they posted from) is kept with the restriction and its end, so a new account of theirs gets it back.
  // Nothing here names anyone: the hashes are keyed with the server's secret.
  await db.schema
    .createTable('kept_restrictions')
    .addColumn('subject_hash', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('ban', 'suspend', 'shadow_ban')`))
    .addColumn('ends_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('kept_restrictions_pkey', ['subject_hash', 'kind'])
    .execute()

  // A publisher's sign-in token that carries an id (jti) signs in once: its id is kept, hashed, until
  // the token expires.
  await db.schema
    .createTable('sso_token_uses')
    .addColumn('jti_hash', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sso_token_uses_expiry').on('sso_token_uses').column('expires_at').execute()

  // A sign-in code is bound to the browser that asked for it: a hash of the random nonce that browser
  // keeps, which the code must be confirmed with. Null for codes asked for without one.
  await db.schema.alterTable('reader_codes').addColumn('nonce_hash', 'text').execute()

  // Reader tokens slide: each lasts 30 days from its last use (extended at most once a day), never past
  // `ends_at` (180 days after sign-in, or the publisher's token's end). A token already out keeps its end
  // as the cap and starts sliding now.
  await db.schema.alterTable('reader_tokens').addColumn('ends_at', 'timestamptz').execute()
  await sql`update reader_tokens set ends_at = expires_at`.execute(db)
  await sql`alter table reader_tokens alter column ends_at set not null`.execute(db)
  await sql`update reader_tokens set expires_at = least(expires_at, now() + interval '30 days') where revoked_at is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reader_tokens').dropColumn('ends_at').execute()
  await db.schema.alterTable('reader_codes').dropColumn('nonce_hash').execute()
  await db.schema.dropTable('sso_token_uses').ifExists().execute()
  await db.schema.dropTable('kept_restrictions').ifExists().execute()
}
