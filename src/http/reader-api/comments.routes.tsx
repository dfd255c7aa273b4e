import { type Context, Hono } from 'hono'
import { resolver } from 'hono-openapi'
import { doc } from '../shared/openapi.js'
import { effectiveMode, findArticle, isOpen, listStamp } from '../../articles/articles.repository.js'
import { cachedPublicRead } from '../shared/public-cache.js'
import { notFound } from '../../platform/lib/errors.js'
import { ID_PATTERN } from '../../platform/lib/ids.js'
import { validationError } from '../../platform/lib/errors.js'
import { validate } from '../shared/validation.js'
import type { AppEnv } from '../shared/context.js'
import { getSiteSettings } from '../../settings/settings.repository.js'
import { fileReport } from '../../comments/comments.reports.js'
import {
  type Caller,
  countPicks,
  findActionable,
  findApprovedPage,
  findApprovedReplies,
  findStatuses,
} from '../../comments/comments.repository.js'
import {
  articleIdSchema,
  commentEditSchema,
  commentInputSchema,
  listQuerySchema,
  reportInputSchema,
  respectInputSchema,
  statusQuerySchema,
} from '../../comments/comments.schema.js'
import { commentReceipt, holdsReceipt } from '../../comments/comments.receipts.js'
import { submitComment } from '../../comments/comments.submit.js'
import { type PostComment, answerPlainForm, guestFieldsToo, isFormPost, readBody } from './comments.form-post.js'
import { requestFacts } from '../shared/request-facts.js'
import { EDITS_PER_COMMENT, EDIT_WINDOW_MINUTES, deleteOwnComment, editOwnComment } from '../../comments/comments.self-service.js'
import { readerFromToken, requireReader } from '../shared/readers.middleware.js'
import { published } from '../shared/events.publish.js'
import { z } from 'zod'
import { reactorKey, setRespect } from '../../comments/comments.reactions.js'
import { networkOf } from '../../platform/lib/address.js'
import { issueFormToken } from '../../screening/screening.form-token.js'
import { LANGUAGES } from '../../platform/i18n/i18n.js'
import { FallbackComments, firstComments } from '../reader-pages/fallback.js'

const articleParam = validate('param', z.object({ articleId: articleIdSchema }))
const commentParam = validate('param', z.object({ id: z.string().regex(ID_PATTERN, 'not a comment id') }))

/**
 * Posts through the write path as the caller: a verified reader's token, or a guest's typed fields. The
 * article's page names it only when it is on a publisher's site (an allowed origin, or this server's):
 * a stranger cannot title someone else's article. Moderators can correct both later.
 */
const postComment: PostComment = async (c, articleId, input) => {
  const onPublisherSite = input.articleUrl !== undefined && c.var.services.onPublisherSite(c, input.articleUrl)
  const page = onPublisherSite ? { url: input.articleUrl, ...(input.articleTitle ? { title: input.articleTitle } : {}) } : {}
  const facts = await requestFacts(c, input.lang)
  return published(c, await submitComment(c.var.db, c.var.services, { articleId, comment: input, reader: c.var.reader, facts, page }))
}

/** Who calls, as a comment's visibility needs to know: the reader of a bearer token, and the network's hash. */
const callerOf = async (c: Context<AppEnv>): Promise<Caller> => ({
  readerId: c.var.reader?.id ?? null,
  addressHash: await c.var.services.addressHash(c.var.services.clientIp(c)),
})

export const commentRoutes = new Hono<AppEnv>()
  .get(
    '/articles/:articleId/comments',
    doc("List an article's published comments", {
      tags: ['Readers'],
      ok: { 200: 'A page of threads, newest or oldest first; ETag and a short public lifetime', 304: 'Not modified since the ETag sent' },
      errors: [422],
    }),
    articleParam,
    validate('query', listQuerySchema),
    async (c) => {
      const { articleId } = c.req.valid('param')
      const query = c.req.valid('query')
      const db = c.var.db
      const now = c.var.services.now()
      return cachedPublicRead(
        c,
        [articleId],
        () => listStamp(db, articleId, now),
        async () => {
          const [article, settings] = await Promise.all([findArticle(db, articleId), getSiteSettings(db)])
          const [page, picks] = article
            ? await Promise.all([findApprovedPage(db, articleId, query), countPicks(db, articleId)])
            : [{ comments: [], nextCursor: null }, 0]
          return {
            article: {
              id: articleId,
              title: article?.title ?? null,
              url: article?.url ?? null,
              commentsOpen: article ? isOpen(article, settings, now) : true,
              moderationMode: effectiveMode(article, settings),
              live: c.var.services.config.liveTransport,
              commentCount: article?.approved_count ?? 0,
              picks,
            },
            comments: page.comments,
            nextCursor: page.nextCursor,
          }
        },
      )
    },
  )
  .get(
    '/articles/:articleId/fallback',
    doc("The article's first comments as an HTML fragment, for readers without JavaScript", {
      tags: ['Readers'],
      ok: {
        200: "A `data-nc-fallback` container: a publisher's server includes it in the article page; the widget removes it",
        304: 'Not modified since the ETag sent',
      },
      errors: [422],
    }),
    articleParam,
    validate('query', z.object({ lang: z.enum(LANGUAGES).default('en') })),
    async (c) => {
      const { articleId } = c.req.valid('param')
      const { lang } = c.req.valid('query')
      const db = c.var.db
      // Cached and revalidated as the list is: a publisher's server may ask for it on every page view.
      return cachedPublicRead(
        c,
        [articleId],
        () => listStamp(db, articleId, c.var.services.now()),
        async () => <FallbackComments lang={lang} comments={await firstComments(db, articleId)} />,
        'html',
      )
    },
  )
  .get(
    '/articles/:articleId/form-token',
    doc('Get a form token (time stamp for the too-fast check)', { tags: ['Readers'], ok: { 200: '{formToken}' }, errors: [422] }),
    articleParam,
    async (c) => {
      const { articleId } = c.req.valid('param')
      const services = c.var.services
      c.header('Cache-Control', 'no-store')
      return c.json({ formToken: await issueFormToken(services.config.ipHashSecret, articleId, services.now()) })
    },
  )
  .post(
    '/articles/:articleId/comments',
    doc('Post a comment or reply (JSON, or a plain HTML form)', {
      tags: ['Readers'],
      ok: {
        201: 'Published at once',
        202: 'Stored and waiting for a moderator',
        303: 'From a plain HTML form, when HTML is not asked for: back to the article with the outcome in the fragment (a browser gets a page saying what happened)',
      },
      errors: [401, 403, 409, 413, 422, 429],
      description: 'Guests send name and email; a verified reader sends `Authorization: Bearer READER_TOKEN` and neither.',
      requestBody: {
        content: {
          'application/json': { schema: resolver(commentInputSchema) },
          'application/x-www-form-urlencoded': { schema: resolver(commentInputSchema) },
        },
      },
    }),
    articleParam,
    readerFromToken,
    async (c) => {
      const { articleId } = c.req.valid('param')
      const raw = await readBody(c)
      if (isFormPost(c)) {
        const parsedUrl = commentInputSchema.safeParse(raw).data?.articleUrl
        const articleUrl = (await findArticle(c.var.db, articleId))?.url ?? parsedUrl ?? null
        return answerPlainForm(c, articleId, raw, articleUrl, postComment)
      }
      const parsed = commentInputSchema.safeParse(raw)
      if (!parsed.success) throw guestFieldsToo(validationError(parsed.error), raw, c.var.reader !== null)
      const outcome = await postComment(c, articleId, parsed.data)
      const receipt = await commentReceipt(c.var.services.config.ipHashSecret, outcome.comment.id)
      return c.json({ comment: outcome.comment, receipt, ...(outcome.notice && { notice: outcome.notice }) }, outcome.httpStatus)
    },
  )
  .get(
    '/comments/status',
    doc('Where a writer\'s own comments stand: ids given as "id.receipt", the receipt each post answered with', {
      tags: ['Readers'],
      ok: { 200: '{statuses}: only for ids with a valid receipt' },
      errors: [422],
    }),
    validate('query', statusQuerySchema),
    async (c) => {
      c.header('Cache-Control', 'no-store')
      // Only comments the caller holds a receipt for: "id.receipt", as the post answered it.
      const secret = c.var.services.config.ipHashSecret
      const held: string[] = []
      for (const entry of c.req.valid('query').ids) {
        const [id, receipt] = entry.split('.') as [string, string | undefined]
        if (receipt && (await holdsReceipt(secret, id, receipt))) held.push(id)
      }
      return c.json(await findStatuses(c.var.db, held))
    },
  )
  .get(
    '/comments/:id/replies',
    doc('The rest of a thread beyond the replies a list carries', {
      tags: ['Readers'],
      ok: { 200: 'A page of replies' },
      errors: [401, 404, 422],
    }),
    commentParam,
    readerFromToken,
    validate('query', listQuerySchema.pick({ cursor: true, limit: true })),
    async (c) => {
      const { id } = c.req.valid('param')
      // A thread whose root readers cannot see has no replies to show either (a shadow root: to its writer,
      // the approved replies under it, which are none).
      const root = await findActionable(c.var.db, id, await callerOf(c))
      if (!root || root.parent_id !== null) throw notFound('Comment')
      return c.json(await findApprovedReplies(c.var.db, id, c.req.valid('query')))
    },
  )
  .patch(
    '/comments/:id',
    doc(
      `Edit your own comment (verified readers, within ${EDIT_WINDOW_MINUTES} minutes); screened again; edits count with posts against the per-minute limit, and one comment takes ${EDITS_PER_COMMENT} edits`,
      { tags: ['Readers'], ok: { 200: '{comment}' }, errors: [401, 403, 404, 409, 422, 429] },
    ),
    commentParam,
    readerFromToken,
    requireReader,
    validate('json', commentEditSchema),
    async (c) => {
      const comment = published(
        c,
        await editOwnComment(c.var.db, c.var.services, c.var.reader!, c.req.valid('param').id, c.req.valid('json').body, {
          addressHash: await c.var.services.addressHash(c.var.services.clientIp(c)),
        }),
      )
      return c.json({ comment })
    },
  )
  .delete(
    '/comments/:id',
    doc('Delete your own comment (verified readers); a tombstone stays where others replied', {
      tags: ['Readers'],
      ok: { 200: '{deleted, tombstone}' },
      errors: [401, 404],
    }),
    commentParam,
    readerFromToken,
    requireReader,
    async (c) => {
      return c.json(published(c, await deleteOwnComment(c.var.db, c.var.reader!, c.req.valid('param').id)))
    },
  )
  .post(
    '/comments/:id/respect',
    doc(
      "Respect a published comment, or take the respect back: once per reader (a verified reader, or a guest's address and browser); never one's own (403)",
      {
        tags: ['Readers'],
        ok: { 200: "{respected, respect}: the comment's count" },
        errors: [401, 403, 404, 413, 422, 429],
      },
    ),
    commentParam,
    readerFromToken,
    validate('json', respectInputSchema),
    async (c) => {
      const { respected, browser } = c.req.valid('json')
      const services = c.var.services
      const addressHash = await services.keyedHash(`respect:${networkOf(services.clientIp(c))}`)
      const reactor = reactorKey(c.var.reader, addressHash, browser)
      return c.json(await setRespect(c.var.db, c.req.valid('param').id, reactor, respected, addressHash, await callerOf(c), services.now()))
    },
  )
  .post(
    '/comments/:id/reports',
    doc('Report a published comment', { tags: ['Readers'], ok: { 202: 'Report filed' }, errors: [401, 404, 413, 422, 429] }),
    commentParam,
    readerFromToken,
    validate('json', reportInputSchema),
    async (c) => {
      const { id } = c.req.valid('param')
      const { readerId, addressHash } = await callerOf(c)
      const reported = published(
        c,
        await fileReport(c.var.db, c.var.services, { commentId: id, report: c.req.valid('json'), readerId, addressHash }),
      )
      if (!reported) throw notFound('Comment')
      return c.json({ ok: true }, 202)
    },
  )
