// Commenters: the people behind comments. Ban, trust, reset, export and erase are actions: each runs
// its transaction, writes its audit row and returns its events.
import { type ExpressionBuilder, sql } from 'kysely'
import type { CommenterStatus, Database, Db, Tx } from '../platform/db/database.js'
import type { DomainEvent, Done } from '../events/events.js'
import { notFound } from '../platform/lib/errors.js'
import { newId } from '../platform/lib/ids.js'
import { type CommenterView, toCommenterView } from '../commenters/commenters.mapper.js'
import { normalizeEmail } from '../commenters/commenters.repository.js'
import { type KeyedHash, forgetRestrictions, keepRestrictions } from '../commenters/commenters.restrictions.js'
import { forgetMailsTo } from '../mail/mail.queue.js'
import { type Actor, writeAudit } from '../audit/audit.log.js'
import { changeStatus } from '../comments/comments.status.js'
import { recountVisible } from '../comments/comments.visibility.js'

async function commenterView(db: Db | Tx, id: string): Promise<CommenterView> {
  const row = await db.selectFrom('commenters').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('Commenter')
  return toCommenterView(row)
}

/** Ban, trust or reset a commenter; a ban can also reject everything they have waiting. */
export async function setCommenterStatus(
  db: Db,
  id: string,
  status: CommenterStatus,
  actor: Actor,
  options: { rejectPending?: boolean; reason?: string | undefined; keyedHash: KeyedHash },
): Promise<Done<CommenterView & { rejectedPending: number }>> {
  const events = await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('commenters')
      .select(['id', 'status', 'suspended_until', 'shadow_banned', 'email', 'sso_subject'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
    if (!before) throw notFound('Commenter')
    const events: DomainEvent[] = []
    const action = status === 'banned' ? 'ban' : status === 'trusted' ? 'trust' : 'reset'
    // Reset is the way back from every restriction: a ban, a suspension that has not run out, a shadow-ban.
    const lifts = status === 'normal' && (before.suspended_until !== null || before.shadow_banned)
    if (before.status !== status || lifts) {
      await trx
        .updateTable('commenters')
        .set({ status, ...(status === 'normal' && { suspended_until: null, shadow_banned: false }), updated_at: new Date() })
        .where('id', '=', id)
        .execute()
      await writeAudit(trx, { commenterId: id, actor, action, from: before.status, to: status, reason: options.reason ?? null })
      events.push({ type: 'commenter.status_changed', commenterId: id, status })
    }
    // What was kept of an erased account of theirs is lifted with it, or it would come back with the next one.
    const lifted = status === 'normal' ? (['ban', 'suspend', 'shadow_ban'] as const) : status === 'trusted' ? (['ban'] as const) : []
    await forgetRestrictions(trx, options.keyedHash, before, [...lifted])
    if (status !== 'banned' || !options.rejectPending) return events
    const pending = await trx
      .selectFrom('comments')
      .select(['id', 'article_id'])
      .where('commenter_id', '=', id)
      .where('status', '=', 'pending')
      .execute()
    for (const comment of pending) {
      await changeStatus(trx, comment.id, { to: 'rejected', actor, action: 'reject', reason: 'commenter banned' })
      events.push({ type: 'comment.rejected', commentId: comment.id, articleId: comment.article_id })
    }
    return events
  })
  const rejectedPending = events.filter((e) => e.type === 'comment.rejected').length
  return { value: { ...(await commenterView(db, id)), rejectedPending }, events }
}

export const SUSPENSION_DAYS = [1, 7, 30] as const

/**
 * Suspends a commenter for some days (their posts are refused until then, and the refusal says until
 * when), or shadow-bans them (their posts look published to them and reach nobody else). Each with the
 * moderator's reason in the audit log.
 */
export async function restrictCommenter(
  db: Db,
  id: string,
  restriction: { kind: 'suspend'; days: (typeof SUSPENSION_DAYS)[number] } | { kind: 'shadow_ban' },
  actor: Actor,
  reason: string,
  now = new Date(),
): Promise<Done<CommenterView>> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('commenters').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst()
    if (!before) throw notFound('Commenter')
    if (restriction.kind === 'suspend') {
      const until = new Date(now.getTime() + restriction.days * 86_400_000)
      await trx.updateTable('commenters').set({ suspended_until: until, updated_at: now }).where('id', '=', id).execute()
      await writeAudit(trx, {
        commenterId: id,
        actor,
        action: 'suspend',
        from: before.status,
        to: before.status,
        reason: `${restriction.days} days, until ${until.toISOString()}: ${reason}`,
      })
    } else {
      await trx.updateTable('commenters').set({ shadow_banned: true, updated_at: now }).where('id', '=', id).execute()
      await writeAudit(trx, { commenterId: id, actor, action: 'shadow_ban', from: before.status, to: before.status, reason })
    }
  })
  return { value: await commenterView(db, id), events: [] }
}

/** A moderator's note on a commenter, for the colleagues who meet them next. */
export async function addCommenterNote(db: Db, id: string, actor: Actor & { id: string }, body: string): Promise<Done<{ id: string }>> {
  await commenterView(db, id)
  const note = await db
    .insertInto('commenter_notes')
    .values({ id: newId(), commenter_id: id, moderator_id: actor.id, moderator_name: actor.name, body })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { value: note, events: [] }
}

/**
 * Erases a commenter: their identity always, and their comments either kept as "[deleted]"
 * tombstones, or removed. Removing keeps a tombstone where other readers replied,
 * so their replies do not lose their thread.
 */
export async function eraseCommenter(
  db: Db,
  id: string,
  actor: Actor,
  mode: 'tombstone' | 'remove',
  keyedHash: KeyedHash,
  now = new Date(),
): Promise<Done<{ erased: true; mode: 'tombstone' | 'remove'; comments: number }>> {
  await commenterView(db, id)
  const comments = await db.transaction().execute(async (trx) => {
    // A restriction outlives the account: deleting it must not be the way out of a ban.
    await keepRestrictions(
      trx,
      keyedHash,
      await trx.selectFrom('commenters').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow(),
      now,
    )
    const rows = await trx.selectFrom('comments').select(['id', 'article_id', 'status']).where('commenter_id', '=', id).execute()
    await trx
      .updateTable('comments')
      // Everything that can quote or identify them: the words, the name, the matched spans in the screening,
      // a moderator's reason, and the retry key their browser chose.
      .set({
        author_name: '[deleted]',
        body: '[deleted]',
        ip_hash: null,
        deleted: true,
        reject_reason: null,
        screening: '{}',
        idempotency_key: null,
        updated_at: new Date(),
      })
      .where('commenter_id', '=', id)
      .execute()
    const theirs = (
      eb: ExpressionBuilder<Database, 'comments' | 'screening_examples' | 'comment_revisions' | 'moderation_actions' | 'reports'>,
    ) => eb.selectFrom('comments').select('comments.id').where('comments.commenter_id', '=', id)
    // Erased means erased everywhere: their words leave the training examples, and what moderators and
    // readers wrote about their comments (reasons, report notes) may name them.
    await trx.deleteFrom('screening_examples').where('comment_id', 'in', theirs).execute()
    await trx.deleteFrom('comment_revisions').where('comment_id', 'in', theirs).execute()
    await trx.updateTable('moderation_actions').set({ reason: null }).where('comment_id', 'in', theirs).execute()
    await trx.updateTable('reports').set({ note: null }).where('comment_id', 'in', theirs).execute()
    if (mode === 'remove') {
      await trx
        .deleteFrom('comments')
        .where('commenter_id', '=', id)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('comments as reply').select('reply.id').whereRef('reply.parent_id', '=', 'comments.id'))),
        )
        .execute()
    }
    const articles = [...new Set(rows.map((r) => r.article_id))]
    // Counts follow what is still visible, and the articles' cached lists are new.
    if (articles.length > 0) await recountVisible(trx, sql`select unnest(${articles}::text[])`)
    // Their respects go too, and the counts they made.
    const respected = await trx.deleteFrom('comment_reactions').where('reactor', '=', `r:${id}`).returning('comment_id').execute()
    if (respected.length > 0) {
      await trx
        .updateTable('comments')
        .set({ respect_count: sql`greatest(respect_count - 1, 0)` })
        .where(
          'id',
          'in',
          respected.map((r) => r.comment_id),
        )
        .execute()
    }
    await trx.updateTable('comments').set({ commenter_id: null }).where('commenter_id', '=', id).execute()
    await trx.deleteFrom('moderation_actions').where('commenter_id', '=', id).where('comment_id', 'is', null).execute()
    await trx.updateTable('moderation_actions').set({ commenter_id: null }).where('commenter_id', '=', id).execute()
    // Their address leaves the one-time codes and the outbox too, unless another identity of theirs keeps it.
    const { email } = await trx.selectFrom('commenters').select('email').where('id', '=', id).executeTakeFirstOrThrow()
    await trx.deleteFrom('commenters').where('id', '=', id).execute()
    if (
      email &&
      !(await trx.selectFrom('commenters').select('id').where('email_normalized', '=', normalizeEmail(email)).executeTakeFirst())
    ) {
      await trx.deleteFrom('reader_codes').where(sql`lower(email)`, '=', normalizeEmail(email)).execute()
      await forgetMailsTo(trx, email)
    }
    await writeAudit(trx, { actor, action: `erase_commenter_${mode}`, reason: `${rows.length} comments` })
    return { count: rows.length, articles }
  })
  return { value: { erased: true, mode, comments: comments.count }, events: [{ type: 'commenter.erased', articleIds: comments.articles }] }
}
