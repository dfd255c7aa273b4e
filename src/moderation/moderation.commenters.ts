import type { CommenterStatus, Db, Tx } from '../platform/db/database.js'
import type { DomainEvent, Done } from '../events/events.js'
import { notFound } from '../platform/lib/errors.js'
import { newId } from '../platform/lib/ids.js'
import { type CommenterView, toCommenterView } from '../commenters/commenters.mapper.js'
import { type KeyedHash, forgetRestrictions } from '../commenters/commenters.restrictions.js'
import { type Actor, writeAudit } from '../audit/audit.log.js'
import { changeStatus } from '../comments/comments.status.js'

export async function commenterView(db: Db | Tx, id: string): Promise<CommenterView> {
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
