// A comment's status after it is created, and everything that moves with it: the article's visible count
// and version, the commenter's tallies, the moderator's decision kept as a training example, and the audit row.
import { sql } from 'kysely'
import { type Actor, auditComment } from '../audit/audit.log.js'
import type { CommentRow, CommentStatus, Executor, Tx } from '../platform/db/database.js'
import { AppError } from '../platform/lib/errors.js'
import { detectLanguage } from '../screening/screening.features.js'
import { tokenize } from '../screening/screening.normalize.js'
import { visibleChange } from './comments.visibility.js'

/** Keeps articles.approved_count/version and the commenter's tallies in step with a status change. */
async function adjustCounters(
  trx: Tx,
  comment: Pick<CommentRow, 'id' | 'root_id' | 'article_id' | 'commenter_id'>,
  from: CommentStatus | null,
  to: CommentStatus,
) {
  const approvedDelta = (to === 'approved' ? 1 : 0) - (from === 'approved' ? 1 : 0)
  const rejectedDelta = (to === 'rejected' ? 1 : 0) - (from === 'rejected' ? 1 : 0)
  if (approvedDelta !== 0) {
    await trx
      .updateTable('articles')
      .set({
        approved_count: sql`approved_count + ${await visibleChange(trx, comment, approvedDelta)}`,
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
  await trx.updateTable('articles').set({ version: sql`version + 1` }).where('id', '=', articleId).execute()
}

export interface StatusChange {
  to: CommentStatus
  actor: Actor
  action: string
  reason?: string | null
  /** Keep a moderator's approval or rejection as a labelled example (default yes). */
  keepExample?: boolean
  /** The status the moderator saw: checked under the row lock, so of two decisions on it one wins. */
  expect?: CommentStatus | undefined
}

/**
 * The loser of two decisions on one comment: 409 naming the status it is in, who moved it there and when.
 * Read in the deciding transaction after the row lock, so it sees the winner's audit row.
 */
export async function alreadyDecided(db: Executor, comment: Pick<CommentRow, 'id' | 'status'>): Promise<AppError> {
  const last = await db
    .selectFrom('moderation_actions')
    .select(['actor_name', 'created_at'])
    .where('comment_id', '=', comment.id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  const at = last ? new Date(last.created_at).toISOString() : null
  const who = last ? `${last.actor_name} at ${at!.slice(11, 16)} UTC` : 'someone'
  return new AppError(
    409,
    'already_decided',
    `This comment is already ${comment.status} (by ${who}). Send it again without expectStatus to decide anyway.`,
    { status: comment.status, ...(last ? { decidedBy: last.actor_name, decidedAt: at! } : {}) },
  )
}

/**
 * The one path for every status change after creation (moderators, reports, bans):
 * comment, counters and audit row change together in the caller's transaction.
 * Changing to the current status is a no-op, so acting twice is harmless.
 */
export async function changeStatus(trx: Tx, commentId: string, change: StatusChange): Promise<CommentRow | null> {
  const current = await trx.selectFrom('comments').selectAll().where('id', '=', commentId).forUpdate().executeTakeFirst()
  if (!current) return null
  if (change.expect && current.status !== change.expect) throw await alreadyDecided(trx, current)
  // A shadow comment is already 'rejected' in storage: a moderator's rejection still decides it for real.
  if (current.status === change.to && !current.shadow) return current
  // A moderator's (not screening's, not the writer's: their actor id is null) approval or rejection of
  // a waiting comment ends a wait in the queue; the overview measures the first. now() is the
  // transaction's start, the same instant as the audit row's created_at below, and least() ignores a
  // null, so the column is always the earliest such audit row's time: set once, never moved by a
  // later decision (say after readers' reports sent it back to the queue).
  const endsWait = change.actor.id !== null && current.status === 'pending' && (change.action === 'approve' || change.action === 'reject')
  const updated = await trx
    .updateTable('comments')
    .set({
      status: change.to,
      reject_reason: change.to === 'rejected' ? (change.reason ?? null) : null,
      // A decision on a shadow comment makes it an ordinary one: approved, everyone sees it.
      shadow: false,
      updated_at: new Date(),
      ...(endsWait ? { first_decided_at: sql<Date>`least(first_decided_at, now())` } : {}),
    })
    .where('id', '=', commentId)
    .returningAll()
    .executeTakeFirstOrThrow()
  await adjustCounters(trx, current, current.status, change.to)
  if (change.actor.id !== null && change.keepExample !== false && (change.to === 'approved' || change.to === 'rejected')) {
    await keepAsExample(trx, current, change.to, change.reason ?? null)
  }
  await auditComment(trx, {
    comment: current,
    actor: change.actor,
    action: change.action,
    from: current.status,
    to: change.to,
    reason: change.reason ?? null,
  })
  return updated
}

/**
 * A moderator's approval or rejection is a labelled example the site's screening model learns from
 * (moderation/moderation.learning.ts); the latest decision on a comment wins. A comment its writer deleted
 * has no words left to learn from.
 */
export async function keepAsExample(
  trx: Tx,
  comment: Pick<CommentRow, 'id' | 'body' | 'risk' | 'deleted'>,
  decision: 'approved' | 'rejected',
  reason: string | null,
) {
  if (comment.deleted) return
  const values = {
    text: comment.body,
    language: detectLanguage(tokenize(comment.body)),
    decision,
    reason,
    risk: comment.risk,
    decided_at: new Date(),
  }
  await trx
    .insertInto('screening_examples')
    .values({ comment_id: comment.id, ...values })
    .onConflict((oc) => oc.column('comment_id').doUpdateSet(values))
    .execute()
}

/** Feature or unfeature; a no-op when already in that state. */
export async function setFeatured(
  trx: Tx,
  commentId: string,
  featured: boolean,
  actor: Actor,
  reason: string | null = null,
): Promise<CommentRow | null> {
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
  await auditComment(trx, {
    comment: current,
    actor,
    action: featured ? 'feature' : 'unfeature',
    from: current.status,
    to: current.status,
    reason,
  })
  return updated
}
