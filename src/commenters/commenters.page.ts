import type { Executor } from '../platform/db/database.js'
import { notFound } from '../platform/lib/errors.js'
import { toCommenterView } from './commenters.mapper.js'
import { commenterComments, commenterNotes } from './commenters.repository.js'

/** What a moderator sees of one commenter: who, restrictions and counts, their comments, colleagues' notes. */
export async function commenterPage(db: Executor, id: string, page: { cursor?: string | undefined; limit: number }) {
  const row = await db.selectFrom('commenters').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('Commenter')
  const [comments, notes] = await Promise.all([commenterComments(db, id, page), commenterNotes(db, id)])
  return {
    commenter: toCommenterView(row),
    comments: comments.comments.map((c) => ({
      id: c.id,
      articleId: c.article_id,
      articleTitle: c.article_title,
      body: c.body,
      status: c.status,
      shadow: c.shadow,
      featured: c.featured,
      deleted: c.deleted,
      rejectReason: c.reject_reason,
      openReports: c.open_reports,
      createdAt: new Date(c.created_at).toISOString(),
    })),
    nextCursor: comments.nextCursor,
    notes: notes.map((n) => ({ id: n.id, by: n.moderator_name, body: n.body, createdAt: new Date(n.created_at).toISOString() })),
  }
}
