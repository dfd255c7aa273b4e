import { type SelectQueryBuilder, sql } from 'kysely'
import type { CommentRow, CommentStatus, Database, Executor } from '../platform/db/database.js'
import { PUBLIC_COLUMNS, type PublicComment, toPublicComment } from './comments.mapper.js'
import { inVisibleThread } from './comments.visibility.js'

/** Replies returned inline per thread; longer threads continue through the replies endpoint. */
export const REPLIES_PER_THREAD = 50

/** Editors' picks shown above an article's threads, and above the other replies in a thread. */
export const MAX_PINNED = 10

export async function findApprovedPage(
  db: Executor,
  articleId: string,
  page: { sort: 'newest' | 'oldest' | 'respected'; cursor?: string | undefined; limit: number; view?: 'all' | 'picks' },
): Promise<{ comments: PublicComment[]; nextCursor: string | null }> {
  if (page.view === 'picks') return findPicks(db, articleId, { ...page, sort: page.sort === 'oldest' ? 'oldest' : 'newest' })
  const threads = () =>
    db
      .selectFrom('comments')
      .select([...PUBLIC_COLUMNS, 'root_id'])
      .where('article_id', '=', articleId)
      .where('status', '=', 'approved')
      .where('parent_id', 'is', null)
  // Picked threads lead the first page, whatever the order; the pages that follow leave them out.
  const pinned = await threads().where('featured', '=', true).orderBy('id', 'desc').limit(MAX_PINNED).execute()
  let query = threads()
  if (pinned.length > 0)
    query = query.where(
      'id',
      'not in',
      pinned.map((row) => row.id),
    )
  const rows = await (page.sort === 'respected' ? byRespect(query, page.cursor) : byTime(query, page.sort, page.cursor))
    .limit(page.limit + 1)
    .execute()

  const hasMore = rows.length > page.limit
  const top = hasMore ? rows.slice(0, page.limit) : rows
  const shown = page.cursor ? top : [...pinned, ...top]
  const comments = shown.map((row) => ({ ...toPublicComment(row), replies: [] as PublicComment[] }))
  if (comments.length > 0) {
    const byRoot = new Map(comments.map((c) => [c.id, c]))
    const replies = await threadReplies(db, [...byRoot.keys()], REPLIES_PER_THREAD)
    for (const reply of replies) byRoot.get(reply.root_id)?.replies.push(toPublicComment(reply))
  }
  const last = top.at(-1)
  return { comments, nextCursor: hasMore && last ? (page.sort === 'respected' ? `${last.respect_count}~${last.id}` : last.id) : null }
}

type ThreadQuery = SelectQueryBuilder<Database, 'comments', Pick<CommentRow, (typeof PUBLIC_COLUMNS)[number] | 'root_id'>>

function byTime(query: ThreadQuery, sort: 'newest' | 'oldest', cursor: string | undefined) {
  if (cursor) query = query.where('id', sort === 'newest' ? '<' : '>', cursor)
  return query.orderBy('id', sort === 'newest' ? 'desc' : 'asc')
}

/** Most respected first, newest first among equals; the cursor carries both. */
function byRespect(query: ThreadQuery, cursor: string | undefined) {
  if (cursor) {
    const [count, id] = cursor.includes('~') ? cursor.split('~') : [String(2 ** 31 - 1), cursor]
    query = query.where((eb) =>
      eb.or([eb('respect_count', '<', Number(count)), eb.and([eb('respect_count', '=', Number(count)), eb('id', '<', id!)])]),
    )
  }
  return query.orderBy('respect_count', 'desc').orderBy('id', 'desc')
}

/** An article's picks, threads and replies alike, without their threads: the widget's "Picks" tab. */
async function findPicks(db: Executor, articleId: string, page: { sort: 'newest' | 'oldest'; cursor?: string | undefined; limit: number }) {
  let query = db
    .selectFrom('comments')
    .select(PUBLIC_COLUMNS)
    .where('article_id', '=', articleId)
    .where('status', '=', 'approved')
    .where('featured', '=', true)
    .where(inVisibleThread)
  if (page.cursor) query = query.where('id', page.sort === 'newest' ? '<' : '>', page.cursor)
  const rows = await query
    .orderBy('id', page.sort === 'newest' ? 'desc' : 'asc')
    .limit(page.limit + 1)
    .execute()
  const hasMore = rows.length > page.limit
  const slice = hasMore ? rows.slice(0, page.limit) : rows
  return { comments: slice.map((row) => toPublicComment(row)), nextCursor: hasMore ? slice[slice.length - 1]!.id : null }
}

/** How many picks an article has: the widget offers its "Picks" tab when there are any. */
export async function countPicks(db: Executor, articleId: string): Promise<number> {
  const row = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('article_id', '=', articleId)
    .where('status', '=', 'approved')
    .where('featured', '=', true)
    .where(inVisibleThread)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Who acts on a comment: a verified reader, and the keyed hash of the caller's network. */
export interface Caller {
  readerId: string | null
  addressHash: string | null
}

/**
 * A comment as readers may act on it (respect it, report it, read its replies), or undefined when they
 * may not: it must be published, in a thread readers can see (the list's own rule). A shadow comment is
 * published to its writer, and to nobody else: its writer (the reader who wrote it, or whoever calls from
 * the network it was posted from) is answered as for a published comment; everyone else as for none.
 * `lock` takes the row for update, in a transaction.
 */
export async function findActionable(db: Executor, id: string, caller: Caller, { lock = false }: { lock?: boolean } = {}) {
  let query = db
    .selectFrom('comments')
    .select(['id', 'article_id', 'parent_id', 'status', 'deleted', 'shadow', 'commenter_id', 'ip_hash', 'respect_count'])
    .select((eb) => inVisibleThread(eb).as('in_visible_thread'))
    .where('id', '=', id)
  if (lock) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  if (!row || row.deleted) return undefined
  if (row.shadow) {
    const writer =
      (caller.readerId !== null && row.commenter_id === caller.readerId) || (row.ip_hash !== null && row.ip_hash === caller.addressHash)
    return writer ? row : undefined
  }
  return row.status === 'approved' && row.in_visible_thread ? row : undefined
}

/**
 * The picked replies of each thread, then its first `perThread` other approved replies, oldest first:
 * two index range scans per thread.
 */
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
    respect_count: number
  }>`
    select r.id, r.article_id, r.parent_id, r.root_id, r.author_name, r.body, r.created_at, r.featured, r.verified, r.edited_at, r.deleted, r.respect_count
    from unnest(${rootIds}::text[]) as thread(root_id)
    cross join lateral (
      (select c.* from comments c
       where c.root_id = thread.root_id and c.status = 'approved' and c.featured
       order by c.id
       limit ${MAX_PINNED})
      union all
      (select c.* from comments c
       where c.root_id = thread.root_id and c.status = 'approved' and not c.featured
       order by c.id
       limit ${perThread})
    ) r
    order by r.featured desc, r.id`.execute(db)
  return result.rows
}

export async function findApprovedReplies(
  db: Executor,
  rootId: string,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ replies: PublicComment[]; nextCursor: string | null }> {
  // Picked replies came first, with the thread: what follows is the rest.
  let query = db
    .selectFrom('comments')
    .select(PUBLIC_COLUMNS)
    .where('root_id', '=', rootId)
    .where('status', '=', 'approved')
    .where('featured', '=', false)
  if (page.cursor) query = query.where('id', '>', page.cursor)
  const rows = await query
    .orderBy('id')
    .limit(page.limit + 1)
    .execute()
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
  const rows = await db
    .selectFrom('comments')
    .select(['id', 'status', 'reject_reason', 'shadow'])
    .where('id', 'in', ids)
    .where('deleted', '=', false)
    .execute()
  // A shadow comment is "approved" to the writer who holds its receipt, and to nobody else.
  const statuses: Record<string, CommentStatus> = Object.fromEntries(rows.map((r) => [r.id, r.shadow ? 'approved' : r.status]))
  const reasons: Record<string, string> = {}
  for (const r of rows) if (r.status === 'rejected' && !r.shadow && r.reject_reason) reasons[r.id] = r.reject_reason.split(':')[0]!
  return { statuses, reasons }
}
