import { sql } from 'kysely'
import type { CommentRow, CommentStatus, NewComment, Tx } from '../db/database.js'
import { newId } from '../lib/ids.js'

export interface Actor {
  /** null for the screening pipeline and other automatic decisions. */
  id: string | null
  name: string
}

export const SYSTEM: Actor = { id: null, name: 'system' }

async function audit(
  trx: Tx,
  entry: {
    comment: Pick<CommentRow, 'id' | 'article_id' | 'commenter_id'>
    actor: Actor
    action: string
    from: CommentStatus | null
    to: CommentStatus | null
    reason?: string | null
  },
) {
  await trx
    .insertInto('moderation_actions')
    .values({
      id: newId(),
      comment_id: entry.comment.id,
      commenter_id: entry.comment.commenter_id,
      article_id: entry.comment.article_id,
      actor_id: entry.actor.id,
      actor_name: entry.actor.name,
      action: entry.action,
      from_status: entry.from,
      to_status: entry.to,
      reason: entry.reason ?? null,
    })
    .execute()
}

/** Keeps articles.approved_count/version and the commenter's tallies in step with a status change. */
async function adjustCounters(
  trx: Tx,
  comment: Pick<CommentRow, 'article_id' | 'commenter_id'>,
  from: CommentStatus | null,
  to: CommentStatus,
) {
  const approvedDelta = (to === 'approved' ? 1 : 0) - (from === 'approved' ? 1 : 0)
  const rejectedDelta = (to === 'rejected' ? 1 : 0) - (from === 'rejected' ? 1 : 0)
  if (approvedDelta !== 0) {
    await trx
      .updateTable('articles')
      .set({
        approved_count: sql`approved_count + ${approvedDelta}`,
        version: sql`version + 1`,
        updated_at: new Date(),
      })
      .where('id', '=', comment.article_id)
      .execute()
  }
  if (comment.commenter_id && (approvedDelta !== 0 || rejectedDelta !== 0)) {
    await trx
      .updateTable('commenters')
      .set({
        approved_count: sql`approved_count + ${approvedDelta}`,
        rejected_count: sql`rejected_count + ${rejectedDelta}`,
      })
      .where('id', '=', comment.commenter_id)
      .execute()
  }
}

/** Marks one article's public view as changed (for ETags) without changing counts. */
export async function bumpArticleVersion(trx: Tx, articleId: string) {
  await trx
    .updateTable('articles')
    .set({ version: sql`version + 1` })
    .where('id', '=', articleId)
    .execute()
}

/**
 * Stores a newly screened comment with its counters and audit row.
 * Returns null when a comment with the same idempotency key won the race.
 */
export async function insertScreenedComment(trx: Tx, values: NewComment): Promise<CommentRow | null> {
  const row = await trx
    .insertInto('comments')
    .values(values)
    .onConflict((oc) => oc.columns(['article_id', 'idempotency_key']).doNothing())
    .returningAll()
    .executeTakeFirst()
  if (!row) return null
  await adjustCounters(trx, row, null, row.status)
  await audit(trx, { comment: row, actor: SYSTEM, action: 'screened', from: null, to: row.status })
  return row
}

export interface StatusChange {
  to: CommentStatus
  actor: Actor
  action: string
  reason?: string | null
}

/**
 * The one path for every status change after creation (moderators, reports, bans):
 * comment, counters and audit row change together in the caller's transaction.
 * Changing to the current status is a no-op, so acting twice is harmless.
 */
export async function changeStatus(trx: Tx, commentId: string, change: StatusChange): Promise<CommentRow | null> {
  const current = await trx.selectFrom('comments').selectAll().where('id', '=', commentId).forUpdate().executeTakeFirst()
  if (!current) return null
  if (current.status === change.to) return current
  const updated = await trx
    .updateTable('comments')
    .set({
      status: change.to,
      reject_reason: change.to === 'rejected' ? (change.reason ?? null) : null,
      updated_at: new Date(),
    })
    .where('id', '=', commentId)
    .returningAll()
    .executeTakeFirstOrThrow()
  await adjustCounters(trx, current, current.status, change.to)
  await audit(trx, {
    comment: current,
    actor: change.actor,
    action: change.action,
    from: current.status,
    to: change.to,
    reason: change.reason ?? null,
  })
  return updated
}

/** Feature or unfeature; a no-op when already in that state. */
export async function setFeatured(trx: Tx, commentId: string, featured: boolean, actor: Actor): Promise<CommentRow | null> {
  const current = await trx.selectFrom('comments').selectAll().where('id', '=', commentId).forUpdate().executeTakeFirst()
  if (!current) return null
  if (current.featured === featured) return current
  const updated = await trx
    .updateTable('comments')
    .set({ featured, updated_at: new Date() })
    .where('id', '=', commentId)
    .returningAll()
    .executeTakeFirstOrThrow()
  if (current.status === 'approved') await bumpArticleVersion(trx, current.article_id)
  await audit(trx, {
    comment: current,
    actor,
    action: featured ? 'feature' : 'unfeature',
    from: current.status,
    to: current.status,
  })
  return updated
}

/** Records an action that changes no status (a report hold note, an erase) in the audit log. */
export const recordAction = audit
