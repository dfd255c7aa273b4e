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
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kept_restrictions').ifExists().execute()
}
