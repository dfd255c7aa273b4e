import { sql } from 'kysely'
import type { ArticleRow, Executor } from '../platform/db/database.js'
import { getSiteSettings } from '../settings/settings.repository.js'
import type { SiteSettings } from '../settings/settings.schema.js'

export function findArticle(db: Executor, id: string): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Articles are created by their first comment; a concurrent first post is harmless. */
export async function ensureArticle(
  db: Executor,
  id: string,
  details: { url?: string | undefined; title?: string | undefined },
): Promise<ArticleRow> {
  const existing = await findArticle(db, id)
  if (existing) return existing
  const inserted = await db
    .insertInto('articles')
    .values({ id, url: details.url ?? null, title: details.title ?? null })
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst()
  return inserted ?? (await findArticle(db, id))!
}

/**
 * Whether a page (on a publisher's site: the caller checked) is an article page the site knows, for a
 * sign-in link to land on: the recorded address of the article `articleId` names, or of any article when
 * none is named. A new article is created with this address, as its first comment would create it: its
 * readers must not wait for a comment before they can verify. An article with an address cannot be
 * pointed at another page; one without (created by a post that named none) takes the page as it is.
 */
export async function isKnownArticlePage(db: Executor, url: string, articleId: string | undefined): Promise<boolean> {
  if (articleId !== undefined) {
    const article = (await findArticle(db, articleId)) ?? (await ensureArticle(db, articleId, { url }))
    return article.url === null || article.url === url
  }
  return (await db.selectFrom('articles').select('id').where('url', '=', url).limit(1).executeTakeFirst()) !== undefined
}

/** The recorded title of the article a page shows (by its id, else by its address), when there is one. */
export async function articleTitleOf(db: Executor, url: string, articleId: string | undefined): Promise<string | null> {
  const query = db.selectFrom('articles').select('title')
  const row = await (articleId === undefined ? query.where('url', '=', url) : query.where('id', '=', articleId)).limit(1).executeTakeFirst()
  return row?.title ?? null
}

export function isOpen(article: Pick<ArticleRow, 'comments_open' | 'created_at'>, settings: SiteSettings, now: Date) {
  if (!article.comments_open) return false
  if (settings.closeAfterDays === null) return true
  return now.getTime() - article.created_at.getTime() < settings.closeAfterDays * 86_400_000
}

export function effectiveMode(article: Pick<ArticleRow, 'moderation_mode'> | undefined, settings: SiteSettings) {
  return !article || article.moderation_mode === 'inherit' ? settings.moderationMode : article.moderation_mode
}

export async function approvedCounts(db: Executor, ids: string[]): Promise<Record<string, number>> {
  const rows = await db.selectFrom('articles').select(['id', 'approved_count']).where('id', 'in', ids).execute()
  const counts = new Map(ids.map((id) => [id, 0]))
  for (const row of rows) counts.set(row.id, row.approved_count)
  // fromEntries defines own properties, so an id such as "__proto__" stays a plain key.
  return Object.fromEntries(counts)
}

/**
 * What a public list of one article depends on: the article's version (bumped on every visible
 * change), the site settings (mode, closing rules) and the minute (threads close by age).
 */
export async function listStamp(db: Executor, articleId: string, now: Date): Promise<string> {
  const { rows } = await sql<{ version: number | null; settings: Date | null }>`
    select (select version from articles where id = ${articleId}) as version,
           (select updated_at from settings where key = 'site') as settings`.execute(db)
  const row = rows[0]
  return `${row?.version ?? 0}.${row?.settings ? new Date(row.settings).getTime() : 0}.${Math.floor(now.getTime() / 60_000)}`
}

/** What a counts answer depends on: the versions of the articles asked for. */
export async function countsStamp(db: Executor, ids: string[]): Promise<string> {
  const rows = await db.selectFrom('articles').select(['id', 'version']).where('id', 'in', ids).orderBy('id').execute()
  return rows.map((r) => `${r.id}:${r.version}`).join(',')
}

/** A page of the articles list: newest first, optionally matching `q` in the id, title or URL. */
export async function listArticles(db: Executor, page: { q?: string | undefined; cursor?: string | undefined; limit: number }) {
  let query = db
    .selectFrom('articles as a')
    .selectAll('a')
    .select(sql<number>`(select count(*)::int from comments c where c.article_id = a.id and c.status = 'pending')`.as('pending_count'))
    // To the microsecond, as stored: a cursor cut to milliseconds would skip articles made in the same one.
    .select(sql<string>`to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('created_exact'))
  if (page.q) {
    const pattern = `%${page.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
    query = query.where((eb) => eb.or([eb('a.id', 'ilike', pattern), eb('a.title', 'ilike', pattern), eb('a.url', 'ilike', pattern)]))
  }
  if (page.cursor) {
    // "created-at~id": ids are the publisher's own strings, so the time comes first.
    const split = page.cursor.indexOf('~')
    const at = sql<Date>`${page.cursor.slice(0, split)}::timestamptz`
    const id = page.cursor.slice(split + 1)
    query = query.where((eb) => eb.or([eb('a.created_at', '<', at), eb.and([eb('a.created_at', '=', at), eb('a.id', '<', id)])]))
  }
  const rows = await query
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(page.limit + 1)
    .execute()
  const hasMore = rows.length > page.limit
  const slice = hasMore ? rows.slice(0, page.limit) : rows
  const last = slice.at(-1)
  return { articles: slice, nextCursor: hasMore && last ? `${last.created_exact}~${last.id}` : null }
}

/** The articles list as moderators read it: counts, the state readers meet (closed by age too) and the mode. */
export async function listArticleViews(
  db: Executor,
  page: { q?: string | undefined; cursor?: string | undefined; limit: number },
  now: Date,
) {
  const [{ articles, nextCursor }, settings] = await Promise.all([listArticles(db, page), getSiteSettings(db)])
  return {
    articles: articles.map((a) => ({
      id: a.id,
      title: a.title,
      url: a.url,
      commentsOpen: a.comments_open,
      moderationMode: a.moderation_mode,
      commentCount: a.approved_count,
      pendingCount: a.pending_count,
      createdAt: new Date(a.created_at).toISOString(),
      open: isOpen(a, settings, now),
      effectiveMode: effectiveMode(a, settings),
    })),
    nextCursor,
  }
}
