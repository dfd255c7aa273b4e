// GET/POST /moderate/settings and /moderate/articles: the site's rules, and each article's; GET
// /moderate/webhooks: where the site's webhook deliveries stand (admin).
import type { Context } from 'hono'
import { Hono } from 'hono'
import { changeArticleRules } from '../../articles/articles.actions.js'
import { findArticle, listArticleViews } from '../../articles/articles.repository.js'
import { AppError, notFound } from '../../platform/lib/errors.js'
import { changeSiteRules } from '../../settings/settings.actions.js'
import { settingsFor } from '../../settings/settings.mapper.js'
import { getSiteSettings } from '../../settings/settings.repository.js'
import { listWebhookDeliveries } from '../../moderation/moderation.webhooks.js'
import { adminOnly } from '../shared/auth.middleware.js'
import type { AppEnv } from '../shared/context.js'
import { published } from '../shared/events.publish.js'
import { articleParams, articlesQuerySchema } from '../shared/moderation.schemas.js'
import { actorOf } from '../shared/moderator.actions.js'
import { validate } from '../shared/validation.js'
import { ArticlePage } from './moderator-ui.article-page.js'
import { ArticlesPage } from './moderator-ui.articles-page.js'
import { articleForm, articleRowForm, settingsForm } from './moderator-ui.forms.js'
import { backWithNotice, noticeOf, page, viewer } from './moderator-ui.respond.js'
import { SettingsPage } from './moderator-ui.settings-page.js'
import { WebhooksPage } from './moderator-ui.webhooks-page.js'

/** Whether the server has the external services' keys (set in its environment, never on this page). */
const externalKeys = (c: Context<AppEnv>) => ({
  perspective: !!c.var.services.config.perspectiveApiKey,
  akismet: !!c.var.services.config.akismetApiKey,
})

/** The rules as saved, again, with what was refused in the form sent. */
async function notSaved(c: Context<AppEnv>, refusal: AppError) {
  const problems = Object.entries(refusal.fields ?? {})
    .map(([field, message]) => `${field}: ${message}`)
    .join('; ')
  const settings = settingsFor('admin', await getSiteSettings(c.var.db))
  return page(c, <SettingsPage viewer={viewer(c)} settings={settings} keys={externalKeys(c)} error={`Not saved. ${problems}`} />, 422)
}

const articleId = validate('param', articleParams, () => {
  throw notFound('Article')
})

/** An article's rules change only for an article that exists (the API's PUT may create one). */
async function existingArticle(c: Context<AppEnv>, id: string) {
  const article = await findArticle(c.var.db, id)
  if (!article) throw notFound('Article')
  return article
}

export const siteRuleRoutes = new Hono<AppEnv>()
  .get('/settings', async (c) => {
    const settings = settingsFor(viewer(c).role, await getSiteSettings(c.var.db))
    return page(c, <SettingsPage viewer={viewer(c)} settings={settings} keys={externalKeys(c)} notice={noticeOf(c)} />)
  })
  .post(
    '/settings',
    adminOnly,
    validate('form', settingsForm, (refusal, _form, c) => notSaved(c, refusal)),
    async (c) => {
      try {
        published(c, await changeSiteRules(c.var.db, c.req.valid('form'), actorOf(c)))
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 422) throw error
        return notSaved(c, error)
      }
      return backWithNotice(c, '/moderate/settings', 'rules_saved')
    },
  )
  .get('/webhooks', adminOnly, async (c) => {
    const [deliveries, settings] = [await listWebhookDeliveries(c.var.db), await getSiteSettings(c.var.db)]
    return page(c, <WebhooksPage viewer={viewer(c)} deliveries={deliveries} url={settings.webhookUrl} />)
  })
  .get('/articles', async (c) => {
    // An address with nonsense in it lists from the start rather than answering an error.
    const parsed = articlesQuerySchema.safeParse(c.req.query())
    const query = parsed.success ? parsed.data : articlesQuerySchema.parse({})
    const { articles, nextCursor } = await listArticleViews(c.var.db, query, c.var.services.now())
    const url = new URL(c.req.url)
    url.searchParams.delete('notice')
    return page(
      c,
      <ArticlesPage
        viewer={viewer(c)}
        articles={articles}
        q={query.q ?? ''}
        nextCursor={nextCursor}
        back={`${url.pathname}${url.search}`}
        notice={noticeOf(c)}
      />,
    )
  })
  .post('/articles/:articleId/rules', articleId, validate('form', articleRowForm), async (c) => {
    const id = c.req.valid('param').articleId
    await existingArticle(c, id)
    const { back, ...patch } = c.req.valid('form')
    published(c, await changeArticleRules(c.var.db, id, patch, actorOf(c)))
    return backWithNotice(c, back ?? '/moderate/articles', 'article_saved')
  })
  .get('/articles/:articleId', articleId, async (c) => {
    const article = await existingArticle(c, c.req.valid('param').articleId)
    const shown = {
      id: article.id,
      title: article.title,
      url: article.url,
      commentsOpen: article.comments_open,
      moderationMode: article.moderation_mode,
      commentCount: article.approved_count,
    }
    return page(c, <ArticlePage viewer={viewer(c)} notice={noticeOf(c)} article={shown} />)
  })
  .post('/articles/:articleId', articleId, validate('form', articleForm), async (c) => {
    const id = c.req.valid('param').articleId
    await existingArticle(c, id)
    published(c, await changeArticleRules(c.var.db, id, c.req.valid('form'), actorOf(c)))
    return backWithNotice(c, `/moderate/articles/${encodeURIComponent(id)}`, 'article_saved')
  })
