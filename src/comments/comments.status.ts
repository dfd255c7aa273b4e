// A comment's status after it is created, and everything that moves with it: the article's visible count
// and version, the commenter's tallies, the moderator's decision kept as a training example, and the audit row.
import { sql } from 'kysely'
import { type Actor, SYSTEM, auditComment } from '../audit/audit.log.js'
import type { CommentRow, CommentStatus, Executor, Tx } from '../platform/db/database.js'
import { newId } from '../platform/lib/ids.js'
import { detectLanguage } from '../screening/screening.features.js'
import { tokenize } from '../screening/screening.normalize.js'
import { visibleChange, visibleRow } from './comments.visibility.js'

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

/** A comment as the screening pipeline hands it over: its screening already serialised to JSON text. */
export type ScreenedComment = Pick<
  CommentRow,
  | 'id'
  | 'article_id'
  | 'parent_id'
  | 'root_id'
  | 'author_name'
  | 'body'
  | 'status'
  | 'flagged'
  | 'risk'
  | 'ip_hash'
  | 'idempotency_key'
  | 'created_at'
> & {
  commenter_id: string
  model_version: string | null
  screening: string
  verified: boolean
  notify: boolean
  /** Stored rejected for a shadow-banned writer, who is told it is published. */
  shadow: boolean
  /** Why screening decided so, in words, for the history's reason column (null when it simply published). */
  audit_reason: string | null
}

/**
 * Stores a newly screened comment with its audit row and counters in one statement: atomic without
 * a transaction, and one round trip instead of four to six on the busiest write path.
 * Returns null when a comment with the same idempotency key won the race.
 */
export async function insertScreenedComment(db: Executor, c: ScreenedComment): Promise<CommentRow | null> {
  const { rows } = await sql<CommentRow>`
    with inserted as (
      insert into comments (id, article_id, parent_id, root_id, commenter_id, author_name, body, status, flagged, risk, model_version, screening, ip_hash, idempotency_key, verified, notify, shadow, reject_reason, created_at, updated_at)
      values (${c.id}, ${c.article_id}, ${c.parent_id}, ${c.root_id}, ${c.commenter_id}, ${c.author_name}, ${c.body}, ${c.status}, ${c.flagged}, ${c.risk}, ${c.model_version}, ${c.screening}::jsonb, ${c.ip_hash}, ${c.idempotency_key}, ${c.verified}, ${c.notify}, ${c.shadow}, ${c.shadow ? 'shadow_ban' : null}, ${c.created_at}, ${c.created_at})
      on conflict (article_id, idempotency_key) do nothing
      returning *
    ), audited as (
      insert into moderation_actions (id, comment_id, commenter_id, article_id, actor_id, actor_name, action, from_status, to_status, reason)
      select ${newId()}, id, commenter_id, article_id, ${SYSTEM.id}, ${SYSTEM.name}, 'screened', null, status, ${c.audit_reason} from inserted
    ), counted_article as (
      update articles set approved_count = approved_count + 1, version = version + 1, updated_at = now()
      where id = (select c.article_id from inserted c left join comments r on r.id = c.root_id where ${visibleRow('c', 'r')})
    ), counted_commenter as (
      update commenters
      set approved_count = approved_count + (select (status = 'approved')::int from inserted),
          rejected_count = rejected_count + (select (status = 'rejected')::int from inserted)
      where id = (select commenter_id from inserted where status <> 'pending')
    )
    select * from inserted`.execute(db)
  return rows[0] ?? null
}

export interface StatusChange {
  to: CommentStatus
  actor: Actor
  action: string
  reason?: string | null
  /** Keep a moderator's approval or rejection as a labelled example (default yes). */
  keepExample?: boolean
}

/**
 * The one path for every status change after creation (moderators, reports, bans):
 * comment, counters and audit row change together in the caller's transaction.
 * Changing to the current status is a no-op, so acting twice is harmless.
 */
export async function changeStatus(trx: Tx, commentId: string, change: StatusChange): Promise<CommentRow | null> {
  const current = await trx.selectFrom('comments').selectAll().where('id', '=', commentId).forUpdate().executeTakeFirst()
  if (!current) return null
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
 * (moderation/moderation.learning.ts); the latest decision on a comment wins.
 */
async function keepAsExample(trx: Tx, comment: CommentRow, decision: 'approved' | 'rejected', reason: string | null) {
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
