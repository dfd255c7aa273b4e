import { sql } from 'kysely'
import type { Executor } from '../db/database.js'
import { PUBLIC_COLUMNS, type PublicComment, toPublicComment } from './comments.mapper.js'

/** Replies returned inline per thread; longer threads continue through the replies endpoint. */
export const REPLIES_PER_THREAD = 50

export async function findApprovedPage(
  db: Executor,
  articleId: string,
  page: { sort: 'newest' | 'oldest'; cursor?: string | undefined; limit: number },
): Promise<{ comments: PublicComment[]; nextCursor: string | null }> {
  let query = db
    .selectFrom('comments')
    .select([...PUBLIC_COLUMNS, 'root_id'])
    .where('article_id', '=', articleId)
    .where('status', '=', 'approved')
    .where('parent_id', 'is', null)
  if (page.cursor) query = query.where('id', page.sort === 'newest' ? '<' : '>', page.cursor)
  const rows = await query
    .orderBy('id', page.sort === 'newest' ? 'desc' : 'asc')
    .limit(page.limit + 1)
    .execute()

  const hasMore = rows.length > page.limit
  const top = hasMore ? rows.slice(0, page.limit) : rows
  const comments = top.map((row) => ({ ...toPublicComment(row), replies: [] as PublicComment[] }))
  if (comments.length > 0) {
    const byRoot = new Map(comments.map((c) => [c.id, c]))
    const replies = await threadReplies(db, [...byRoot.keys()], REPLIES_PER_THREAD)
    for (const reply of replies) byRoot.get(reply.root_id)?.replies.push(toPublicComment(reply))
  }
  return { comments, nextCursor: hasMore ? top[top.length - 1]!.id : null }
}

/** The first `perThread` approved replies of each thread, oldest first; one index range scan per thread. */
async function threadReplies(db: Executor, rootIds: string[], perThread: number) {
  const result = await sql<{
    id: string
    article_id: string
    parent_id: string | null
    root_id: string
    author_name: string
    body: string
    created_at: Date
    featured: boolean
    verified: boolean
    edited_at: Date | null
    deleted: boolean
  }>`
    select r.id, r.article_id, r.parent_id, r.root_id, r.author_name, r.body, r.created_at, r.featured, r.verified, r.edited_at, r.deleted
    from unnest(${rootIds}::text[]) as thread(root_id)
    cross join lateral (
      select c.* from comments c
      where c.root_id = thread.root_id and c.status = 'approved'
      order by c.id
      limit ${perThread}
    ) r
    order by r.id`.execute(db)
  return result.rows
}

export async function findApprovedReplies(
  db: Executor,
  rootId: string,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ replies: PublicComment[]; nextCursor: string | null }> {
  let query = db
    .selectFrom('comments')
    .select(PUBLIC_COLUMNS)
    .where('root_id', '=', rootId)
    .where('status', '=', 'approved')
  if (page.cursor) query = query.where('id', '>', page.cursor)
  const rows = await query.orderBy('id').limit(page.limit + 1).execute()
  const hasMore = rows.length > page.limit
  const slice = hasMore ? rows.slice(0, page.limit) : rows
  return { replies: slice.map((r) => toPublicComment(r)), nextCursor: hasMore ? slice[slice.length - 1]!.id : null }
}

/** Where a writer's own comments stand; the widget asks so a pending comment can leave its "awaiting" state. */
/**
 * Where a writer's own comments stand, and for a turned-down one the reason's code (spam, off_topic…):
 * the moderator's note stays for the mail, which goes only to a proven mailbox.
 */
export async function findStatuses(db: Executor, ids: string[]) {
  if (ids.length === 0) return { statuses: {}, reasons: {} }
  const rows = await db.selectFrom('comments').select(['id', 'status', 'reject_reason']).where('id', 'in', ids).where('deleted', '=', false).execute()
  const statuses: Record<string, 'pending' | 'approved' | 'rejected'> = Object.fromEntries(rows.map((r) => [r.id, r.status]))
  const reasons: Record<string, string> = {}
  for (const r of rows) if (r.status === 'rejected' && r.reject_reason) reasons[r.id] = r.reject_reason.split(':')[0]!
  return { statuses, reasons }
}
