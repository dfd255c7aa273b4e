// Erasing a commenter, by their own request or an administrator's: their identity always, their words
// everywhere they are kept, and (when they were restricted) the minimal record that outlives them.
import { type ExpressionBuilder, sql } from 'kysely'
import type { Database, Db } from '../platform/db/database.js'
import type { Done } from '../events/events.js'
import { normalizeEmail } from '../commenters/commenters.repository.js'
import { type KeyedHash, keepRestrictions } from '../commenters/commenters.restrictions.js'
import { forgetMailsTo } from '../mail/mail.queue.js'
import { type Actor, writeAudit } from '../audit/audit.log.js'
import { recountVisible } from '../comments/comments.visibility.js'
import { commenterView } from './moderation.commenters.js'

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
