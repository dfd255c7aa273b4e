// A notice, made into what streams send: the published comment itself for readers (fetched once per
// replica, not once per reader), and the decision with the queue's counts for moderators.
import { sql } from 'kysely'
import { PUBLIC_COLUMNS, toPublicComment } from '../comments/comments.mapper.js'
import type { Executor } from '../platform/db/database.js'
import { queueCounts } from '../moderation/moderation.queue.js'
import type { LiveMessage, LiveNotice } from './live.events.js'

/** A comment readers can see (approved, in a thread readers can see), with its article's count. */
async function visibleComment(db: Executor, commentId: string) {
  return db
    .selectFrom('comments as c')
    .innerJoin('articles as a', 'a.id', 'c.article_id')
    .select(PUBLIC_COLUMNS.map((column) => `c.${column}` as const))
    .select('a.approved_count')
    .where('c.id', '=', commentId)
    .where('c.status', '=', 'approved')
    .where((eb) =>
      eb.or([
        eb('c.root_id', 'is', null),
        eb.exists(
          eb.selectFrom('comments as r').select(sql`1`.as('one')).whereRef('r.id', '=', 'c.root_id').where('r.status', '=', 'approved'),
        ),
      ]),
    )
    .executeTakeFirst()
}

async function articleCount(db: Executor, articleId: string) {
  return (await db.selectFrom('articles').select('approved_count').where('id', '=', articleId).executeTakeFirst())?.approved_count ?? 0
}

/** What readers of an article hear: comments appearing, changing or going. Never who wrote what. */
export async function readerMessage(db: Executor, notice: LiveNotice): Promise<LiveMessage | null> {
  if (!notice.commentId || !notice.articleId) return null
  if (!['published', 'edited', 'hidden', 'rejected'].includes(notice.type)) return null
  const row = await visibleComment(db, notice.commentId)
  // An edit of a comment still waiting concerns only its writer's own screen.
  if (!row && notice.type === 'edited') return null
  // Gone from view (an edit held, a report, a rejection), or turned down while its writer waits: the id
  // alone, which only the writer knows.
  if (!row) return { id: notice.id, event: 'hidden', data: { id: notice.commentId, count: await articleCount(db, notice.articleId) } }
  const { approved_count: count, ...comment } = row
  // Still in view (a tombstone holding replies, an edit, a feature): readers get it as it now is.
  return { id: notice.id, event: notice.type === 'published' ? 'comment' : 'edited', data: { comment: toPublicComment(comment), count } }
}

/** What moderators hear: which comment moved, to what, by whom, and the tabs' counts. */
export async function moderatorMessage(db: Executor, notice: LiveNotice): Promise<LiveMessage> {
  if (notice.type === 'viewing') return { id: notice.id, event: 'viewing', data: { commentId: notice.commentId, by: notice.by } }
  const [state, decision, counts, articleCounts] = await Promise.all([
    notice.commentId
      ? db.selectFrom('comments').select(['status', 'open_reports']).where('id', '=', notice.commentId).executeTakeFirst()
      : undefined,
    notice.commentId
      ? db
          .selectFrom('moderation_actions')
          .select(['actor_name', 'action', 'actor_id'])
          .where('comment_id', '=', notice.commentId)
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst()
      : undefined,
    queueCounts(db),
    // A page filtered to one article shows that article's counts.
    notice.articleId ? queueCounts(db, notice.articleId) : null,
  ])
  return {
    id: notice.id,
    event: 'queue',
    data: {
      type: notice.type,
      commentId: notice.commentId ?? null,
      articleId: notice.articleId ?? null,
      status: state?.status ?? 'removed',
      // A person's decision names them; screening's, and anything but a decision, does not.
      by: (notice.type === 'published' || notice.type === 'rejected') && decision?.actor_id ? decision.actor_name : null,
      counts,
      articleCounts,
    },
  }
}
