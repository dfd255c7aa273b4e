import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { eraseCommenter } from '../../moderation/moderation.erasure.js'
import { exportCommenter } from '../../moderation/moderation.commenter-export.js'
import { articleIdSchema, emailSchema, publishableName, readerNameSchema } from '../../comments/comments.schema.js'
import { articleTitleOf, isKnownArticlePage } from '../../articles/articles.repository.js'
import { NOTICES } from '../../platform/i18n/i18n.reader.js'
import type { CommenterRow } from '../../platform/db/database.js'
import { published } from '../shared/events.publish.js'
import { SELF_SERVICE } from '../../audit/audit.log.js'
import { AppError, notFound } from '../../platform/lib/errors.js'
import { doc } from '../shared/openapi.js'
import { hitRateLimit } from '../../platform/lib/rate-limit.js'
import { validate } from '../shared/validation.js'
import { verifyEmailMail } from '../../mail/mail.messages.js'
import { enqueueMail } from '../../mail/mail.queue.js'
import { canonicalEmail } from '../../commenters/commenters.repository.js'
import { restoreRestrictions } from '../../commenters/commenters.restrictions.js'
import type { AppEnv } from '../shared/context.js'
import { getSiteSettings } from '../../settings/settings.repository.js'
import { siteNameFor } from '../../settings/settings.schema.js'
import { bearerToken, readerFromToken, requireReader } from '../shared/readers.middleware.js'
import {
  VERIFY_CODE_MINUTES,
  createVerifyCode,
  issueReaderToken,
  readerByToken,
  revokeReaderToken,
  revokeReaderTokens,
  spendSsoToken,
  spendVerifyCode,
  ssoReader,
  verifiedEmailReader,
} from '../../readers/readers.repository.js'
import { verifySsoToken } from '../../readers/readers.sso.js'
import { ALL_OFF, linkedReader, savePreferences } from '../reader-pages/readers.pages.js'
import { ACCOUNT_LINK_MINUTES, accountPath } from '../reader-pages/readers.account.js'
import { pickLanguage } from '../../platform/i18n/i18n.js'

/** A reader as they see themselves: never anyone else's. */
export function toReaderView(row: CommenterRow) {
  return { id: row.id, name: row.name, email: row.email, verified: true as const, via: row.kind, notify: row.notify }
}

/** What the asking browser keeps, and sends again with the code. */
const nonceSchema = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'nonce must be 16–128 letters, digits, - or _')

const verifyRequestSchema = z.object({
  email: emailSchema,
  articleUrl: z.url({ protocol: /^https?$/, error: 'articleUrl must be the http(s) address of the article page' }).max(2048),
  /** The article the page shows (the widget's data-article-id): a new article is known from this request on. */
  articleId: articleIdSchema.optional(),
  lang: z.string().trim().max(35).optional(),
  nonce: nonceSchema.optional(),
})

/** Verification mails to one address per hour, and requests from one IP per hour: no mail bombing. */
const MAILS_PER_ADDRESS_HOUR = 3
const REQUESTS_PER_IP_HOUR = 20
/**
 * Trades per client address: a code comes by mail (so a few an hour is plenty), the publisher's token on
 * every page view (so a newsroom's office behind one address needs room).
 */
const CONFIRMS_PER_IP_10_MINUTES = 30
const SSO_TRADES_PER_IP_MINUTE = 120

/** Counts a call from the client's address against a reader route's limit; past it, 429 with Retry-After. */
async function limitPerAddress(c: Context<AppEnv>, route: string, limit: number, windowSeconds: number) {
  // Keyed on the client's network (an IPv6 /64), as every per-address limit is.
  const address = await c.var.services.addressHash(c.var.services.clientIp(c))
  if (!address) return
  const counted = await hitRateLimit(c.var.db, `${route}:ip:${address}`, limit, windowSeconds, c.var.services.now())
  if (!counted.allowed)
    throw new AppError(429, 'rate_limited', `Too many requests; try again in ${counted.retryAfter} seconds`, undefined, {
      'Retry-After': String(counted.retryAfter),
    })
}

const notifySchema = z
  .object({ replies: z.boolean(), approved: z.boolean(), rejected: z.boolean(), featured: z.boolean() })
  .partial()
  .strict()

const READERS = ['Readers']

export const readerRoutes = new Hono<AppEnv>()
  // RFC 8058 one-click: mail clients POST here with no sign-in; the signed link is the key.
  .post(
    '/unsubscribe',
    doc('One-click unsubscribe from every mail about your comments (the List-Unsubscribe link)', {
      tags: READERS,
      ok: { 200: 'Unsubscribed' },
      errors: [404],
    }),
    async (c) => {
      const reader = await linkedReader(c)
      if (!reader) throw notFound('Subscription')
      await savePreferences(c, reader.id, ALL_OFF)
      return c.json({ ok: true, unsubscribed: true })
    },
  )
  .get(
    '/unsubscribe',
    doc('The unsubscribe link opened in a browser: on to the preferences page, where one button unsubscribes', {
      tags: READERS,
      ok: { 303: 'To /readers/preferences' },
      errors: [404],
    }),
    async (c) => {
      // A GET changes nothing: link scanners in mail systems open every link they see.
      if (!(await linkedReader(c))) throw notFound('Subscription')
      return c.redirect(`/readers/preferences?${new URL(c.req.url).searchParams}`, 303)
    },
  )
  .post(
    '/verify',
    doc('Mail a one-time sign-in link (valid 30 minutes, once) to an email', {
      tags: READERS,
      ok: { 202: 'Accepted, whether or not the email is known' },
      errors: [422, 429],
      description:
        'The link is `articleUrl#comments-verify=CODE`; the widget on that page trades the code for a reader token. `articleUrl` must be the recorded address of the article `articleId` names (a new article is recorded with it), or of some article when no `articleId` is sent. With a `nonce` (16–128 letters, digits, `-`, `_`, kept by the asking browser) the code is confirmed only with the same nonce.',
    }),
    validate('json', verifyRequestSchema),
    async (c) => {
      const input = c.req.valid('json')
      const services = c.var.services
      const now = services.now()
      // The link carries a sign-in code: it may only point at an article page of a publisher's site (or
      // ours), never at any page there (an open redirect, a page with someone else's script).
      if (!services.onPublisherSite(c, input.articleUrl)) {
        throw new AppError(422, 'validation_failed', 'Some fields need attention', {
          articleUrl: 'This page is not on a site these comments serve',
        })
      }
      await limitPerAddress(c, 'verify', REQUESTS_PER_IP_HOUR, 3600)
      if (!(await isKnownArticlePage(c.var.db, input.articleUrl, input.articleId))) {
        throw new AppError(422, 'validation_failed', 'Some fields need attention', {
          articleUrl: 'This page is not an article these comments know',
        })
      }
      // Past the mailbox's limit the answer is the same 202: it must not tell anyone what was sent where.
      // The limit follows the mailbox, not its spelling: "+tags" and Gmail's dots buy no extra mails.
      const perAddress = await hitRateLimit(
        c.var.db,
        `verify:email:${await services.keyedHash(`email:${canonicalEmail(input.email)}`)}`,
        MAILS_PER_ADDRESS_HOUR,
        3600,
        now,
      )
      if (perAddress.allowed) {
        const code = await createVerifyCode(c.var.db, { email: input.email, lang: input.lang ?? null, nonce: input.nonce ?? null }, now)
        const link = new URL(input.articleUrl)
        link.hash = `comments-verify=${code}`
        const settings = await getSiteSettings(c.var.db)
        const mail = verifyEmailMail({
          to: input.email,
          lang: pickLanguage(input.lang),
          siteName: siteNameFor(settings, input.articleUrl),
          articleTitle: await articleTitleOf(c.var.db, input.articleUrl, input.articleId),
          link: link.toString(),
          validMinutes: VERIFY_CODE_MINUTES,
        })
        await enqueueMail(c.var.db, [{ kind: 'verify', ...mail }], { expireInSeconds: services.config.mailExpireSeconds })
      }
      c.header('Cache-Control', 'no-store')
      return c.json({ ok: true }, 202)
    },
  )
  .post(
    '/verify/confirm',
    doc('Trade a one-time code for a reader token; `name` (what the reader typed) names a new verified reader', {
      tags: READERS,
      ok: { 200: '{readerToken, reader}' },
      errors: [400, 422, 429],
      description: 'A code asked for with a `nonce` is confirmed only with that nonce; a try without it answers 400 and spends the code.',
    }),
    validate('json', z.object({ code: z.string().max(200), name: readerNameSchema.optional(), nonce: nonceSchema.optional() })),
    async (c) => {
      await limitPerAddress(c, 'confirm', CONFIRMS_PER_IP_10_MINUTES, 600)
      const now = c.var.services.now()
      const { code, name, nonce } = c.req.valid('json')
      const spent = await spendVerifyCode(c.var.db, code, nonce ?? null, now)
      if (!spent) throw new AppError(400, 'invalid_code', 'This link was already used or has expired; ask for a new one')
      // The name comes from the browser that opened the link, never from whoever asked for it.
      const proven = await verifiedEmailReader(c.var.db, { email: spent.email, name: name ?? null, lang: spent.lang }, now)
      // A mailbox whose last account was erased under a restriction gets it back.
      const reader = await restoreRestrictions(c.var.db, c.var.services.keyedHash, proven, now)
      c.header('Cache-Control', 'no-store')
      return c.json({ readerToken: await issueReaderToken(c.var.db, reader.id, now), reader: toReaderView(reader) })
    },
  )
  .post(
    '/sso',
    doc("Trade the publisher's sign-in token (HS256 JWT) for a reader token; a token with a `jti` is traded once", {
      tags: READERS,
      ok: { 200: '{readerToken, reader}' },
      errors: [401, 422, 429],
    }),
    validate('json', z.object({ token: z.string().max(4096), lang: z.string().trim().max(35).optional() })),
    async (c) => {
      await limitPerAddress(c, 'sso', SSO_TRADES_PER_IP_MINUTE, 60)
      const now = c.var.services.now()
      const { token, lang } = c.req.valid('json')
      const claims = await verifySsoToken((await getSiteSettings(c.var.db)).ssoSecret, token, now)
      // A token that names itself is a ticket: whoever copies it off the page after the reader cannot use it again.
      if (claims.tokenId !== null && !(await spendSsoToken(c.var.db, claims.tokenId, claims.expiresAt, now))) {
        throw new AppError(401, 'invalid_sso_token', 'This sign-in token was already used')
      }
      // The publisher's name for its user goes through the rules a typed name does.
      const name = publishableName(claims.name, NOTICES[pickLanguage(lang)].unnamed)
      const reader = await restoreRestrictions(c.var.db, c.var.services.keyedHash, await ssoReader(c.var.db, { ...claims, name }, now), now)
      if (lang && reader.lang !== lang) await c.var.db.updateTable('commenters').set({ lang }).where('id', '=', reader.id).execute()
      // The widget trades on every page view: the token it held until now is done.
      const previous = bearerToken(c.req.header('authorization'))
      const held = previous ? await readerByToken(c.var.db, previous, now) : null
      if (held) await revokeReaderToken(c.var.db, held.token_hash, now)
      c.header('Cache-Control', 'no-store')
      return c.json({ readerToken: await issueReaderToken(c.var.db, reader.id, now, claims.expiresAt), reader: toReaderView(reader) })
    },
  )
  // Everything below acts as the reader a bearer token names; the routes above need no sign-in.
  .use(readerFromToken)
  .get('/me', doc('The signed-in reader', { tags: READERS, ok: { 200: '{reader}' }, errors: [401] }), requireReader, (c) => {
    c.header('Cache-Control', 'no-store')
    return c.json({ reader: toReaderView(c.var.reader!) })
  })
  .patch(
    '/me',
    doc('Change your name, language or mail preferences', { tags: READERS, ok: { 200: '{reader}' }, errors: [401, 422] }),
    requireReader,
    validate(
      'json',
      z.object({ name: readerNameSchema.optional(), lang: z.string().trim().max(35).optional(), notify: notifySchema.optional() }).strict(),
    ),
    async (c) => {
      const reader = c.var.reader!
      const input = c.req.valid('json')
      // The publisher names its own readers: an SSO reader's name comes from the sign-in token.
      if (input.name !== undefined && reader.kind === 'sso')
        throw new AppError(422, 'validation_failed', 'Some fields need attention', {
          name: 'Your name comes from your account on this site',
        })
      const updated = await c.var.db
        .updateTable('commenters')
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.lang !== undefined ? { lang: input.lang } : {}),
          ...(input.notify !== undefined ? { notify: JSON.stringify({ ...reader.notify, ...input.notify }) } : {}),
          updated_at: c.var.services.now(),
        })
        .where('id', '=', reader.id)
        .returningAll()
        .executeTakeFirstOrThrow()
      return c.json({ reader: toReaderView(updated) })
    },
  )
  .post(
    '/signout',
    doc('Sign this device out (revokes its reader token)', { tags: READERS, ok: { 204: 'Signed out' }, errors: [401] }),
    requireReader,
    async (c) => {
      await revokeReaderToken(c.var.db, c.var.reader!.token_hash, c.var.services.now())
      return c.body(null, 204)
    },
  )
  .post(
    '/me/signout-everywhere',
    doc('Sign out on every device: revokes every reader token of yours, this one included', {
      tags: READERS,
      ok: { 200: '{signedOut}: how many sign-ins ended' },
      errors: [401],
    }),
    requireReader,
    async (c) => {
      c.header('Cache-Control', 'no-store')
      return c.json({ signedOut: await revokeReaderTokens(c.var.db, c.var.reader!.id, c.var.services.now()) })
    },
  )
  .post(
    '/me/account-link',
    doc(
      `A link to your account page on this server (data, mail preferences, deleting the account), valid ${ACCOUNT_LINK_MINUTES} minutes`,
      { tags: READERS, ok: { 200: '{path}: to open on this server' }, errors: [401, 422] },
    ),
    requireReader,
    validate(
      'json',
      z.object({
        articleUrl: z
          .url({ protocol: /^https?$/ })
          .max(2048)
          .optional(),
      }),
    ),
    async (c) => {
      c.header('Cache-Control', 'no-store')
      const { articleUrl } = c.req.valid('json')
      // The page links back only to a page on the publisher's site.
      const back = articleUrl && c.var.services.onPublisherSite(c, articleUrl) ? articleUrl : null
      return c.json({ path: await accountPath(c.var.services.config.ipHashSecret, c.var.reader!.id, c.var.services.now(), back) })
    },
  )
  .get(
    '/me/data',
    doc('Download everything stored about you (JSON)', { tags: READERS, ok: { 200: 'A JSON file' }, errors: [401] }),
    requireReader,
    async (c) => {
      c.header('Cache-Control', 'no-store')
      c.header('Content-Disposition', 'attachment; filename="my-comments.json"')
      return c.json(await exportCommenter(c.var.db, c.var.reader!.id, c.var.services.now()))
    },
  )
  .delete(
    '/me',
    doc('Delete your account: your identity and comments go; comments others replied to stay as empty tombstones', {
      tags: READERS,
      ok: { 200: '{erased, comments}' },
      errors: [401],
    }),
    requireReader,
    async (c) => {
      const reader = c.var.reader!
      return c.json(
        published(c, await eraseCommenter(c.var.db, reader.id, SELF_SERVICE, 'remove', c.var.services.keyedHash, c.var.services.now())),
      )
    },
  )
