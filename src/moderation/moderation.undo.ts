// Undo: a moderator takes back their own approval or rejection, moments after making it. It is a decision
// of its own (audit row "undo"), not a delay before the first one: the comment returns to the status it
// had, through the same status change as every decision, and the training example the mistake left is
// forgotten.
import type { Actor } from '../audit/audit.log.js'
import { changeStatus } from '../comments/comments.status.js'
import type { DomainEvent, Done } from '../events/events.js'
import type { Selectable } from 'kysely'
import type { CommentStatus, Database, Db, Executor } from '../platform/db/database.js'
import { AppError, notFound } from '../platform/lib/errors.js'
import { type ModComment, loadModComments } from './moderation.queue.js'

/** How long a decision stays undoable on the server; the workspace offers Undo for a few seconds only. */
export const UNDO_WINDOW_MINUTES = 10

/** Decisions that can be taken back: they moved the comment from one status to another. */
const UNDOABLE = new Set(['approve', 'reject'])

/** What the comment's readers and moderators hear when it returns to `to`. */
function eventsOf(to: CommentStatus, from: CommentStatus, about: { commentId: string; articleId: string }): DomainEvent[] {
  if (to === 'approved') return [{ type: 'comment.published', ...about }]
  if (to === 'rejected') return [{ type: 'comment.rejected', ...about }]
  return [{ type: 'comment.held', ...about, wasPublic: from === 'approved' }]
}

type LastAction = Pick<
  Selectable<Database['moderation_actions']>,
  'id' | 'action' | 'actor_id' | 'from_status' | 'to_status' | 'created_at'
>

/** The latest entry of a comment's audit log. */
function latestAction(db: Executor, id: string): Promise<LastAction | undefined> {
  return db
    .selectFrom('moderation_actions')
    .select(['id', 'action', 'actor_id', 'from_status', 'to_status', 'created_at'])
    .where('comment_id', '=', id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** Why `last` cannot be undone by `actor` now, or null when it can. */
function whyNot(last: LastAction | undefined, status: CommentStatus, actor: Actor, now: Date): string | null {
  if (!last || !UNDOABLE.has(last.action) || last.actor_id !== actor.id) return 'the last decision on it is not yours'
  if (!last.from_status || last.from_status === last.to_status || last.to_status !== status)
    return 'that decision changed nothing, or the comment has moved since'
  if (now.getTime() - new Date(last.created_at).getTime() > UNDO_WINDOW_MINUTES * 60_000)
    return `a decision can be undone for ${UNDO_WINDOW_MINUTES} minutes`
  return null
}

/**
 * The comment a moderator just approved or rejected, for the page to name it and offer Undo: only while
 * that is true (the latest decision on it is theirs and undoable), so a link cannot make the page claim it.
 */
export async function undoableDecision(db: Executor, id: string, actor: Actor, now: Date) {
  const comment = await db.selectFrom('comments').select(['id', 'body', 'author_name', 'status']).where('id', '=', id).executeTakeFirst()
  if (!comment) return undefined
  const last = await latestAction(db, id)
  if (!last || whyNot(last, comment.status, actor, now)) return undefined
  return {
    id,
    body: comment.body,
    authorName: comment.author_name,
    done: last.action === 'approve' ? ('approved' as const) : ('rejected' as const),
  }
}

/**
 * Takes back the latest decision on a comment when it is the actor's own approval or rejection, made within
 * the window, and the comment still stands as it left it. 409 `conflict` otherwise.
 */
export async function undoDecision(db: Db, id: string, actor: Actor, now: Date): Promise<Done<{ comment: ModComment; undone: string }>> {
  const outcome = await db.transaction().execute(async (trx) => {
    const comment = await trx
      .selectFrom('comments')
      .select(['id', 'article_id', 'status'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
    if (!comment) return null
    const last = await latestAction(trx, id)
    const refusal = whyNot(last, comment.status, actor, now)
    if (refusal || !last) throw new AppError(409, 'conflict', `Nothing to undo: ${refusal}.`)
    const from = comment.status
    const to = last.from_status as CommentStatus
    await changeStatus(trx, id, { to, actor, action: 'undo', reason: `undid ${last.action}`, keepExample: false })
    // The decision was a mistake: it is no label to retrain on, and no moderator's wait ended with it.
    await trx.deleteFrom('screening_examples').where('comment_id', '=', id).execute()
    await trx
      .updateTable('comments')
      .set({ first_decided_at: null })
      .where('id', '=', id)
      // Compared in SQL: the stored times keep microseconds that a JavaScript Date would lose.
      .where('first_decided_at', '=', (eb) => eb.selectFrom('moderation_actions').select('created_at').where('id', '=', last.id))
      .execute()
    return { undone: last.action, events: eventsOf(to, from, { commentId: id, articleId: comment.article_id }) }
  })
  if (!outcome) throw notFound('Comment')
  const [comment] = await loadModComments(db, [id])
  return { value: { comment: comment!, undone: outcome.undone }, events: outcome.events }
}
