import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { findArticle, listArticleViews } from '../../articles/articles.repository.js'
import { createModerator, listModerators, setModeratorDisabled } from '../../auth/auth.users.js'
import { moderatorSession, requireModerator, sameOriginOnly } from '../shared/auth.middleware.js'
import { articleIdSchema } from '../../comments/comments.schema.js'
import { notFound } from '../../platform/lib/errors.js'
import { ID_PATTERN, newId } from '../../platform/lib/ids.js'
import { SIGNED_IN, doc } from '../shared/openapi.js'
import { validate } from '../shared/validation.js'
import type { AppEnv } from '../shared/context.js'
import { ARTICLE_MODES, changeArticleRules } from '../../articles/articles.actions.js'
import {
  SUSPENSION_DAYS,
  addCommenterNote,
  eraseCommenter,
  restrictCommenter,
  setCommenterStatus,
} from '../../moderation/moderation.commenters.js'
import { exportCommenter } from '../../moderation/moderation.commenter-export.js'
import { commenterPage } from '../../commenters/commenters.page.js'
import { published } from '../shared/events.publish.js'
import { changeSiteRules } from '../../settings/settings.actions.js'
import { settingsFor } from '../../settings/settings.mapper.js'
import { getSiteSettings } from '../../settings/settings.repository.js'
import { siteSettingsPatchSchema } from '../../settings/settings.schema.js'
import type { Actor } from '../../audit/audit.log.js'
import { CURSOR_PATTERN, QUEUES, QUEUE_SORTS, type QueueSort, listQueue, queueCounts } from '../../moderation/moderation.queue.js'
import { searchComments, searchQuerySchema } from '../../moderation/moderation.search.js'
import { REJECT_NOTE_MAX, REJECT_REASONS } from '../../comments/comments.statuses.js'
import {
  type ApproveOptions,
  approveComment,
  assertStillAsSeen,
  commentHistory,
  commentRevisions,
  featureComment,
  rejectComment,
} from '../../moderation/moderation.service.js'
import { exampleLabel } from '../../screening/screening.examples.js'
import { notify } from '../../platform/live/live.bus.js'
import { loadOverview, overviewQuerySchema } from '../../moderation/moderation.overview.js'
import { COMMENT_STATUSES } from '../../comments/comments.statuses.js'

const idParam = validate('param', z.object({ id: z.string().regex(ID_PATTERN, 'not an id') }))
const articleParam = validate('param', z.object({ articleId: articleIdSchema }))
const optionalJson = <T extends z.ZodType>(schema: T) =>
  validate(
    'json',
    z.preprocess((v) => v ?? {}, schema),
  )

export const queueQuerySchema = z.object({
  queue: z.enum(QUEUES as [string, ...string[]]).default('pending'),
  sort: z.enum(QUEUE_SORTS as [QueueSort, ...QueueSort[]]).optional(),
  articleId: articleIdSchema.optional(),
  cursor: z
    .string()
    .regex(CURSOR_PATTERN, 'invalid cursor')
    .refine((cursor) => !cursor.includes('~') || Number.isFinite(Number(cursor.split('~')[0])), 'invalid cursor')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
})

/** The status the moderator's page showed; when the comment has moved since, the decision answers 409. */
const expectStatus = z.enum(COMMENT_STATUSES).optional()

export const rejectSchema = z.object({
  reason: z.enum(REJECT_REASONS).optional(),
  note: z.string().trim().max(REJECT_NOTE_MAX).optional(),
  expectStatus,
})

const approveSchema = z.object({ expectStatus })

const banSchema = z.object({ rejectPending: z.boolean().default(false), reason: z.string().trim().max(500).optional() })
const reasonSchema = z.object({ reason: z.string().trim().max(500).optional() })
/** A restriction short of a ban is always explained: the reason goes into the audit log. */
const requiredReason = z
  .string({ error: 'Say why: the reason is recorded in the audit log' })
  .trim()
  .min(1, 'Say why: the reason is recorded in the audit log')
  .max(500)
const suspendSchema = z.object({ days: z.literal(SUSPENSION_DAYS, { error: 'Suspend for 1, 7 or 30 days' }), reason: requiredReason })
const shadowBanSchema = z.object({ reason: requiredReason })
const noteSchema = z.object({ body: z.string({ error: 'Write the note' }).trim().min(1, 'Write the note').max(2000) })
const pageQuery = z.object({
  cursor: z.string().regex(ID_PATTERN, 'invalid cursor').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})
/** "2026-02-28T12:00:00.123456Z" names a real moment: JavaScript's calendar gives it back as written. */
const isCalendarTime = (stamp: string) => {
  const millis = Date.parse(`${stamp.slice(0, 23)}Z`)
  return stamp.slice(0, 4) !== '0000' && Number.isFinite(millis) && new Date(millis).toISOString() === `${stamp.slice(0, 23)}Z`
}

export const articlesQuery = z.object({
  q: z.string().trim().max(200).optional(),
  cursor: z
    .string()
    .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z~.{1,512}$/s, 'invalid cursor')
    // A time PostgreSQL would refuse (month 13, 30 February, year 0) is no cursor either.
    .refine((cursor) => isCalendarTime(cursor.slice(0, 27)), 'invalid cursor')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})

const articleSettingsSchema = z
  .object({
    commentsOpen: z.boolean(),
    moderationMode: z.enum(ARTICLE_MODES),
    title: z.string().trim().min(1).max(300),
    url: z.url({ protocol: /^https?$/ }).max(2048),
  })
  .partial()
  .strict()

/** Routes only administrators may call; the authorisation test reads this list. */
export const ADMIN_ONLY = new Set([
  'PUT /settings',
  'GET /commenters/:id/export',
  'POST /commenters/:id/erase',
  'GET /screening/examples',
  'GET /users',
  'POST /users',
  'POST /users/:id/disable',
  'POST /users/:id/enable',
])

export const actorOf = (moderator: { id: string; username: string }): Actor => ({ id: moderator.id, name: moderator.username })

/** Approves as the signed-in moderator: the same action and events from the API, the workspace and bulk. */
export async function approveAs(c: Context<AppEnv>, id: string, options: ApproveOptions = {}) {
  return published(c, await approveComment(c.var.db, id, actorOf(c.var.moderator!), options))
}

const admin = requireModerator({ role: 'admin' })

export const moderationRoutes = new Hono<AppEnv>()
  .use(sameOriginOnly(), moderatorSession(), requireModerator())
  .get(
    '/queue',
    doc('A moderation queue, riskiest first for waiting comments', {
      tags: ['Moderation'],
      ok: { 200: '{items, nextCursor, counts}' },
      errors: [...SIGNED_IN, 422],
    }),
    validate('query', queueQuerySchema),
    async (c) => {
      const query = c.req.valid('query')
      const [page, counts] = await Promise.all([
        listQueue(c.var.db, { ...query, queue: query.queue as (typeof QUEUES)[number] }),
        queueCounts(c.var.db, query.articleId),
      ])
      return c.json({ ...page, counts })
    },
  )
  .get(
    '/search',
    doc('Search comments in any queue by words, author name, email or article, newest first', {
      tags: ['Moderation'],
      ok: { 200: '{items, nextCursor}' },
      errors: [...SIGNED_IN, 422],
    }),
    validate('query', searchQuerySchema),
    async (c) => c.json(await searchComments(c.var.db, c.req.valid('query'))),
  )
  .get(
    '/overview',
    doc("The overview: comments per day by status, waiting times, rejections by reason, busiest articles, screening's share", {
      tags: ['Moderation'],
      ok: { 200: 'Overview' },
      errors: [...SIGNED_IN, 422],
    }),
    validate('query', overviewQuerySchema),
    async (c) => {
      return c.json(await loadOverview(c.var.db, { days: c.req.valid('query').days, now: c.var.services.now() }))
    },
  )
  .post(
    '/comments/:id/approve',
    doc('Approve (publish, or keep and dismiss reports); with expectStatus, 409 when a colleague decided first', {
      tags: ['Moderation'],
      ok: { 200: '{comment}' },
      errors: [...SIGNED_IN, 404, 409, 422],
    }),
    idParam,
    optionalJson(approveSchema),
    async (c) => {
      const id = c.req.valid('param').id
      await assertStillAsSeen(c.var.db, id, c.req.valid('json').expectStatus)
      return c.json({ comment: (await approveAs(c, id)).comment })
    },
  )
  .post(
    '/presence',
    doc('Say which comment this moderator has open ("open by NAME" for the others)', {
      tags: ['Moderation'],
      ok: { 204: 'Announced' },
      errors: [...SIGNED_IN, 422],
    }),
    validate('json', z.object({ commentId: z.string().regex(ID_PATTERN) })),
    async (c) => {
      await notify(c.var.db, { id: newId(), type: 'viewing', commentId: c.req.valid('json').commentId, by: c.var.moderator!.username })
      return c.body(null, 204)
    },
  )
  .post(
    '/comments/:id/reject',
    doc('Reject with a reason; with expectStatus, 409 when a colleague decided first', {
      tags: ['Moderation'],
      ok: { 200: '{comment}' },
      errors: [...SIGNED_IN, 404, 409, 413, 422],
    }),
    idParam,
    optionalJson(rejectSchema),
    async (c) => {
      const id = c.req.valid('param').id
      const { expectStatus: expected, ...reason } = c.req.valid('json')
      await assertStillAsSeen(c.var.db, id, expected)
      return c.json({ comment: published(c, await rejectComment(c.var.db, id, actorOf(c.var.moderator!), reason)) })
    },
  )
  .post(
    '/comments/:id/feature',
    doc('Feature', { tags: ['Moderation'], ok: { 200: '{comment}' }, errors: [...SIGNED_IN, 404, 422] }),
    idParam,
    async (c) => {
      return c.json({ comment: published(c, await featureComment(c.var.db, c.req.valid('param').id, actorOf(c.var.moderator!), true)) })
    },
  )
  .post(
    '/comments/:id/unfeature',
    doc('Unfeature', { tags: ['Moderation'], ok: { 200: '{comment}' }, errors: [...SIGNED_IN, 404, 422] }),
    idParam,
    async (c) => {
      return c.json({ comment: published(c, await featureComment(c.var.db, c.req.valid('param').id, actorOf(c.var.moderator!), false)) })
    },
  )
  .get(
    '/comments/:id/history',
    doc("A comment's audit log, and the earlier texts its writer replaced", {
      tags: ['Moderation'],
      ok: { 200: '{actions, revisions}' },
      errors: [...SIGNED_IN, 404, 422],
    }),
    idParam,
    async (c) => {
      const id = c.req.valid('param').id
      return c.json({ actions: await commentHistory(c.var.db, id), revisions: await commentRevisions(c.var.db, id) })
    },
  )
  .post(
    '/commenters/:id/ban',
    doc('Ban a commenter (optionally rejecting what waits)', {
      tags: ['Commenters'],
      ok: { 200: '{commenter}' },
      errors: [...SIGNED_IN, 404, 413, 422],
    }),
    idParam,
    optionalJson(banSchema),
    async (c) => {
      const body = c.req.valid('json')
      return c.json({
        commenter: published(
          c,
          await setCommenterStatus(c.var.db, c.req.valid('param').id, 'banned', actorOf(c.var.moderator!), {
            ...body,
            keyedHash: c.var.services.keyedHash,
          }),
        ),
      })
    },
  )
  .post(
    '/commenters/:id/trust',
    doc('Trust a commenter', { tags: ['Commenters'], ok: { 200: '{commenter}' }, errors: [...SIGNED_IN, 404, 422] }),
    idParam,
    optionalJson(reasonSchema),
    async (c) => {
      return c.json({
        commenter: published(
          c,
          await setCommenterStatus(c.var.db, c.req.valid('param').id, 'trusted', actorOf(c.var.moderator!), {
            ...c.req.valid('json'),
            keyedHash: c.var.services.keyedHash,
          }),
        ),
      })
    },
  )
  .post(
    '/commenters/:id/reset',
    doc('Back to normal: lifts a ban, a suspension and a shadow-ban, and ends trust', {
      tags: ['Commenters'],
      ok: { 200: '{commenter}' },
      errors: [...SIGNED_IN, 404, 422],
    }),
    idParam,
    optionalJson(reasonSchema),
    async (c) => {
      return c.json({
        commenter: published(
          c,
          await setCommenterStatus(c.var.db, c.req.valid('param').id, 'normal', actorOf(c.var.moderator!), {
            ...c.req.valid('json'),
            keyedHash: c.var.services.keyedHash,
          }),
        ),
      })
    },
  )
  .post(
    '/commenters/:id/suspend',
    doc('Suspend for 1, 7 or 30 days, with a reason: posts are refused until then, and the refusal says until when', {
      tags: ['Commenters'],
      ok: { 200: '{commenter}' },
      errors: [...SIGNED_IN, 404, 413, 422],
    }),
    idParam,
    validate('json', suspendSchema),
    async (c) => {
      const { days, reason } = c.req.valid('json')
      return c.json({
        commenter: published(
          c,
          await restrictCommenter(
            c.var.db,
            c.req.valid('param').id,
            { kind: 'suspend', days },
            actorOf(c.var.moderator!),
            reason,
            c.var.services.now(),
          ),
        ),
      })
    },
  )
  .post(
    '/commenters/:id/shadow-ban',
    doc('Shadow-ban, with a reason: their comments look published to them and reach nobody else', {
      tags: ['Commenters'],
      ok: { 200: '{commenter}' },
      errors: [...SIGNED_IN, 404, 413, 422],
    }),
    idParam,
    validate('json', shadowBanSchema),
    async (c) => {
      return c.json({
        commenter: published(
          c,
          await restrictCommenter(
            c.var.db,
            c.req.valid('param').id,
            { kind: 'shadow_ban' },
            actorOf(c.var.moderator!),
            c.req.valid('json').reason,
            c.var.services.now(),
          ),
        ),
      })
    },
  )
  .get(
    '/commenters/:id',
    doc("A commenter: who they are, their restrictions, their comments (every status, newest first) and moderators' notes", {
      tags: ['Commenters'],
      ok: { 200: '{commenter, comments, nextCursor, notes}' },
      errors: [...SIGNED_IN, 404, 422],
    }),
    idParam,
    validate('query', pageQuery),
    async (c) => {
      return c.json(await commenterPage(c.var.db, c.req.valid('param').id, c.req.valid('query')))
    },
  )
  .post(
    '/commenters/:id/notes',
    doc('Note something about a commenter for colleagues', {
      tags: ['Commenters'],
      ok: { 201: '{note}' },
      errors: [...SIGNED_IN, 404, 413, 422],
    }),
    idParam,
    validate('json', noteSchema),
    async (c) => {
      const moderator = c.var.moderator!
      return c.json(
        {
          note: published(
            c,
            await addCommenterNote(
              c.var.db,
              c.req.valid('param').id,
              { id: moderator.id, name: moderator.username },
              c.req.valid('json').body,
            ),
          ),
        },
        201,
      )
    },
  )
  .get(
    '/commenters/:id/export',
    doc(
      "Everything stored about a commenter, as they get it when they ask for their data: decisions with reason codes, not who decided or moderators' notes (admin)",
      { tags: ['Commenters'], ok: { 200: 'JSON export' }, errors: [...SIGNED_IN, 404, 422] },
    ),
    admin,
    idParam,
    async (c) => {
      c.header('Content-Disposition', `attachment; filename="commenter-${c.req.valid('param').id}.json"`)
      return c.json(await exportCommenter(c.var.db, c.req.valid('param').id, c.var.services.now()))
    },
  )
  .post(
    '/commenters/:id/erase',
    doc('Erase a commenter (admin)', {
      tags: ['Commenters'],
      ok: { 200: '{erased, mode, comments}' },
      errors: [...SIGNED_IN, 404, 413, 422],
    }),
    admin,
    idParam,
    validate('json', z.object({ mode: z.enum(['tombstone', 'remove']) })),
    async (c) => {
      return c.json(
        published(
          c,
          await eraseCommenter(
            c.var.db,
            c.req.valid('param').id,
            actorOf(c.var.moderator!),
            c.req.valid('json').mode,
            c.var.services.keyedHash,
            c.var.services.now(),
          ),
        ),
      )
    },
  )
  .get(
    '/screening/examples',
    doc("Moderators' decisions as JSON lines, for retraining (admin)", {
      tags: ['Screening'],
      ok: { 200: 'application/x-ndjson' },
      errors: SIGNED_IN,
    }),
    admin,
    async (c) => {
      // Moderators' decisions as JSON lines, the format `npm run train:screening` and most trainers read;
      // `label` is null for rejections that were not about abuse (spam, off-topic, bans).
      const rows = await c.var.db.selectFrom('screening_examples').selectAll().orderBy('decided_at').orderBy('comment_id').execute()
      const lines = rows.map((r) =>
        JSON.stringify({
          text: r.text,
          label: exampleLabel(r.decision, r.reason),
          lang: r.language,
          source: 'site_decisions',
          decision: r.decision,
          reason: r.reason,
          risk: r.risk,
          decidedAt: new Date(r.decided_at).toISOString(),
        }),
      )
      c.header('Content-Type', 'application/x-ndjson; charset=utf-8')
      c.header('Content-Disposition', 'attachment; filename="screening-examples.jsonl"')
      return c.body(lines.length ? `${lines.join('\n')}\n` : '')
    },
  )
  .get('/settings', doc('The site rules', { tags: ['Settings'], ok: { 200: '{settings}' }, errors: SIGNED_IN }), async (c) => {
    return c.json({ settings: settingsFor(c.var.moderator!.role, await getSiteSettings(c.var.db)) })
  })
  .put(
    '/settings',
    doc('Change the site rules: only the fields sent (admin)', {
      tags: ['Settings'],
      ok: { 200: '{settings}' },
      errors: [...SIGNED_IN, 413, 422],
    }),
    admin,
    validate('json', siteSettingsPatchSchema),
    async (c) => {
      return c.json({
        settings: settingsFor('admin', published(c, await changeSiteRules(c.var.db, c.req.valid('json'), actorOf(c.var.moderator!)))),
      })
    },
  )
  .get(
    '/articles',
    doc('Every article, newest first, with its counts and state; q matches the id, title or URL', {
      tags: ['Settings'],
      ok: { 200: '{articles, nextCursor}' },
      errors: [...SIGNED_IN, 422],
    }),
    validate('query', articlesQuery),
    async (c) => {
      return c.json(await listArticleViews(c.var.db, c.req.valid('query'), c.var.services.now()))
    },
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
    validate('json', articleSettingsSchema),
    async (c) => {
      const article = published(
        c,
        await changeArticleRules(c.var.db, c.req.valid('param').articleId, c.req.valid('json'), actorOf(c.var.moderator!)),
      )
      return c.json({ article: articleView(article) })
    },
  )
  .get('/users', doc('Moderator accounts (admin)', { tags: ['Moderators'], ok: { 200: '{users}' }, errors: SIGNED_IN }), admin, async (c) =>
    c.json({ users: await listModerators(c.var.db) }),
  )
  .post(
    '/users',
    doc('Create a moderator account (admin)', { tags: ['Moderators'], ok: { 201: '{user}' }, errors: [...SIGNED_IN, 409, 413, 422] }),
    admin,
    validate('json', z.object({ username: z.string(), password: z.string(), role: z.enum(['admin', 'moderator']) })),
    async (c) => {
      const { username, password, role } = c.req.valid('json')
      return c.json({ user: await createModerator(c.var.db, username, password, role) }, 201)
    },
  )
  .post(
    '/users/:id/disable',
    doc('Disable a moderator account (admin)', { tags: ['Moderators'], ok: { 200: '{user}' }, errors: [...SIGNED_IN, 404, 422] }),
    admin,
    idParam,
    async (c) => c.json(await toggleUser(c.var.db, c.req.valid('param').id, true)),
  )
  .post(
    '/users/:id/enable',
    doc('Enable a moderator account (admin)', { tags: ['Moderators'], ok: { 200: '{user}' }, errors: [...SIGNED_IN, 404, 422] }),
    admin,
    idParam,
    async (c) => c.json(await toggleUser(c.var.db, c.req.valid('param').id, false)),
  )

async function toggleUser(db: AppEnv['Variables']['db'], id: string, disabled: boolean) {
  const user = await db.selectFrom('moderators').select('username').where('id', '=', id).executeTakeFirst()
  if (!user) throw notFound('Moderator')
  await setModeratorDisabled(db, user.username, disabled)
  return { ok: true }
}

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
