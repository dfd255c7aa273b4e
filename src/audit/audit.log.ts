// The audit log: every decision on a comment, a commenter, an article or the site's rules, with who made
// it. Written in the decision's own transaction, so a decision and its record never part.
import type { CommentRow, CommentStatus, Executor, Tx } from '../platform/db/database.js'
import { newId } from '../platform/lib/ids.js'

export interface Actor {
  /** null for the screening pipeline and other automatic decisions. */
  id: string | null
  name: string
}

export const SYSTEM: Actor = { id: null, name: 'system' }
/** A reader acting on their own account, and on their own comment. */
export const SELF_SERVICE: Actor = { id: null, name: 'reader (self-service)' }
export const WRITER: Actor = { id: null, name: 'writer' }

/**
 * The one writer of the audit log: every decision on a comment, a commenter, an article or the site's
 * rules lands here, with who made it.
 */
export async function writeAudit(
  trx: Tx,
  entry: {
    commentId?: string | null
    commenterId?: string | null
    articleId?: string | null
    actor: Actor
    action: string
    from?: string | null
    to?: string | null
    reason?: string | null
  },
) {
  await trx
    .insertInto('moderation_actions')
    .values({
      id: newId(),
      comment_id: entry.commentId ?? null,
      commenter_id: entry.commenterId ?? null,
      article_id: entry.articleId ?? null,
      actor_id: entry.actor.id,
      actor_name: entry.actor.name,
      action: entry.action,
      from_status: entry.from ?? null,
      to_status: entry.to ?? null,
      reason: entry.reason ?? null,
    })
    .execute()
}

/** The audit log of one comment or one commenter, oldest first, as the API answers it. */
export async function auditTrail(db: Executor, about: { commentId: string } | { commenterId: string }) {
  const rows = await db
    .selectFrom('moderation_actions')
    .select(['action', 'actor_name', 'actor_id', 'reason', 'from_status', 'to_status', 'created_at', 'comment_id'])
    .where('commentId' in about ? 'comment_id' : 'commenter_id', '=', 'commentId' in about ? about.commentId : about.commenterId)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    action: r.action,
    actor: r.actor_name,
    actorId: r.actor_id,
    reason: r.reason,
    from: r.from_status,
    to: r.to_status,
    at: new Date(r.created_at).toISOString(),
    commentId: r.comment_id,
  }))
}

/** An audit row about one comment: a status change, or an action that changes none (a report's hold, an erase). */
export function auditComment(
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
  return writeAudit(trx, {
    ...entry,
    commentId: entry.comment.id,
    commenterId: entry.comment.commenter_id,
    articleId: entry.comment.article_id,
  })
}
