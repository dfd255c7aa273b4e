import { sql } from 'kysely'
import type { ArticleRow, Db, ModerationMode } from '../platform/db/database.js'
import type { Done } from '../events/events.js'
import { type Actor, writeAudit } from '../audit/audit.log.js'

/** An article follows the site's moderation mode, or sets its own. */
export const ARTICLE_MODES = ['inherit', 'pre', 'post'] as const satisfies readonly ('inherit' | ModerationMode)[]

export interface ArticleRulesPatch {
  commentsOpen?: boolean | undefined
  moderationMode?: (typeof ARTICLE_MODES)[number] | undefined
  title?: string | undefined
  url?: string | undefined
}

/**
 * Opens or closes an article, sets its moderation mode, title or URL. Moderators may set up an article
 * before its first comment. The version moves, so every replica and Worker serves the change.
 */
export async function changeArticleRules(db: Db, articleId: string, patch: ArticleRulesPatch, actor: Actor): Promise<Done<ArticleRow>> {
  const values = {
    ...(patch.commentsOpen !== undefined ? { comments_open: patch.commentsOpen } : {}),
    ...(patch.moderationMode !== undefined ? { moderation_mode: patch.moderationMode } : {}),
    ...(patch.title !== undefined ? { title: patch.title } : {}),
    ...(patch.url !== undefined ? { url: patch.url } : {}),
  }
  const article = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('articles')
      .values({ id: articleId, url: null, title: null, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...values, version: sql`articles.version + 1`, updated_at: new Date() }))
      .returningAll()
      .executeTakeFirstOrThrow()
    await writeAudit(trx, { articleId, actor, action: 'article_rules', reason: JSON.stringify(patch) })
    return row
  })
  return { value: article, events: [{ type: 'article.rules_changed', articleId }] }
}
