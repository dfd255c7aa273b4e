import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.
//
// The overview (issue 16) reads a window of days from comments and from the audit log. These indexes
// let each of its queries read only that window, from the index alone (no table rows), so its cost
// follows the comments in the window, not the million behind them. A daily rollup table was the
// other choice: cheaper to read, but counts by status would go stale whenever a decision moves an
// old comment, and keeping them exact would put one hot counter row on every post's write path.
export async function up(db: Kysely<any>): Promise<void> {
  // Comments per day by status, and the busiest articles.
  await sql`create index comments_overview on comments (created_at) include (status, article_id)`.execute(db)
  // What screening decided when each comment arrived (held, rejected, published).
  await sql`create index moderation_actions_screened on moderation_actions (created_at) include (to_status) where action = 'screened' and from_status is null`.execute(
    db,
  )
  // A moderator's decision on a waiting comment: the queue's waiting time.
  await sql`create index moderation_actions_decided on moderation_actions (created_at) include (comment_id) where actor_id is not null and from_status = 'pending' and action in ('approve', 'reject')`.execute(
    db,
  )
  // Every rejection, with its reason.
  await sql`create index moderation_actions_rejected on moderation_actions (created_at) include (action, actor_id, reason, comment_id) where to_status = 'rejected'`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists moderation_actions_rejected`.execute(db)
  await sql`drop index if exists moderation_actions_decided`.execute(db)
  await sql`drop index if exists moderation_actions_screened`.execute(db)
  await sql`drop index if exists comments_overview`.execute(db)
}
