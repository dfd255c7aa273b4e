import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely'
import { z } from 'zod'
import { articleIdSchema } from '../comments/comments.schema.js'
import type { Executor } from '../platform/db/database.js'
import { ID_PATTERN } from '../platform/lib/ids.js'
import { type ModComment, QUEUES, type QueueName, loadModComments } from './moderation.queue.js'

// Moderator search (issue 16): comments by their words, their author's name or email, or their article,
// in any queue, newest first. Words go through a full-text index; name and email fragments through
// trigram indexes on the commenters, title fragments on the articles (migrations/2026-11-28T1600-search.ts,
// 2026-12-02T1240-search-commenters.ts): the writers or articles are found first, then their comments.
// Both sides of every match are folded by the same SQL function, nc_search_text, so "إسرائيل" finds
// "اسرائيل" and "café" finds "cafe".

/** Shorter fragments have no trigram to look up: a name or email is matched from three characters. */
export const MIN_FRAGMENT = 3

export const searchQuerySchema = z
  .object({
    q: z.string().trim().max(200, 'at most 200 characters').optional(),
    queue: z.enum(QUEUES as [QueueName, ...QueueName[]]).optional(),
    articleId: articleIdSchema.optional(),
    cursor: z.string().regex(ID_PATTERN, 'invalid cursor').optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
  })
  .refine((query) => (query.q !== undefined && query.q.length >= 2) || query.articleId !== undefined, {
    path: ['q'],
    message: 'type at least 2 characters, or name an article',
  })

export type SearchQuery = z.infer<typeof searchQuerySchema>

/** The conditions that put a comment (aliased c) in a queue, as listQueue reads them. */
function inQueue(queue: QueueName): Expression<SqlBool> {
  switch (queue) {
    case 'flagged':
      return sql<SqlBool>`c.status = 'pending' and c.flagged`
    case 'reported':
      return sql<SqlBool>`c.status = 'approved' and c.open_reports > 0`
    case 'featured':
      return sql<SqlBool>`c.status = 'approved' and c.featured`
    default:
      return sql<SqlBool>`c.status = ${queue}`
  }
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`)

/** How many of the newest comments (below the cursor) a word or a common fragment is first looked for in. */
const RECENT_WINDOW = 20_000

/** A fragment naming at most this many writers (or articles) reads each one's newest comments by keyset. */
const FEW = 200

/** Beyond this many, the members are not gathered: each walked comment's own writer or article is checked. */
const MANY = 2_000

/** What every branch of one search shares: its filters, the page size, and the edge of the newest comments. */
interface Scope {
  db: Executor
  filters: RawBuilder<unknown>
  take: number
  /** The id RECENT_WINDOW comments (under the filters) below the newest; null when there are fewer. */
  windowStart: () => Promise<string | null>
}

const idList = (ids: { id: string }[]) => sql`(select unnest(${ids.map((r) => r.id)}::text[]) as id)`

/**
 * The comments whose words match, newest first. The newest RECENT_WINDOW comments are read first, in
 * order, with the stored words' cheap check: a common word fills a page there in milliseconds. Only when
 * they hold less than a page is the full-text index read for the whole table (then ordered): a rare
 * word's cost is its few matches. Either way never the bitmap of half a million rows a word like "the"
 * would make (1.8 s at a million comments, measured by bench/search.ts).
 */
async function wordsBranch(scope: Scope, q: string) {
  const { db, filters, take } = scope
  const match = sql<SqlBool>`c.search_words @@ websearch_to_tsquery('simple'::regconfig, nc_search_text(${q}))`
  const windowStart = await scope.windowStart()
  const recent = await sql<{ id: string }>`
    select c.id from comments c where ${match} and ${filters} and c.id >= ${windowStart ?? ''} order by c.id desc limit ${take}`.execute(db)
  // A full page from the newest comments, or every comment there is: the answer is complete.
  if (recent.rows.length >= take || windowStart === null) return [idList(recent.rows)]
  return [sql`(select id from (select c.id from comments c where ${match} and ${filters} offset 0) words order by id desc limit ${take})`]
}

/** Writers or articles a fragment names, and how one's comments are read newest first by keyset. */
interface Members {
  /** `select id from … where …`: the writers or articles, found through their trigram indexes. */
  select: RawBuilder<unknown>
  /** The same match for the one writer or article of comment c, looked up by its key: a scalar subquery,
   * which PostgreSQL never turns into a hash of every member (an EXISTS it does). */
  owns: RawBuilder<unknown>
  column: 'commenter_id' | 'article_id'
  /** Statuses to read one by one (an article's comments are indexed by (article, status, id)), or none. */
  statuses: readonly string[] | null
}

/**
 * The newest comments of the writers (or articles) a fragment names. A few: each one's newest comments,
 * read by keyset from (commenter_id, id) or (article_id, status, id), then merged. More: their comments
 * are common, so the newest RECENT_WINDOW comments are walked first, each checked against the members'
 * ids; so many that gathering them would cost more ("mail": 43,000 writers at a million comments), each
 * walked comment's own writer is checked instead, and a few dozen comments fill the page. Only when the
 * window holds less than a page are the members read one by one below it. Never every comment of
 * thousands of writers, read and sorted (462 ms for "ali" at 300,000).
 */
async function membersBranch(scope: Scope, members: Members) {
  const { db, filters, take } = scope
  const keyset = (from: RawBuilder<unknown>, below: RawBuilder<unknown>) => {
    const byStatus = members.statuses ? sql`cross join unnest(${members.statuses}::text[]) as st(status)` : sql``
    const status = members.statuses ? sql`and c.status = st.status` : sql``
    return sql`(select x.id from ${from} as s(id) ${byStatus} cross join lateral (
      select c.id from comments c where c.${sql.ref(members.column)} = s.id ${status} and ${filters} and ${below}
      order by c.id desc limit ${take}) x order by x.id desc limit ${take})`
  }
  // A CTE is planned for all its rows, so through the trigram index; the limit then stops reading early.
  // Planned with the limit, a fragment was guessed common and every commenter read to find eleven.
  // Only a few members' ids come back: past that, the count alone decides.
  const { rows } = await sql<{ n: number; ids: string[] | null }>`
    with members as materialized (${members.select})
    select count(distinct id)::int as n, case when count(*) <= ${FEW} then array_agg(distinct id) end as ids
    from (select id from members limit ${MANY + 1}) found`.execute(db)
  const { n, ids } = rows[0] ?? { n: 0, ids: null }
  if (n === 0) return []
  if (ids) return [keyset(sql`unnest(${ids}::text[])`, sql`true`)]
  const windowStart = await scope.windowStart()
  // "(…) is true" keeps each check a subplan of its own, run as the comments are walked newest first: a
  // hash of the members' ids, or a lookup of the comment's writer. As a join, the planner expected few
  // members and compared every comment with every one of them.
  const all = n > MANY
  const member = all ? sql`(${members.owns}) is true` : sql`(c.${sql.ref(members.column)} in (${members.select})) is true`
  const recent = await sql<{ id: string }>`
    select c.id from comments c where ${filters} and c.id >= ${windowStart ?? ''} and ${member}
    order by c.id desc limit ${take}`.execute(db)
  if (recent.rows.length >= take || windowStart === null) return [idList(recent.rows)]
  // Each member once (a writer can match by name and by email), or a page could hold a comment twice.
  return [idList(recent.rows), keyset(sql`(select distinct id from (${members.select}) m)`, sql`c.id < ${windowStart}`)]
}

/** The statuses a queue's comments have: an article's comments are read status by status. */
function statusesOf(queue: QueueName | undefined): readonly string[] {
  if (queue === 'pending' || queue === 'flagged') return ['pending']
  if (queue === 'rejected') return ['rejected']
  if (queue === undefined) return ['approved', 'pending', 'rejected']
  return ['approved']
}

/**
 * One page of matches, newest first. Each way of matching is its own branch, ordered and limited by
 * itself, and the page is the newest of their union: so each branch keeps the plan that suits it (a word
 * found in ten comments reads ten index entries; a word in half of them walks the newest comments and
 * stops at a page) instead of one OR that no single index can serve.
 */
export async function searchComments(db: Executor, query: SearchQuery): Promise<{ items: ModComment[]; nextCursor: string | null }> {
  const q = query.q ?? ''
  const take = query.limit + 1
  const filters = sql.join(
    [
      sql`true`,
      ...(query.queue ? [inQueue(query.queue)] : []),
      ...(query.articleId ? [sql`c.article_id = ${query.articleId}`] : []),
      ...(query.cursor ? [sql`c.id < ${query.cursor}`] : []),
    ],
    sql` and `,
  )
  const branch = (match: Expression<SqlBool>) =>
    sql`(select c.id from comments c where ${match} and ${filters} order by c.id desc limit ${take})`
  let edge: Promise<string | null> | null = null
  const scope: Scope = {
    db,
    filters,
    take,
    windowStart: () => {
      edge ??= sql<{ id: string }>`select c.id from comments c where ${filters} order by c.id desc offset ${RECENT_WINDOW - 1} limit 1`
        .execute(db)
        .then((r) => r.rows[0]?.id ?? null)
      return edge
    },
  }

  const branches: RawBuilder<unknown>[] = []
  if (q === '') {
    branches.push(branch(sql`true`))
  } else {
    // A query of punctuation alone has no words: the text branch would only warn.
    if (/[\p{L}\p{N}]/u.test(q)) branches.push(...(await wordsBranch(scope, q)))
    if ([...q].length >= MIN_FRAGMENT) {
      const pattern = `%${escapeLike(q)}%`
      // Writers by a fragment of their email or name, then their comments. Two selects, each through its
      // own index: as one OR the planner priced the two bitmaps above reading every commenter.
      const email = (m: string) => sql`${sql.ref(`${m}.email_normalized`)} like lower(${pattern})`
      const name = (m: string) => sql`${sql.ref(`${m}.search_name`)} like nc_search_text(${pattern})`
      branches.push(
        ...(await membersBranch(scope, {
          select: sql`select m.id from commenters m where ${email('m')} union all select m.id from commenters m where ${name('m')}`,
          owns: sql`(select ${email('w')} or ${name('w')} from commenters w where w.id = c.commenter_id)`,
          column: 'commenter_id',
          statuses: null,
        })),
      )
      const title = (a: string) =>
        sql`(nc_search_text(coalesce(${sql.ref(`${a}.title`)}, '')) like nc_search_text(${pattern}) or ${sql.ref(`${a}.id`)} = ${q})`
      branches.push(
        ...(await membersBranch(scope, {
          select: sql`select a.id from articles a where ${title('a')}`,
          owns: sql`(select ${title('t')} from articles t where t.id = c.article_id)`,
          column: 'article_id',
          statuses: statusesOf(query.queue),
        })),
      )
      // Comments filed under no writer (imported without an email, or their writer erased) by their own name.
      branches.push(
        sql`(select id from (select c.id from comments c where c.commenter_id is null and nc_search_text(c.author_name) like nc_search_text(${pattern}) and ${filters} offset 0) unfiled order by id desc limit ${take})`,
      )
    } else {
      branches.push(branch(sql`c.article_id = ${q}`))
    }
  }
  if (branches.length === 0) return { items: [], nextCursor: null }
  const { rows } = await sql<{
    id: string
  }>`select id from (${sql.join(branches, sql` union `)}) found order by id desc limit ${take}`.execute(db)
  const page = rows.slice(0, query.limit)
  const nextCursor = rows.length > query.limit ? page[page.length - 1]!.id : null
  return {
    items: await loadModComments(
      db,
      page.map((r) => r.id),
    ),
    nextCursor,
  }
}
