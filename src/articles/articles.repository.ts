import type { ArticleRow, Executor } from '../db/database.js'
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
