import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.
//
// The overview's waiting time (issue 16) asked the audit log, for every moderator decision in the
// window, when its comment was written and whether an earlier decision came first: a join and a
// correlated lookup per decision, most of the page's time at a million comments. The answer is a fact
// about the comment that is fixed once it exists, so it is kept on the comment instead:
// first_decided_at, when a moderator first approved or rejected it while it waited. changeStatus
// (the one status-change path) sets it in the same UPDATE as the decision, in the same transaction as
// the audit row, with the same now(), so it always equals the earliest such audit row's created_at.
// The overview then reads one index range, (first_decided_at) with created_at included, and no table row.
//
// The other overview queries were already index-only range scans over the window (comments_overview,
// moderation_actions_screened, moderation_actions_rejected) and stay as they are. The audit log stays
// the record; only the index that served the old waiting query goes, so a decision writes one index less.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('comments').addColumn('first_decided_at', 'timestamptz').execute()
  // From the audit log, the same rule as the overview's old query: a moderator (not screening, not the
  // writer: their actor id is null) approving or rejecting the comment while it was pending; the earliest.
  await sql`
    update comments c set first_decided_at = d.first
    from (
      select comment_id, min(created_at) as first from moderation_actions
      where comment_id is not null and actor_id is not null and from_status = 'pending' and action in ('approve', 'reject')
      group by comment_id
    ) d
    where c.id = d.comment_id`.execute(db)
  // Waiting time: the decisions of the window, with the arrival each waited from, from the index alone.
  await sql`create index comments_first_decided on comments (first_decided_at) include (created_at) where first_decided_at is not null`.execute(
    db,
  )
  await sql`drop index if exists moderation_actions_decided`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists moderation_actions_decided on moderation_actions (created_at) include (comment_id) where actor_id is not null and from_status = 'pending' and action in ('approve', 'reject')`.execute(
    db,
  )
  await sql`drop index if exists comments_first_decided`.execute(db)
  await db.schema.alterTable('comments').dropColumn('first_decided_at').execute()
}
