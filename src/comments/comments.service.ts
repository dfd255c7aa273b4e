import type { Context } from 'hono'
import { effectiveMode, ensureArticle, findArticle, isOpen } from '../articles/articles.repository.js'
import type { CommentRow, CommenterRow, Db } from '../platform/db/database.js'
import { AppError } from '../platform/lib/errors.js'
import { newId } from '../platform/lib/ids.js'
import { normalizeEmail, upsertGuest } from '../commenters/commenters.repository.js'
import { banSignal } from '../commenters/commenters.restrictions.js'
import { hitRateLimit } from '../platform/lib/rate-limit.js'
import { insertScreenedComment } from './comments.status.js'
import { checkFormToken } from '../screening/screening.form-token.js'
import { combine, prepareSubmission, runRules } from '../screening/screening.pipeline.js'
import { builtInRules, isTrusted } from '../screening/screening.rules.js'
import type { Decision, ScreeningContext, Submission } from '../screening/screening.types.js'
import type { AppEnv, Services } from '../services.js'
import { getSiteSettings } from '../settings/settings.repository.js'
import type { SiteSettings } from '../settings/settings.schema.js'
import type { CommentInput } from './comments.schema.js'
import { type PublicComment, toPublicComment } from './comments.mapper.js'
import { type ReaderLanguage, readerLanguage, readerText, refusalNotice, waitingNotice } from './comments.notices.js'

export interface PostOutcome {
  httpStatus: 201 | 202
  comment: PublicComment
  /** For a comment that waits: why, in the writer's language. */
  notice?: string
}

const DUPLICATE_WINDOW_MS = 10 * 60_000

/** What the API answers for a stored comment, in the writer's language; an idempotent replay answers the same. */
function outcomeOf(row: CommentRow, lang: ReaderLanguage): PostOutcome {
  // A shadow-banned writer is answered as if published: that is the point of it.
  if (row.shadow) return { httpStatus: 201, comment: toPublicComment(row, 'approved') }
  if (row.status === 'rejected') {
    const message = refusalNotice(lang, row.screening.reasons)
    throw new AppError(422, 'rejected_content', message, { body: message })
  }
  if (row.status === 'approved') return { httpStatus: 201, comment: toPublicComment(row, row.status) }
  return { httpStatus: 202, comment: toPublicComment(row, row.status), notice: waitingNotice(lang, row.screening.reasons) }
}

async function findByIdempotencyKey(db: Db, articleId: string, key: string) {
  return db
    .selectFrom('comments')
    .leftJoin('commenters', 'commenters.id', 'comments.commenter_id')
    .selectAll('comments')
    .select(['commenters.email_normalized as writer_email', 'commenters.kind as writer_kind'])
    .where('comments.article_id', '=', articleId)
    .where('comments.idempotency_key', '=', key)
    .executeTakeFirst()
}

/** Who is posting: a verified reader (bearer token), or a guest with the name and email they typed. */
type Writer = { reader: CommenterRow; name: string; email: string | null } | { reader: null; name: string; email: string }

function writerOf(c: Context<AppEnv>, input: CommentInput, settings: SiteSettings, verifyFirst: string): Writer {
  const reader = c.var.reader
  if (reader) return { reader, name: reader.name, email: reader.email }
  if (settings.requireVerifiedReaders) {
    throw new AppError(403, 'verification_required', verifyFirst)
  }
  if (input.name === undefined || input.email === undefined) {
    throw new AppError(422, 'validation_failed', 'Some fields need attention', missingGuestFields(input))
  }
  return { reader: null, name: input.name, email: input.email }
}

/** A guest's name and email, where the body lacks them (a verified reader's token stands for both). */
export function missingGuestFields(body: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {}
  const missing = (value: unknown) => typeof value !== 'string' || value.trim() === ''
  if (missing(body.name)) fields.name = 'Name is required'
  if (missing(body.email)) fields.email = 'Email is required'
  return fields
}

/** A retry gets the first answer again, but only its own writer: a key is no way to read another's comment. */
function replayOf(
  previous: CommentRow & { writer_email: string | null; writer_kind: string | null },
  writer: Writer,
  lang: ReaderLanguage,
): PostOutcome {
  const { writer_email: writerEmail, writer_kind: writerKind, ...row } = previous
  const sameWriter = writer.reader
    ? row.commenter_id === writer.reader.id
    : writerKind === 'guest' && writerEmail === normalizeEmail(writer.email)
  if (!sameWriter) {
    throw new AppError(409, 'idempotency_conflict', 'This idempotency key was already used for another comment; send a new one')
  }
  return outcomeOf(row, lang)
}

/** The commenter a post would be filed under, when that commenter is shadow-banned; without creating one. */
async function shadowBannedWriterId(db: Db, writer: Writer): Promise<string | null> {
  if (writer.reader) return writer.reader.shadow_banned ? writer.reader.id : null
  const guest = await db
    .selectFrom('commenters')
    .select('id')
    .where('kind', '=', 'guest')
    .where('email_normalized', '=', normalizeEmail(writer.email))
    .where('shadow_banned', '=', true)
    .executeTakeFirst()
  return guest?.id ?? null
}

/**
 * An article's title and URL as the first post names them, kept only when the URL is on a publisher's
 * own site (an allowed origin, or this server's): a stranger cannot title someone else's article.
 * Moderators can correct both later (PUT /api/v1/mod/articles/:id).
 */
function publisherDetails(c: Context, services: Services, input: CommentInput): { url?: string; title?: string } {
  if (!input.articleUrl) return {}
  return services.onPublisherSite(c, input.articleUrl)
    ? { url: input.articleUrl, ...(input.articleTitle ? { title: input.articleTitle } : {}) }
    : {}
}

export interface RequestMeta {
  ip: string | null
  userAgent: string | null
}

/**
 * Counts one write against the site's per-minute limit (`rateLimitPerMinute`), from the address (its
 * network's hash) and by the writer (`reader:ID`, or a guest's `email:HASH`); 429 past either. Posts and
 * edits share the count: each stores text, is screened, and empties the article's cached list.
 */
export async function countWrite(
  db: Db,
  perMinute: number,
  who: { addressHash: string | null; writer: string },
  now: Date,
  what: 'comments' | 'edits',
) {
  if (perMinute <= 0) return
  for (const key of [who.addressHash ? `post:ip:${who.addressHash}` : null, `post:${who.writer}`]) {
    if (!key) continue
    const limit = await hitRateLimit(db, key, perMinute, 60, now)
    if (!limit.allowed)
      throw new AppError(429, 'rate_limited', `Too many ${what}; try again in ${limit.retryAfter} seconds`, undefined, {
        'Retry-After': String(limit.retryAfter),
      })
  }
}

/**
 * The write path: validate references, rate-limit, screen, then store the comment,
 * its counters and its audit row in one statement before answering.
 */
export async function submitComment(
  c: Context<AppEnv>,
  db: Db,
  services: Services,
  articleId: string,
  input: CommentInput,
  meta: RequestMeta,
): Promise<PostOutcome> {
  const now = services.now()
  const settings = await getSiteSettings(db)
  const lang = readerLanguage(input.lang, c.req.header('accept-language'))
  const say = readerText(lang)
  const writer = writerOf(c, input, settings, say.verifyFirst)

  if (input.idempotencyKey) {
    const previous = await findByIdempotencyKey(db, articleId, input.idempotencyKey)
    if (previous) return replayOf(previous, writer, lang)
  }

  // Every refusal comes before anything is created: a refused post leaves no article and no commenter.
  if (writer.reader?.status === 'banned') throw new AppError(403, 'commenter_banned', say.banned)
  const suspendedUntil = writer.reader?.suspended_until
  if (suspendedUntil && suspendedUntil > now) throw new AppError(403, 'commenter_suspended', say.suspended(suspendedUntil))
  const existingArticle = await findArticle(db, articleId)
  if (existingArticle && !isOpen(existingArticle, settings, now)) throw new AppError(403, 'comments_closed', say.closed)

  const ipHash = await services.addressHash(meta.ip)
  if (settings.rateLimitPerMinute > 0) {
    const writerKey = writer.reader
      ? `reader:${writer.reader.id}`
      : `email:${await services.keyedHash(`email:${normalizeEmail(writer.email)}`)}`
    await countWrite(db, settings.rateLimitPerMinute, { addressHash: ipHash, writer: writerKey }, now, 'comments')
  }

  const banned = await banSignal(db, services.keyedHash, { email: writer.email, ipHash }, now)

  let rootId: string | null = null
  if (input.parentId) {
    const parent = await db
      .selectFrom('comments')
      .select(['id', 'root_id', 'article_id', 'status', 'shadow', 'commenter_id'])
      .where('id', '=', input.parentId)
      .executeTakeFirst()
    // A reply goes only where readers can see it: under an approved comment of an approved thread; or,
    // for a shadow-banned writer, under their own comments that only they see.
    const root = parent?.root_id
      ? await db.selectFrom('comments').select(['status', 'shadow', 'commenter_id']).where('id', '=', parent.root_id).executeTakeFirst()
      : parent
    // Their own shadow comments count only while they are still shadow-banned: a reply after the ban is
    // lifted would be public under a parent nobody sees.
    const visible = async (c: { status: string; shadow: boolean; commenter_id: string | null } | undefined) =>
      c?.status === 'approved' ||
      (c?.shadow === true && c.commenter_id !== null && c.commenter_id === (await shadowBannedWriterId(db, writer)))
    if (!parent || parent.article_id !== articleId || !(await visible(parent)) || !(await visible(root))) {
      throw new AppError(422, 'validation_failed', 'Some fields need attention', {
        parentId: 'The comment you reply to does not exist on this article',
      })
    }
    rootId = parent.root_id ?? parent.id
  }

  const article = existingArticle ?? (await ensureArticle(db, articleId, publisherDetails(c, services, input)))
  const commenter = writer.reader ?? (await upsertGuest(db, writer.email, writer.name))
  const verified = writer.reader !== null

  let recentQuery = db
    .selectFrom('comments')
    .select('body')
    .where('commenter_id', '=', commenter.id)
    .where('created_at', '>', new Date(now.getTime() - DUPLICATE_WINDOW_MS))
  // A retry with the same idempotency key is the same comment, not a duplicate of it.
  const key = input.idempotencyKey
  if (key) recentQuery = recentQuery.where((eb) => eb.or([eb('idempotency_key', 'is', null), eb('idempotency_key', '!=', key)]))
  const recent = await recentQuery.orderBy('created_at', 'desc').limit(20).execute()

  const submission: Submission = prepareSubmission({
    authorName: writer.name,
    body: input.body,
    honeypot: input.website,
    isReply: input.parentId !== undefined,
  })
  const context: ScreeningContext = {
    settings,
    mode: effectiveMode(article, settings),
    commenter: {
      status: commenter.status,
      approvedCount: commenter.approved_count,
      rejectedCount: commenter.rejected_count,
      // A guest's email proves nothing, so a guest's trust and history lift no rule.
      verified,
    },
    recentBodies: recent.map((r) => r.body),
    formAge: await checkFormToken(db, services.config.ipHashSecret, articleId, input.formToken, now),
  }
  let decision = await screen(services, submission, context, {
    body: input.body,
    authorName: writer.name,
    email: writer.email ?? '',
    ip: meta.ip,
    userAgent: meta.userAgent,
    articleUrl: article.url,
  })

  if (banned && decision.verdict !== 'reject') {
    const message =
      banned === 'email' ? 'Posted with the email of a banned commenter' : 'Posted from an address a banned commenter used recently'
    decision = combine([decision, { verdict: 'hold', reasons: [{ rule: 'banned_commenter', verdict: 'hold', message }] }])
  }
  // A guest's address proves nothing: like a ban, a suspension holds a guest's post rather than telling a
  // stranger that the address is suspended. A verified reader was refused above, with the date.
  if (!writer.reader && commenter.suspended_until && commenter.suspended_until > now && decision.verdict !== 'reject') {
    const message = `Posted with the email of a commenter suspended until ${commenter.suspended_until.toISOString().slice(0, 16).replace('T', ' ')} UTC`
    decision = combine([decision, { verdict: 'hold', reasons: [{ rule: 'suspended_commenter', verdict: 'hold', message }] }])
  }
  // Screened like anyone's (a refusal is still a refusal), then stored where nobody else can see it.
  const shadow = commenter.shadow_banned && decision.verdict !== 'reject'

  if (decision.reasons.some((r) => r.rule === 'duplicate' && r.verdict === 'reject')) {
    throw new AppError(422, 'duplicate_comment', say.duplicate, { body: say.duplicate })
  }

  const stored = await insertScreenedComment(db, {
    id: newId(now.getTime()),
    article_id: articleId,
    parent_id: input.parentId ?? null,
    root_id: rootId,
    commenter_id: commenter.id,
    author_name: writer.name,
    body: input.body,
    status: shadow ? 'rejected' : decision.verdict === 'publish' ? 'approved' : decision.verdict === 'hold' ? 'pending' : 'rejected',
    shadow,
    flagged: decision.flagged,
    risk: decision.risk,
    screening: JSON.stringify({ verdict: decision.verdict, reasons: decision.reasons }),
    ip_hash: ipHash,
    idempotency_key: input.idempotencyKey ?? null,
    verified,
    // For moderators, with the words a rule matched (the writer's message leaves them out).
    audit_reason: shadow
      ? 'Shadow-banned commenter: shown to its writer only'
      : decision.verdict === 'publish'
        ? null
        : decision.reasons
            .filter((r) => r.verdict === decision.verdict)
            .map((r) => ((r.match ?? r.term) ? `${r.message} (“${r.match ?? r.term}”)` : r.message))
            .join('; ')
            .slice(0, 500) || null,
    // Mail goes only to a mailbox its owner proved: a guest could type anyone's email.
    notify: verified && writer.email !== null && input.notify === true,
    created_at: now,
  })
  // Lost an idempotency race to a concurrent identical request: answer as that one did.
  if (!stored) return replayOf((await findByIdempotencyKey(db, articleId, input.idempotencyKey ?? ''))!, writer, lang)
  if (stored.status !== 'rejected' && !stored.shadow) {
    services.publish(c, db, [
      { type: stored.status === 'approved' ? 'comment.published' : 'comment.held', commentId: stored.id, articleId },
    ])
  }
  return outcomeOf(stored, lang)
}

export async function screen(
  services: Services,
  submission: Submission,
  context: ScreeningContext,
  externalInput: Parameters<Services['external']['check']>[0],
): Promise<Decision> {
  const builtIn = runRules(builtInRules, submission, context)
  // A rejection needs no second opinion; a verified trusted commenter publishes unless a word rule fires.
  if (builtIn.verdict === 'reject' || isTrusted(context)) return builtIn
  const external = await services.external.check(externalInput, {
    perspective: context.settings.perspectiveEnabled,
    akismet: context.settings.akismetEnabled,
    perspectiveThreshold: context.settings.perspectiveThreshold,
    classifier: context.settings.externalClassifierUrl
      ? {
          url: context.settings.externalClassifierUrl,
          field: context.settings.externalClassifierField,
          threshold: context.settings.externalClassifierThreshold,
        }
      : null,
  })
  return external.length === 0 ? builtIn : combine([builtIn, ...external])
}
