// Decisions on comments: approve, reject, feature. Each is an action: it runs its transaction, writes
// its audit row (through comments.status and audit.log) and returns the events it caused.
import type { CommentStatus, Db, Tx } from '../platform/db/database.js'
import type { DomainEvent, Done } from '../events/events.js'
import { notFound } from '../platform/lib/errors.js'
import { type Actor, auditTrail, auditComment } from '../audit/audit.log.js'
import { alreadyDecided, changeStatus, keepAsExample, setFeatured } from '../comments/comments.status.js'
import { type ModComment, loadModComments } from './moderation.queue.js'
import { type RejectReason, rejectReasonText } from '../comments/comments.statuses.js'

async function resolveReports(trx: Tx, commentId: string) {
  await trx
    .updateTable('reports')
    .set({ resolved_at: new Date() })
    .where('comment_id', '=', commentId)
    .where('resolved_at', 'is', null)
    .execute()
  await trx.updateTable('comments').set({ open_reports: 0, flagged: false }).where('id', '=', commentId).execute()
}

async function single(db: Db, id: string): Promise<ModComment> {
  const [comment] = await loadModComments(db, [id])
  if (!comment) throw notFound('Comment')
  return comment
}

export interface ApproveOptions {
  /**
   * The status the moderator saw. Checked under the row lock: of two decisions sent at once, the second
   * finds the first's status and answers 409 already_decided, writing nothing.
   */
  expectStatus?: CommentStatus | undefined
  /** Approve only while this still holds, checked under the row lock (a colleague may have acted meanwhile). */
  onlyIf?: (row: { status: CommentStatus; risk: number; flagged: boolean }) => boolean
  /** Recorded in the audit log, e.g. "below risk 0.2". */
  reason?: string
  /** An approval nobody read (approve-below) is no label for retraining: the model would learn from itself. */
  keepExample?: boolean
}

/** Approve: publishes a held comment, or keeps a reported one published and dismisses its reports. */
export async function approveComment(
  db: Db,
  id: string,
  actor: Actor,
  options: ApproveOptions = {},
): Promise<Done<{ comment: ModComment; published: boolean }>> {
  const outcome = await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('comments')
      .select(['id', 'article_id', 'commenter_id', 'status', 'open_reports', 'risk', 'flagged', 'body', 'deleted'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
    if (!before) return null
    if (options.expectStatus && before.status !== options.expectStatus) throw await alreadyDecided(trx, before)
    const about = { commentId: id, articleId: before.article_id }
    if (options.onlyIf && !options.onlyIf(before)) return { published: false, events: [] }
    if (before.status !== 'approved') {
      await changeStatus(trx, id, {
        to: 'approved',
        actor,
        action: 'approve',
        reason: options.reason ?? null,
        keepExample: options.keepExample ?? true,
      })
      await resolveReports(trx, id)
      return { published: true, events: [{ type: 'comment.published', ...about, byModerator: true }] satisfies DomainEvent[] }
    }
    if (before.open_reports > 0) {
      await resolveReports(trx, id)
      // Reported, read, and kept up: the clearest clean example the desk gives (a report keeps it out of the implicit ones).
      if (actor.id !== null && options.keepExample !== false) await keepAsExample(trx, before, 'approved', options.reason ?? null)
      await auditComment(trx, { comment: before, actor, action: 'dismiss_reports', from: 'approved', to: 'approved' })
      return { published: false, events: [{ type: 'comment.reports_dismissed', ...about }] satisfies DomainEvent[] }
    }
    return { published: false, events: [] }
  })
  if (!outcome) throw notFound('Comment')
  return { value: { comment: await single(db, id), published: outcome.published }, events: outcome.events }
}

export async function rejectComment(
  db: Db,
  id: string,
  actor: Actor,
  reason: { reason?: RejectReason | undefined; note?: string | undefined },
  /** As approveComment's: the status the moderator saw, checked under the row lock. */
  expectStatus?: CommentStatus,
): Promise<Done<ModComment>> {
  const text = rejectReasonText(reason)
  const row = await db.transaction().execute(async (trx) => {
    const updated = await changeStatus(trx, id, { to: 'rejected', actor, action: 'reject', reason: text, expect: expectStatus })
    if (updated) await resolveReports(trx, id)
    return updated
  })
  if (!row) throw notFound('Comment')
  return {
    value: await single(db, id),
    events: [{ type: 'comment.rejected', commentId: id, articleId: row.article_id, byModerator: true }],
  }
}

export async function featureComment(db: Db, id: string, actor: Actor, featured: boolean): Promise<Done<ModComment>> {
  const row = await db.transaction().execute((trx) => setFeatured(trx, id, featured, actor))
  if (!row) throw notFound('Comment')
  return {
    value: await single(db, id),
    events: [{ type: featured ? 'comment.featured' : 'comment.unfeatured', commentId: id, articleId: row.article_id }],
  }
}

export async function commentHistory(db: Db, id: string) {
  const exists = await db.selectFrom('comments').select('id').where('id', '=', id).executeTakeFirst()
  if (!exists) throw notFound('Comment')
  return (await auditTrail(db, { commentId: id })).map(({ commentId: _, ...action }) => action)
}

/** The earlier texts of a comment its writer edited, oldest first. */
export async function commentRevisions(db: Db, id: string) {
  const rows = await db.selectFrom('comment_revisions').select(['body', 'created_at']).where('comment_id', '=', id).orderBy('id').execute()
  return rows.map((r) => ({ body: r.body, replacedAt: new Date(r.created_at).toISOString() }))
}
