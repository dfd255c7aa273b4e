// GET/PUT /settings and /articles: the site's rules, and each article's (open or closed, its mode).
import { Hono } from 'hono'
import { changeArticleRules } from '../../articles/articles.actions.js'
import { findArticle, listArticleViews } from '../../articles/articles.repository.js'
import { notFound } from '../../platform/lib/errors.js'
import { changeSiteRules } from '../../settings/settings.actions.js'
import { settingsFor } from '../../settings/settings.mapper.js'
import { getSiteSettings } from '../../settings/settings.repository.js'
import { siteSettingsPatchSchema } from '../../settings/settings.schema.js'
import { adminOnly } from '../shared/auth.middleware.js'
import type { AppEnv } from '../shared/context.js'
import { published } from '../shared/events.publish.js'
import { articleParams, articleRulesSchema, articlesQuerySchema } from '../shared/moderation.schemas.js'
import { actorOf } from '../shared/moderator.actions.js'
import { SIGNED_IN, doc } from '../shared/openapi.js'
import { validate } from '../shared/validation.js'

const articleParam = validate('param', articleParams)

export const siteRuleRoutes = new Hono<AppEnv>()
  .get('/settings', doc('The site rules', { tags: ['Settings'], ok: { 200: '{settings}' }, errors: SIGNED_IN }), async (c) =>
    c.json({ settings: settingsFor(c.var.moderator!.role, await getSiteSettings(c.var.db)) }),
  )
  .put(
    '/settings',
    doc('Change the site rules: only the fields sent (admin)', {
      tags: ['Settings'],
      ok: { 200: '{settings}' },
      errors: [...SIGNED_IN, 413, 422],
    }),
    adminOnly,
    validate('json', siteSettingsPatchSchema),
    async (c) => c.json({ settings: settingsFor('admin', published(c, await changeSiteRules(c.var.db, c.req.valid('json'), actorOf(c)))) }),
  )
  .get(
    '/articles',
    doc('Every article, newest first, with its counts and state; q matches the id, title or URL', {
      tags: ['Settings'],
      ok: { 200: '{articles, nextCursor}' },
      errors: [...SIGNED_IN, 422],
    }),
    validate('query', articlesQuerySchema),
    async (c) => c.json(await listArticleViews(c.var.db, c.req.valid('query'), c.var.services.now())),
  )
  .get(
    '/articles/:articleId',
    doc("An article's rules", { tags: ['Settings'], ok: { 200: '{article}' }, errors: [...SIGNED_IN, 404, 422] }),
    articleParam,
    async (c) => {
      const article = await findArticle(c.var.db, c.req.valid('param').articleId)
      if (!article) throw notFound('Article')
      return c.json({ article: articleView(article) })
    },
  )
  .put(
    '/articles/:articleId',
    doc('Open or close an article, set its mode, title or URL', {
      tags: ['Settings'],
      ok: { 200: '{article}' },
      errors: [...SIGNED_IN, 413, 422],
    }),
    articleParam,
    validate('json', articleRulesSchema),
    async (c) => {
      const done = await changeArticleRules(c.var.db, c.req.valid('param').articleId, c.req.valid('json'), actorOf(c))
      return c.json({ article: articleView(published(c, done)) })
    },
  )

function articleView(article: Awaited<ReturnType<typeof findArticle>> & {}) {
  return {
    id: article.id,
    title: article.title,
    url: article.url,
    commentsOpen: article.comments_open,
    moderationMode: article.moderation_mode,
    commentCount: article.approved_count,
    createdAt: new Date(article.created_at).toISOString(),
  }
}
