import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely'
import { z } from 'zod'
import { articleIdSchema } from '../comments/comments.schema.js'
import type { Executor } from '../platform/db/database.js'
import { ID_PATTERN } from '../platform/lib/ids.js'
import { type ModComment, QUEUES, type QueueName, loadModComments } from './moderation.queue.js'

// Moderator search (issue 16): comments by their words, their author's name or email, or their article,
// in any queue, newest first. Words go through a full-text index; name, email and title fragments
// through trigram indexes (migrations/2026-11-28T1600-search.ts). Both sides of every match are folded
// by the same SQL function, nc_search_text, so "إسرائيل" finds "اسرائيل" and "café" finds "cafe".

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

/** How many of the newest comments (below the cursor) a word is first looked for in. */
const RECENT_WINDOW = 20_000

/**
 * The comments whose words match, newest first. The newest RECENT_WINDOW comments are read first, in
 * order, with the stored words' cheap check: a common word fills a page there in milliseconds. Only when
 * they hold less than a page is the full-text index read for the whole table (then ordered): a rare
 * word's cost is its few matches. Either way never the bitmap of half a million rows a word like "the"
 * would make (1.8 s at a million comments, measured by bench/search.ts).
 */
async function wordsBranch(db: Executor, q: string, filters: RawBuilder<unknown>, take: number) {
  const match = sql<SqlBool>`c.search_words @@ websearch_to_tsquery('simple'::regconfig, nc_search_text(${q}))`
  const edge = await sql<{
    id: string
  }>`select c.id from comments c where ${filters} order by c.id desc offset ${RECENT_WINDOW - 1} limit 1`.execute(db)
  const windowStart = edge.rows[0]?.id ?? null
  const recent = await sql<{ id: string }>`
    select c.id from comments c where ${match} and ${filters} and c.id >= ${windowStart ?? ''} order by c.id desc limit ${take}`.execute(db)
  // A full page from the newest comments, or every comment there is: the answer is complete.
  if (recent.rows.length >= take || windowStart === null) return sql`(select unnest(${recent.rows.map((r) => r.id)}::text[]) as id)`
  return sql`(select id from (select c.id from comments c where ${match} and ${filters} offset 0) words order by id desc limit ${take})`
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
  // Words and fragments (names, emails, titles) are read through their indexes, then ordered. Left to
  // choose, the planner guesses a fragment common and walks every comment newest first, which at a
  // million comments took 12-18 s for a word that is nobody's name (measured by bench/search.ts).
  const fragmentBranch = (match: Expression<SqlBool>) =>
    sql`(select id from (select c.id from comments c where ${match} and ${filters} offset 0) fragment order by id desc limit ${take})`

  const branches = []
  if (q === '') {
    branches.push(branch(sql`true`))
  } else {
    // A query of punctuation alone has no words: the text branch would only warn.
    if (/[\p{L}\p{N}]/u.test(q)) branches.push(await wordsBranch(db, q, filters, take))
    if ([...q].length >= MIN_FRAGMENT) {
      const pattern = `%${escapeLike(q)}%`
      branches.push(fragmentBranch(sql`nc_search_text(c.author_name) like nc_search_text(${pattern})`))
      branches.push(fragmentBranch(sql`c.commenter_id in (select id from commenters where email_normalized like lower(${pattern}))`))
      branches.push(
        fragmentBranch(
          sql`c.article_id in (select id from articles where nc_search_text(coalesce(title, '')) like nc_search_text(${pattern}) or id = ${q})`,
        ),
      )
    } else {
      branches.push(branch(sql`c.article_id = ${q}`))
    }
  }
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
