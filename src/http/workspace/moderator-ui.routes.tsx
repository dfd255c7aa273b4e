import { type Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { sql } from 'kysely'
import { z } from 'zod'
import { ARTICLE_MODES, changeArticleRules } from '../../articles/articles.actions.js'
import { findArticle, listArticleViews } from '../../articles/articles.repository.js'
import { endSession, startSession } from '../../auth/auth.lucia.js'
import { moderatorSession, sameOriginOnly, secureCookies } from '../shared/auth.middleware.js'
import { checkCredentials, loginSchema } from '../shared/sign-in.js'
import { createModerator, listModerators, setModeratorDisabled, setModeratorPassword } from '../../auth/auth.users.js'
import { verifyPassword } from '../../auth/auth.password.js'
import {
  SUSPENSION_DAYS,
  addCommenterNote,
  eraseCommenter,
  restrictCommenter,
  setCommenterStatus,
} from '../../moderation/moderation.commenters.js'
import { commenterPage } from '../../commenters/commenters.page.js'
import { published } from '../shared/events.publish.js'
import { AppError } from '../../platform/lib/errors.js'
import { ID_PATTERN } from '../../platform/lib/ids.js'
import { fieldErrors } from '../../platform/lib/errors.js'
import { DEFAULT_SORT, type QueueName, listQueue, loadModComments, queueCounts } from '../../moderation/moderation.queue.js'
import { articlesQuerySchema as articlesQuery, queueQuerySchema, rejectSchema } from '../shared/moderation.schemas.js'
import { actorOf, approveAs } from '../shared/moderator.actions.js'
import { REJECT_REASONS } from '../../comments/comments.statuses.js'
import { assertStillAsSeen, commentHistory, commentRevisions, featureComment, rejectComment } from '../../moderation/moderation.service.js'
import type { AppEnv } from '../shared/context.js'
import { changeSiteRules } from '../../settings/settings.actions.js'
import { settingsFor } from '../../settings/settings.mapper.js'
import { getSiteSettings } from '../../settings/settings.repository.js'
import { KEYBOARD_SCRIPT, STYLES } from './moderator-ui.assets.js'
import { ApproveBelowPage } from './moderator-ui.approve-below-page.js'
import { ArticlePage } from './moderator-ui.article-page.js'
import { ArticlesPage } from './moderator-ui.articles-page.js'
import { CommenterPage } from './moderator-ui.commenter-page.js'
import { HistoryPage } from './moderator-ui.history-page.js'
import type { Viewer } from './moderator-ui.layout.js'
import { LoginPage } from './moderator-ui.login-page.js'
import { APPROVE_BELOW_CHOICES, QueuePage } from './moderator-ui.queue-page.js'
import { AccountPage } from './moderator-ui.account-page.js'
import { DecidedPage } from './moderator-ui.decided-page.js'
import { ErrorPage } from './moderator-ui.error-page.js'
import { searchPage } from './moderator-ui.search-page.js'
import { SettingsPage } from './moderator-ui.settings-page.js'
import { UsersPage } from './moderator-ui.users-page.js'
import { OverviewPage } from './moderator-ui.overview-page.js'
import { loadOverview, overviewQuerySchema } from '../../moderation/moderation.overview.js'
import { ImportsPage } from './moderator-ui.imports-page.js'
import { listImports } from '../../imports/imports.repository.js'
import { COMMENT_STATUSES } from '../../comments/comments.statuses.js'

const externalKeys = (c: Context<AppEnv>) => ({
  perspective: !!c.var.services.config.perspectiveApiKey,
  akismet: !!c.var.services.config.akismetApiKey,
})
const viewer = (c: Context<AppEnv>): Viewer | null => c.var.moderator

/** Every workspace page is a full HTML document in standards mode. */
const page = (c: Context<AppEnv>, node: unknown, status: ContentfulStatusCode = 200) => c.html(`<!doctype html>${node}`, status)

/**
 * Where to go after an action, with a notice: only a path that still lies inside the workspace once
 * resolved (so `/moderate/../..//elsewhere` cannot become a protocol-relative redirect).
 */
function backUrl(value: unknown): URL {
  if (typeof value === 'string' && value.startsWith('/moderate')) {
    const resolved = new URL(value, 'http://workspace')
    if (resolved.host === 'workspace' && /^\/moderate(\/|$)/.test(resolved.pathname)) return resolved
  }
  return new URL('/moderate', 'http://workspace')
}

/**
 * Notices travel as codes with checked numbers, never as text: a link cannot make the workspace show
 * words of a stranger's choosing as if the system said them.
 */
const NOTICES = {
  approved: () => 'Approved.',
  rejected: () => 'Rejected.',
  featured: () => 'Featured.',
  unfeatured: () => 'No longer featured.',
  banned: (p) => `The commenter is now banned.${p.n ? ` ${p.n} waiting comments rejected.` : ''}`,
  trusted: () => 'The commenter is now trusted.',
  normal: () => 'The commenter is now back to normal.',
  suspended: (p) => `The commenter is suspended for ${p.n === '1' ? '1 day' : `${p.n ?? '?'} days`}.`,
  shadow_banned: () => 'The commenter is now shadow-banned: their comments reach nobody else.',
  note_added: () => 'Note added.',
  erased: (p) => `The commenter is erased (${p.n ?? 0} comments).`,
  bulk_approved: (p) => `${p.n ?? 0} comments approved.`,
  bulk_rejected: (p) => `${p.n ?? 0} comments rejected.`,
  approved_below: (p) => `${p.n ?? 0} comments with risk below ${p.risk ?? '?'} approved.`,
  rules_saved: () => 'Rules saved.',
  article_saved: () => 'Article saved.',
  moderator_added: () => 'Moderator added.',
  saved: () => 'Saved.',
  password_changed: () => 'Password changed. Other devices are signed out.',
  password_reset: () => 'Password reset. That moderator is signed out everywhere.',
} satisfies Record<string, (params: { n?: string; risk?: string }) => string>

type NoticeCode = keyof typeof NOTICES

function backWithNotice(value: unknown, notice: NoticeCode, params: { n?: number; risk?: number } = {}): string {
  const url = backUrl(value)
  for (const key of ['notice', 'n', 'risk']) url.searchParams.delete(key)
  url.searchParams.set('notice', notice)
  if (params.n !== undefined) url.searchParams.set('n', String(params.n))
  if (params.risk !== undefined) url.searchParams.set('risk', params.risk.toFixed(1))
  return `${url.pathname}${url.search}${url.hash}`
}

/** The notice a page shows: only a known code, with numbers that are numbers. */
function noticeOf(c: Context<AppEnv>): string | undefined {
  const code = c.req.query('notice')
  if (!code || !Object.hasOwn(NOTICES, code)) return undefined
  const n = c.req.query('n')
  const risk = c.req.query('risk')
  return NOTICES[code as NoticeCode]({
    ...(n && /^\d{1,4}$/.test(n) ? { n } : {}),
    ...(risk && /^0\.\d$/.test(risk) ? { risk } : {}),
  })
}

async function form(c: Context<AppEnv>): Promise<Record<string, string | string[]>> {
  const body = await c.req.parseBody({ all: true })
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(body)) {
    if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string')
    else if (typeof v === 'string') out[k] = v
  }
  return out
}

function assertAdmin(c: Context<AppEnv>) {
  if (c.var.moderator?.role !== 'admin') throw new AppError(403, 'forbidden', 'Only administrators may do this')
}

const DONE: Record<'approve' | 'reject' | 'feature' | 'unfeature', NoticeCode> = {
  approve: 'approved',
  reject: 'rejected',
  feature: 'featured',
  unfeature: 'unfeatured',
}
const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? ''
const lines = (v: string) =>
  v
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)

const WORKSPACE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ')

export const moderatorUi = new Hono<AppEnv>()
  .get('/assets/styles.css', (c) =>
    c.body(STYLES, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }),
  )
  .get('/assets/keys.js', (c) =>
    c.body(KEYBOARD_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' }),
  )
  .use(sameOriginOnly(), moderatorSession())
  .use(async function noStore(c, next) {
    await next()
    c.header('Cache-Control', 'no-store')
    // Scripts only from this origin, never inline: an injected script would not run here.
    c.header('Content-Security-Policy', WORKSPACE_CSP)
  })
  .get('/login', (c) => page(c, <LoginPage />))
  .post('/login', async (c) => {
    const fields = await form(c)
    const username = str(fields.username).trim().toLowerCase()
    // The JSON login's own limits: an oversized password is refused before any hashing.
    const parsed = loginSchema.safeParse({ username: str(fields.username), password: str(fields.password) })
    if (!parsed.success)
      return page(c, <LoginPage error={Object.values(fieldErrors(parsed.error)).join(' ')} username={username.slice(0, 100)} />, 422)
    try {
      const moderator = await checkCredentials(c, parsed.data.username, parsed.data.password)
      c.header('Set-Cookie', await startSession(c.var.db, moderator.id, secureCookies(c)), { append: true })
      return c.redirect('/moderate', 303)
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value)
      return page(c, <LoginPage error={error.message} username={username} />, error.status === 429 ? 429 : 401)
    }
  })
  .post('/logout', async (c) => {
    c.header('Set-Cookie', await endSession(c.var.db, c.req.header('cookie'), secureCookies(c)), { append: true })
    return c.redirect('/moderate/login', 303)
  })
  .use(async function signedIn(c, next) {
    if (!c.var.moderator) return c.redirect('/moderate/login', 303)
    await next()
  })
  .get('/', async (c) => {
    const parsed = queueQuerySchema.safeParse(c.req.query())
    const query = parsed.success ? parsed.data : queueQuerySchema.parse({})
    const queue = query.queue as QueueName
    const [queuePage, counts] = await Promise.all([listQueue(c.var.db, { ...query, queue }), queueCounts(c.var.db, query.articleId)])
    const url = new URL(c.req.url)
    url.searchParams.delete('notice')
    return page(
      c,
      <QueuePage
        viewer={viewer(c)!}
        queue={queue}
        sort={query.sort ?? DEFAULT_SORT[queue]}
        articleId={query.articleId}
        items={queuePage.items}
        nextCursor={queuePage.nextCursor}
        counts={counts}
        back={`${url.pathname}${url.search}`}
        notice={noticeOf(c)}
      />,
    )
  })
  .get('/search', searchPage)
  .post('/comments/:id/:action{approve|reject|feature|unfeature}', async (c) => {
    const id = c.req.param('id')
    if (!ID_PATTERN.test(id)) throw new AppError(404, 'not_found', 'Comment not found')
    const fields = await form(c)
    const actor = actorOf(c)
    const action = c.req.param('action') as keyof typeof DONE
    if (action === 'approve' || action === 'reject') {
      const expected = z.enum(COMMENT_STATUSES).safeParse(str(fields.expect))
      try {
        await assertStillAsSeen(c.var.db, id, expected.success ? expected.data : undefined)
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'already_decided') throw error
        const again = Object.fromEntries(
          Object.entries(fields)
            .filter(([name]) => name !== 'expect')
            .map(([name, value]) => [name, str(value)]),
        )
        const back = backUrl(fields.back)
        again.back = `${back.pathname}${back.search}`
        return page(
          c,
          <DecidedPage
            viewer={viewer(c)!}
            message={error.message.replace(/ Send it again.*$/, '')}
            action={new URL(c.req.url).pathname}
            fields={again}
          />,
          409,
        )
      }
    }
    if (action === 'approve') {
      await approveAs(c, id)
    } else if (action === 'reject') {
      // The API's own schema: a note too long is refused here as there, never cut short.
      const parsed = rejectSchema.safeParse({ reason: str(fields.reason) || undefined, note: str(fields.note).trim() || undefined })
      if (!parsed.success) throw new AppError(422, 'validation_failed', 'Some fields need attention', fieldErrors(parsed.error))
      published(c, await rejectComment(c.var.db, id, actor, parsed.data))
    } else {
      published(c, await featureComment(c.var.db, id, actor, action === 'feature'))
    }
    return c.redirect(backWithNotice(fields.back, DONE[action]), 303)
  })
  .get('/commenters/:id', async (c) => {
    const id = c.req.param('id')
    const cursor = c.req.query('cursor')
    if (!ID_PATTERN.test(id) || (cursor !== undefined && !ID_PATTERN.test(cursor)))
      throw new AppError(404, 'not_found', 'Commenter not found')
    return page(
      c,
      <CommenterPage viewer={viewer(c)!} data={await commenterPage(c.var.db, id, { cursor, limit: 50 })} notice={noticeOf(c)} />,
    )
  })
  .post('/commenters/:id/:action{suspend|shadow-ban}', async (c) => {
    const id = c.req.param('id')
    if (!ID_PATTERN.test(id)) throw new AppError(404, 'not_found', 'Commenter not found')
    const fields = await form(c)
    const reason = str(fields.reason).trim().slice(0, 500)
    if (!reason) throw new AppError(422, 'validation_failed', 'Say why: the reason is recorded in the audit log')
    const actor = actorOf(c)
    if (c.req.param('action') === 'shadow-ban') {
      published(c, await restrictCommenter(c.var.db, id, { kind: 'shadow_ban' }, actor, reason, c.var.services.now()))
      return c.redirect(backWithNotice(fields.back, 'shadow_banned'), 303)
    }
    const days = SUSPENSION_DAYS.find((d) => String(d) === str(fields.days))
    if (!days) throw new AppError(422, 'validation_failed', 'Suspend for 1, 7 or 30 days')
    published(c, await restrictCommenter(c.var.db, id, { kind: 'suspend', days }, actor, reason, c.var.services.now()))
    return c.redirect(backWithNotice(fields.back, 'suspended', { n: days }), 303)
  })
  .post('/commenters/:id/notes', async (c) => {
    const id = c.req.param('id')
    if (!ID_PATTERN.test(id)) throw new AppError(404, 'not_found', 'Commenter not found')
    const body = str((await form(c)).body).trim()
    if (!body || body.length > 2000) throw new AppError(422, 'validation_failed', 'Write a note of at most 2,000 characters')
    const moderator = c.var.moderator!
    published(c, await addCommenterNote(c.var.db, id, { id: moderator.id, name: moderator.username }, body))
    return c.redirect(backWithNotice(`/moderate/commenters/${id}`, 'note_added'), 303)
  })
  .post('/commenters/:id/erase', async (c) => {
    assertAdmin(c)
    const id = c.req.param('id')
    if (!ID_PATTERN.test(id)) throw new AppError(404, 'not_found', 'Commenter not found')
    const fields = await form(c)
    const mode = z.enum(['tombstone', 'remove']).safeParse(str(fields.mode))
    if (!mode.success || str(fields.confirmed) !== 'true')
      throw new AppError(422, 'validation_failed', 'Choose how to erase, and confirm that it cannot be undone')
    const done = published(c, await eraseCommenter(c.var.db, id, actorOf(c), mode.data, c.var.services.keyedHash, c.var.services.now()))
    return c.redirect(backWithNotice('/moderate', 'erased', { n: done.comments }), 303)
  })
  .post('/commenters/:id/:action{ban|trust|reset}', async (c) => {
    const id = c.req.param('id')
    if (!ID_PATTERN.test(id)) throw new AppError(404, 'not_found', 'Commenter not found')
    const fields = await form(c)
    const action = c.req.param('action')
    const status = action === 'ban' ? 'banned' : action === 'trust' ? 'trusted' : 'normal'
    const reason = str(fields.reason).trim().slice(0, 500) || undefined
    if (action === 'ban' && !reason)
      throw new AppError(422, 'validation_failed', 'Say why you ban this commenter: the reason is recorded in the audit log')
    const result = published(
      c,
      await setCommenterStatus(c.var.db, id, status, actorOf(c), {
        rejectPending: str(fields.rejectPending) === 'true',
        reason,
        keyedHash: c.var.services.keyedHash,
      }),
    )
    return c.redirect(backWithNotice(fields.back, status, { n: result.rejectedPending }), 303)
  })
  .post('/bulk', async (c) => {
    const fields = await form(c)
    const ids = (Array.isArray(fields.ids) ? fields.ids : fields.ids ? [fields.ids] : []).filter((id) => ID_PATTERN.test(id)).slice(0, 100)
    const actor = actorOf(c)
    const action = str(fields.action)
    const reason = REJECT_REASONS.find((r) => r === str(fields.reason))
    if (action === 'reject' && !reason) throw new AppError(422, 'validation_failed', 'Choose a reason for rejecting the selected comments')
    for (const id of ids) {
      if (action === 'approve') {
        await approveAs(c, id)
      } else if (action === 'reject') {
        published(c, await rejectComment(c.var.db, id, actor, { reason }))
      }
    }
    return c.redirect(backWithNotice(fields.back, action === 'approve' ? 'bulk_approved' : 'bulk_rejected', { n: ids.length }), 303)
  })
  .post('/approve-below', async (c) => {
    const fields = await form(c)
    const maxRisk = APPROVE_BELOW_CHOICES.find((r) => r === Number(str(fields.maxRisk))) ?? APPROVE_BELOW_CHOICES[0]
    const offered = (Array.isArray(fields.ids) ? fields.ids : fields.ids ? [fields.ids] : [])
      .filter((id) => ID_PATTERN.test(id))
      .slice(0, 100)
    // Only comments no rule held (a bot, spam, a listed word or a failed check stays for a person), that the
    // model scored, still waiting and still below the risk now: the page may be minutes old.
    const ids =
      offered.length === 0
        ? []
        : (
            await c.var.db
              .selectFrom('comments')
              .select('id')
              .where('id', 'in', offered)
              .where('status', '=', 'pending')
              .where('flagged', '=', false)
              .where('risk', '<', maxRisk)
              .where(sql<boolean>`screening -> 'reasons' @> ${JSON.stringify([{ rule: 'model_abuse' }])}::jsonb`)
              .orderBy('id')
              .execute()
          ).map((r) => r.id)
    if (str(fields.confirmed) !== 'true') {
      const back = backUrl(fields.back)
      for (const key of ['notice', 'n', 'risk']) back.searchParams.delete(key)
      return page(c, <ApproveBelowPage viewer={viewer(c)!} ids={ids} maxRisk={maxRisk} back={`${back.pathname}${back.search}`} />)
    }
    let approved = 0
    for (const id of ids) {
      const done = await approveAs(c, id, {
        onlyIf: (row) => row.status === 'pending' && !row.flagged && row.risk < maxRisk,
        reason: `below risk ${maxRisk.toFixed(1)}`,
        keepExample: false,
      })
      if (done.published) approved++
    }
    return c.redirect(backWithNotice(fields.back, 'approved_below', { n: approved, risk: maxRisk }), 303)
  })
  .get('/comments/:id', async (c) => {
    const id = c.req.param('id')
    const [item] = ID_PATTERN.test(id) ? await loadModComments(c.var.db, [id]) : []
    if (!item) throw new AppError(404, 'not_found', 'Comment not found')
    return page(
      c,
      <HistoryPage
        viewer={viewer(c)!}
        item={item}
        actions={await commentHistory(c.var.db, id)}
        revisions={await commentRevisions(c.var.db, id)}
      />,
    )
  })
  .get('/overview', async (c) => {
    const parsed = overviewQuerySchema.safeParse(c.req.query())
    if (!parsed.success) throw new AppError(422, 'validation_failed', 'Choose a period of 1 to 90 days.')
    return page(
      c,
      <OverviewPage viewer={viewer(c)!} overview={await loadOverview(c.var.db, { days: parsed.data.days, now: c.var.services.now() })} />,
    )
  })
  .get('/settings', async (c) =>
    page(
      c,
      <SettingsPage
        viewer={viewer(c)!}
        settings={settingsFor(viewer(c)!.role, await getSiteSettings(c.var.db))}
        keys={externalKeys(c)}
        notice={noticeOf(c)}
      />,
    ),
  )
  .post('/settings', async (c) => {
    assertAdmin(c)
    const fields = await form(c)
    const current = await getSiteSettings(c.var.db)
    const num = (name: string) => (str(fields[name]) === '' ? null : Number(str(fields[name])))
    const candidate = {
      ...current,
      moderationMode: str(fields.moderationMode),
      bannedWords: lines(str(fields.bannedWords)),
      suspectWords: lines(str(fields.suspectWords)),
      holdLinks: str(fields.holdLinks) === 'true',
      maxLinks: num('maxLinks'),
      premodNewCommenters: num('premodNewCommenters'),
      reportThreshold: num('reportThreshold'),
      closeAfterDays: num('closeAfterDays'),
      rateLimitPerMinute: num('rateLimitPerMinute'),
      modelEnabled: str(fields.modelEnabled) === 'true',
      modelHoldThreshold: num('modelHoldThreshold'),
      modelRejectThreshold: num('modelRejectThreshold'),
      externalClassifierUrl: str(fields.externalClassifierUrl).trim() || null,
      externalClassifierField: str(fields.externalClassifierField).trim() || 'score',
      externalClassifierThreshold: num('externalClassifierThreshold'),
      perspectiveEnabled: str(fields.perspectiveEnabled) === 'true',
      perspectiveThreshold: num('perspectiveThreshold'),
      akismetEnabled: str(fields.akismetEnabled) === 'true',
      webhookUrl: str(fields.webhookUrl).trim() || null,
      requireVerifiedReaders: str(fields.requireVerifiedReaders) === 'true',
      siteName: str(fields.siteName).trim(),
      siteRulesUrl: str(fields.siteRulesUrl).trim() || null,
      queueAlertThreshold: num('queueAlertThreshold'),
      // The form never shows the secret: empty keeps the one set, the box forgets it.
      ssoSecret: str(fields.clearSsoSecret) === 'true' ? null : str(fields.ssoSecret) || current.ssoSecret,
      webhookSecret: str(fields.clearWebhookSecret) === 'true' ? null : str(fields.webhookSecret) || current.webhookSecret,
    }
    try {
      published(c, await changeSiteRules(c.var.db, candidate, actorOf(c)))
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      const problems = Object.entries(error.fields ?? {})
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ')
      return page(
        c,
        <SettingsPage
          viewer={viewer(c)!}
          settings={settingsFor('admin', current)}
          keys={externalKeys(c)}
          error={`Not saved. ${problems}`}
        />,
        422,
      )
    }
    return c.redirect(backWithNotice('/moderate/settings', 'rules_saved'), 303)
  })
  .get('/articles', async (c) => {
    const parsed = articlesQuery.safeParse(c.req.query())
    const query = parsed.success ? parsed.data : articlesQuery.parse({})
    const { articles, nextCursor } = await listArticleViews(c.var.db, query, c.var.services.now())
    const url = new URL(c.req.url)
    url.searchParams.delete('notice')
    return page(
      c,
      <ArticlesPage
        viewer={viewer(c)!}
        articles={articles}
        q={query.q ?? ''}
        nextCursor={nextCursor}
        back={`${url.pathname}${url.search}`}
        notice={noticeOf(c)}
      />,
    )
  })
  .post('/articles/:articleId/rules', async (c) => {
    // One change at a time from the list: open or closed, or the mode; what is not sent stays.
    const articleId = c.req.param('articleId')
    const fields = await form(c)
    if (!(await findArticle(c.var.db, articleId))) throw new AppError(404, 'not_found', 'Article not found')
    const mode = z.enum(ARTICLE_MODES).safeParse(str(fields.moderationMode))
    const open = str(fields.commentsOpen)
    const patch = {
      ...(open === 'true' || open === 'false' ? { commentsOpen: open === 'true' } : {}),
      ...(mode.success ? { moderationMode: mode.data } : {}),
    }
    published(c, await changeArticleRules(c.var.db, articleId, patch, actorOf(c)))
    return c.redirect(backWithNotice(fields.back ?? '/moderate/articles', 'article_saved'), 303)
  })
  .get('/articles/:articleId', async (c) => {
    const article = await findArticle(c.var.db, c.req.param('articleId'))
    if (!article) throw new AppError(404, 'not_found', 'Article not found')
    return page(
      c,
      <ArticlePage
        viewer={viewer(c)!}
        notice={noticeOf(c)}
        article={{
          id: article.id,
          title: article.title,
          url: article.url,
          commentsOpen: article.comments_open,
          moderationMode: article.moderation_mode,
          commentCount: article.approved_count,
        }}
      />,
    )
  })
  .post('/articles/:articleId', async (c) => {
    const articleId = c.req.param('articleId')
    const fields = await form(c)
    const mode = z.enum(ARTICLE_MODES).safeParse(str(fields.moderationMode))
    if (!(await findArticle(c.var.db, articleId))) throw new AppError(404, 'not_found', 'Article not found')
    const patch = { commentsOpen: str(fields.commentsOpen) === 'true', moderationMode: mode.success ? mode.data : undefined }
    published(c, await changeArticleRules(c.var.db, articleId, patch, actorOf(c)))
    return c.redirect(backWithNotice(`/moderate/articles/${encodeURIComponent(articleId)}`, 'article_saved'), 303)
  })
  .get('/account', async (c) => {
    const account = await c.var.db
      .selectFrom('moderators')
      .select(['email', 'alerts', 'digest'])
      .where('id', '=', c.var.moderator!.id)
      .executeTakeFirstOrThrow()
    return page(c, <AccountPage viewer={viewer(c)!} account={account} notice={noticeOf(c)} />)
  })
  .post('/account', async (c) => {
    const fields = await form(c)
    const email = z.union([z.literal(''), z.email().max(254)]).safeParse(str(fields.email).trim())
    const account = {
      email: email.success && email.data !== '' ? email.data : null,
      alerts: str(fields.alerts) === 'true',
      digest: str(fields.digest) === 'true',
    }
    if (!email.success)
      return page(
        c,
        <AccountPage
          viewer={viewer(c)!}
          account={{ ...account, email: str(fields.email) }}
          error="Not saved: that email address is not valid."
        />,
        422,
      )
    await c.var.db.updateTable('moderators').set(account).where('id', '=', c.var.moderator!.id).execute()
    return c.redirect(backWithNotice('/moderate/account', 'saved'), 303)
  })
  .post('/account/password', async (c) => {
    const fields = await form(c)
    const me = await c.var.db
      .selectFrom('moderators')
      .select(['username', 'password_hash'])
      .where('id', '=', c.var.moderator!.id)
      .executeTakeFirstOrThrow()
    const account = await c.var.db
      .selectFrom('moderators')
      .select(['email', 'alerts', 'digest'])
      .where('id', '=', c.var.moderator!.id)
      .executeTakeFirstOrThrow()
    if (!(await verifyPassword(me.password_hash, str(fields.current)))) {
      return page(c, <AccountPage viewer={viewer(c)!} account={account} error="Not changed: the current password is not right." />, 422)
    }
    try {
      // Every session of this account ends (a stolen one too); this browser gets a new one.
      await setModeratorPassword(c.var.db, me.username, str(fields.password))
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error
      return page(
        c,
        <AccountPage
          viewer={viewer(c)!}
          account={account}
          error={`Not changed: ${Object.values(error.fields ?? {}).join(' ') || error.message}`}
        />,
        422,
      )
    }
    c.header('Set-Cookie', await startSession(c.var.db, c.var.moderator!.id, secureCookies(c)), { append: true })
    return c.redirect(backWithNotice('/moderate/account', 'password_changed'), 303)
  })
  .post('/users/:id/password', async (c) => {
    assertAdmin(c)
    const user = await c.var.db.selectFrom('moderators').select('username').where('id', '=', c.req.param('id')).executeTakeFirst()
    if (!user) throw new AppError(404, 'not_found', 'Moderator not found')
    const fields = await form(c)
    try {
      await setModeratorPassword(c.var.db, user.username, str(fields.password))
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error
      return page(
        c,
        <UsersPage
          viewer={viewer(c)!}
          users={await listModerators(c.var.db)}
          error={Object.values(error.fields ?? {}).join(' ') || error.message}
        />,
        422,
      )
    }
    return c.redirect(backWithNotice('/moderate/users', 'password_reset'), 303)
  })
  .get('/imports', async (c) => {
    assertAdmin(c)
    return page(c, <ImportsPage viewer={viewer(c)!} runs={await listImports(c.var.db)} />)
  })
  .get('/users', async (c) => {
    assertAdmin(c)
    return page(c, <UsersPage viewer={viewer(c)!} users={await listModerators(c.var.db)} notice={noticeOf(c)} />)
  })
  .post('/users', async (c) => {
    assertAdmin(c)
    const fields = await form(c)
    const role = str(fields.role) === 'admin' ? 'admin' : 'moderator'
    try {
      await createModerator(c.var.db, str(fields.username), str(fields.password), role)
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error
      const detail = error.fields ? Object.values(error.fields).join('; ') : error.message
      return page(c, <UsersPage viewer={viewer(c)!} users={await listModerators(c.var.db)} error={detail} />, error.status)
    }
    return c.redirect(backWithNotice('/moderate/users', 'moderator_added'), 303)
  })
  .post('/users/:id/:action{enable|disable}', async (c) => {
    assertAdmin(c)
    const user = await c.var.db.selectFrom('moderators').select('username').where('id', '=', c.req.param('id')).executeTakeFirst()
    if (!user) throw new AppError(404, 'not_found', 'Moderator not found')
    await setModeratorDisabled(c.var.db, user.username, c.req.param('action') === 'disable')
    return c.redirect(backWithNotice('/moderate/users', 'saved'), 303)
  })

// The workspace answers its own refusals (not an administrator, not found, bad input) as pages, not JSON.
moderatorUi.onError((error, c) => {
  if (!(error instanceof AppError) || error.status >= 500) {
    console.error('[comments] unhandled error in the workspace:', error)
    return page(
      c,
      <ErrorPage viewer={viewer(c)} title="Something went wrong" message="Something went wrong on our side; please try again." />,
      500,
    )
  }
  for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value)
  const title = error.status === 403 ? 'Not allowed' : error.status === 404 ? 'Not found' : 'Not done'
  return page(c, <ErrorPage viewer={viewer(c)} title={title} message={error.message} />, error.status)
})
