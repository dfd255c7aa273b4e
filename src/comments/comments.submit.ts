// Posting a comment: the write path. Who writes and where, the limits, screening, then the comment, its
// counters and its audit row stored in one statement before anyone is answered.
import { effectiveMode, ensureArticle, findArticle, isOpen } from '../articles/articles.repository.js'
import { normalizeEmail, upsertGuest } from '../commenters/commenters.repository.js'
import { banSignal } from '../commenters/commenters.restrictions.js'
import type { Done, RequestFacts } from '../events/events.js'
import type { CommenterRow, Db } from '../platform/db/database.js'
import type { CoreServices } from '../platform/lib/config.js'
import { AppError } from '../platform/lib/errors.js'
import { newId } from '../platform/lib/ids.js'
import type { ActiveModels } from '../screening/screening.active.js'
import type { ExternalScreening } from '../screening/screening.external.js'
import { checkFormToken } from '../screening/screening.form-token.js'
import { prepareSubmission } from '../screening/screening.pipeline.js'
import { getSiteSettings } from '../settings/settings.repository.js'
import { NOTICES } from '../platform/i18n/i18n.reader.js'
import type { CommentInput } from './comments.schema.js'
import { auditReasonOf, countWrite, holdFor, modelVersionOf, screen } from './comments.screen.js'
import { insertScreenedComment } from './comments.status.js'
import { findByIdempotencyKey, outcomeOf, type PostOutcome, replayOf, threadOfReply, type Writer, writerOf } from './comments.writer.js'

export type { PostOutcome }

/** Bodies posted again within this window by the same commenter are refused as duplicates. */
const DUPLICATE_WINDOW_MS = 10 * 60_000

export interface SubmitRequest {
  articleId: string
  comment: CommentInput
  /** The verified reader a bearer token stands for; null for a guest, who types a name and email. */
  reader: CommenterRow | null
  facts: RequestFacts
  /**
   * The article's page as the post names it (its first post titles a new article), passed on only when
   * the door found the page on a publisher's site: a stranger cannot title someone else's article.
   */
  page: { url?: string; title?: string }
}

/** `models`: the site's active screening model, as this process knows it. */
export type SubmitServices = CoreServices & { external: ExternalScreening; models: ActiveModels }

export async function submitComment(db: Db, services: SubmitServices, request: SubmitRequest): Promise<Done<PostOutcome>> {
  const { articleId, comment: input, facts } = request
  const now = services.now()
  const settings = await getSiteSettings(db)
  const lang = facts.language
  const say = NOTICES[lang]
  const writer = writerOf(request.reader, input, settings, say.verifyFirst)
  const answered = (value: PostOutcome): Done<PostOutcome> => ({ value, events: [] })

  if (input.idempotencyKey) {
    const previous = await findByIdempotencyKey(db, articleId, input.idempotencyKey)
    if (previous) return answered(replayOf(previous, writer, lang))
  }

  // Every refusal comes before anything is created: a refused post leaves no article and no commenter.
  if (writer.reader?.status === 'banned') throw new AppError(403, 'commenter_banned', say.banned)
  const suspendedUntil = writer.reader?.suspended_until
  if (suspendedUntil && suspendedUntil > now) throw new AppError(403, 'commenter_suspended', say.suspended(suspendedUntil))
  const existingArticle = await findArticle(db, articleId)
  if (existingArticle && !isOpen(existingArticle, settings, now)) throw new AppError(403, 'comments_closed', say.closed)

  const ipHash = facts.addressHash
  if (settings.rateLimitPerMinute > 0) {
    const writerKey = writer.reader
      ? `reader:${writer.reader.id}`
      : `email:${await services.keyedHash(`email:${normalizeEmail(writer.email)}`)}`
    await countWrite(db, settings.rateLimitPerMinute, { addressHash: ipHash, writer: writerKey }, now, 'comments')
  }
  const banned = await banSignal(db, services.keyedHash, { email: writer.email, ipHash }, now)
  const rootId = input.parentId ? await threadOfReply(db, articleId, input.parentId, writer) : null

  const article = existingArticle ?? (await ensureArticle(db, articleId, request.page))
  const commenter = writer.reader ?? (await upsertGuest(db, writer.email, writer.name))
  const verified = writer.reader !== null

  let decision = await screen(
    services,
    prepareSubmission({ authorName: writer.name, body: input.body, honeypot: input.website, isReply: input.parentId !== undefined }),
    {
      settings,
      mode: effectiveMode(article, settings),
      commenter: {
        status: commenter.status,
        approvedCount: commenter.approved_count,
        rejectedCount: commenter.rejected_count,
        // A guest's email proves nothing, so a guest's trust and history lift no rule.
        verified,
      },
      recentBodies: await recentBodies(db, commenter.id, input.idempotencyKey, now),
      formAge: await checkFormToken(db, services.config.ipHashSecret, articleId, input.formToken, now),
      siteModel: await services.models.current(db, now),
    },
    {
      body: input.body,
      authorName: writer.name,
      email: writer.email ?? '',
      ip: facts.ip,
      userAgent: facts.userAgent,
      articleUrl: article.url,
    },
  )
  if (banned) {
    const why =
      banned === 'email' ? 'Posted with the email of a banned commenter' : 'Posted from an address a banned commenter used recently'
    decision = holdFor(decision, 'banned_commenter', why)
  }
  // A guest's address proves nothing: like a ban, a suspension holds a guest's post rather than telling a
  // stranger that the address is suspended. A verified reader was refused above, with the date.
  if (!writer.reader && commenter.suspended_until && commenter.suspended_until > now) {
    const until = commenter.suspended_until.toISOString().slice(0, 16).replace('T', ' ')
    decision = holdFor(decision, 'suspended_commenter', `Posted with the email of a commenter suspended until ${until} UTC`)
  }
  if (decision.reasons.some((r) => r.rule === 'duplicate' && r.verdict === 'reject')) {
    throw new AppError(422, 'duplicate_comment', say.duplicate, { body: say.duplicate })
  }
  // Screened like anyone's (a refusal is still a refusal), then stored where nobody else can see it.
  const shadow = commenter.shadow_banned && decision.verdict !== 'reject'

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
    model_version: modelVersionOf(decision),
    screening: JSON.stringify({ verdict: decision.verdict, reasons: decision.reasons }),
    ip_hash: ipHash,
    idempotency_key: input.idempotencyKey ?? null,
    verified,
    // For moderators, with the words a rule matched (the writer's message leaves them out).
    audit_reason: shadow ? 'Shadow-banned commenter: shown to its writer only' : auditReasonOf(decision),
    // Mail goes only to a mailbox its owner proved: a guest could type anyone's email.
    notify: verified && writer.email !== null && input.notify === true,
    created_at: now,
  })
  // Lost an idempotency race to a concurrent identical request: answer as that one did.
  if (!stored) return answered(replayOf((await findByIdempotencyKey(db, articleId, input.idempotencyKey ?? ''))!, writer, lang))
  const outcome = outcomeOf(stored, lang)
  // A refused or shadow comment reaches nobody: nothing to tell.
  if (stored.status === 'rejected' || stored.shadow) return answered(outcome)
  const type = stored.status === 'approved' ? 'comment.published' : 'comment.held'
  return { value: outcome, events: [{ type, commentId: stored.id, articleId }] }
}

/** What the commenter posted lately, for the duplicate rule; a retry with the same key is the same comment. */
async function recentBodies(db: Db, commenterId: string, idempotencyKey: string | undefined, now: Date): Promise<string[]> {
  let query = db
    .selectFrom('comments')
    .select('body')
    .where('commenter_id', '=', commenterId)
    .where('created_at', '>', new Date(now.getTime() - DUPLICATE_WINDOW_MS))
  if (idempotencyKey) query = query.where((eb) => eb.or([eb('idempotency_key', 'is', null), eb('idempotency_key', '!=', idempotencyKey)]))
  const rows = await query.orderBy('created_at', 'desc').limit(20).execute()
  return rows.map((r) => r.body)
}

export type { Writer }
