import { sql } from 'kysely'
import type { Executor } from '../platform/db/database.js'
import { type ModComment, toModComment } from './moderation.mapper.js'

export type { ModComment }

export type QueueName = 'pending' | 'reported' | 'flagged' | 'rejected' | 'approved' | 'featured'
export const QUEUES: readonly QueueName[] = ['pending', 'reported', 'flagged', 'rejected', 'approved', 'featured']

export type QueueSort = 'risk' | 'newest' | 'oldest'
export const QUEUE_SORTS: readonly QueueSort[] = ['risk', 'newest', 'oldest']

/** Waiting comments are worked riskiest first; the reported queue oldest first (fair to readers); archives newest first. */
export const DEFAULT_SORT: Record<QueueName, QueueSort> = {
  pending: 'risk',
  flagged: 'risk',
  reported: 'oldest',
  rejected: 'newest',
  approved: 'newest',
  featured: 'newest',
}

/**
 * A risk-ordered page ends at a (risk, id) pair: "0.87~01J…"; others end at an id. The risk is PostgreSQL's
 * own text for the stored real, whatever its form ("4.5e-05"), so it compares equal when cast back.
 */
export const CURSOR_PATTERN = /^(?:[0-9][0-9.e+-]{0,23}~)?[0-9a-hjkmnp-tv-z]{26}$/

export async function listQueue(
  db: Executor,
  options: { queue: QueueName; sort?: QueueSort | undefined; articleId?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: ModComment[]; nextCursor: string | null }> {
  const sort = options.sort ?? DEFAULT_SORT[options.queue]
  // The risk's text as PostgreSQL prints it, for the cursor; ordering uses the column itself.
  let query = db.selectFrom('comments').select(['id', sql<string>`risk::text`.as('risk_text')])
  switch (options.queue) {
    case 'pending':
      query = query.where('status', '=', 'pending')
      break
    case 'flagged':
      query = query.where('status', '=', 'pending').where('flagged', '=', true)
      break
    case 'reported':
      query = query.where('status', '=', 'approved').where('open_reports', '>', 0)
      break
    case 'featured':
      // Editors' picks: published and featured (issue 14).
      query = query.where('status', '=', 'approved').where('featured', '=', true)
      break
    default:
      query = query.where('status', '=', options.queue)
  }
  if (options.articleId) query = query.where('article_id', '=', options.articleId)
  if (sort === 'risk') {
    if (options.cursor?.includes('~')) {
      // Compared as real, the column's own type, so the cursor's risk equals the row's exactly.
      const [risk, id] = options.cursor.split('~') as [string, string]
      query = query.where((eb) =>
        eb.or([eb('risk', '<', sql<number>`${risk}::real`), eb.and([eb('risk', '=', sql<number>`${risk}::real`), eb('id', '>', id)])]),
      )
    }
    query = query.orderBy('comments.risk', 'desc').orderBy('id', 'asc')
  } else {
    const ascending = sort === 'oldest'
    const cursorId = options.cursor?.split('~').pop()
    if (cursorId) query = query.where('id', ascending ? '>' : '<', cursorId)
    query = query.orderBy('id', ascending ? 'asc' : 'desc')
  }
  const rows = await query.limit(options.limit + 1).execute()
  const hasMore = rows.length > options.limit
  const page = rows.slice(0, options.limit)
  const last = page[page.length - 1]
  const nextCursor = hasMore && last ? (sort === 'risk' ? `${last.risk_text}~${last.id}` : last.id) : null
  return {
    items: await loadModComments(
      db,
      page.map((r) => r.id),
    ),
    nextCursor,
  }
}

/** Full moderator views of the given comments, in the given order, in three queries. */
export async function loadModComments(db: Executor, ids: string[]): Promise<ModComment[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('comments as c')
    .innerJoin('articles as a', 'a.id', 'c.article_id')
    .leftJoin('commenters as p', 'p.id', 'c.commenter_id')
    .leftJoin('comments as parent', 'parent.id', 'c.parent_id')
    .select([
      'c.id',
      'c.article_id',
      'c.parent_id',
      'c.author_name',
      'c.body',
      'c.created_at',
      'c.updated_at',
      'c.status',
      'c.featured',
      'c.edited_at',
      'c.verified',
      'c.deleted',
      'c.respect_count',
      'c.flagged',
      'c.risk',
      'c.model_version',
      'c.reject_reason',
      'c.open_reports',
      'c.screening',
      'c.commenter_id',
      'a.title as article_title',
      'a.url as article_url',
      'p.name as commenter_name',
      'p.email as commenter_email',
      'p.status as commenter_status',
      'p.kind as commenter_kind',
      'p.approved_count as commenter_approved',
      'p.rejected_count as commenter_rejected',
      'parent.author_name as parent_author',
      'parent.body as parent_body',
      'parent.status as parent_status',
    ])
    .where('c.id', 'in', ids)
    .execute()
  const reports = await db
    .selectFrom('reports')
    .select(['comment_id', 'reason', 'note', 'created_at'])
    .where('comment_id', 'in', ids)
    .where('resolved_at', 'is', null)
    .orderBy('created_at')
    .execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.flatMap((id) => {
    const r = byId.get(id)
    if (!r) return []
    const item = toModComment(
      r,
      reports.filter((rep) => rep.comment_id === id),
    )
    return [item]
  })
}

export async function queueCounts(db: Executor, articleId?: string): Promise<{ pending: number; reported: number; flagged: number }> {
  const scope = articleId ? sql`and article_id = ${articleId}` : sql``
  const result = await sql<{ pending: number; reported: number; flagged: number }>`
    select
      (select count(*)::int from comments where status = 'pending' ${scope}) as pending,
      (select count(*)::int from comments where status = 'approved' and open_reports > 0 ${scope}) as reported,
      (select count(*)::int from comments where status = 'pending' and flagged ${scope}) as flagged`.execute(db)
  return result.rows[0]!
}

/** How long the oldest comment waiting for a moderator has waited, in seconds; 0 with none waiting. */
export async function oldestWaitingSeconds(db: Executor): Promise<number> {
  const oldest = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.min('created_at').as('since'))
    .where('status', '=', 'pending')
    .executeTakeFirst()
  const since = oldest?.since ? new Date(oldest.since as Date | string) : null
  return since ? Math.max(0, (Date.now() - since.getTime()) / 1000) : 0
}
