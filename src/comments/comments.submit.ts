// Posting a comment: the write path. Who writes and where, the limits, screening, then the comment, its
// counters and its audit row stored in one statement before anyone is answered. Two round trips to the
// database for a post (the checks, the store), the settings being kept in memory; under load the stores
// of posts arriving together share one statement (comments.group-commit.ts).
import { effectiveMode, isOpen } from '../articles/articles.repository.js'
import { canonicalEmail, normalizeEmail } from '../commenters/commenters.repository.js'
import type { Done, RequestFacts } from '../events/events.js'
import type { CommenterRow, Db } from '../platform/db/database.js'
import type { CoreServices } from '../platform/lib/config.js'
import { AppError } from '../platform/lib/errors.js'
import { newId } from '../platform/lib/ids.js'
import type { ActiveModels } from '../screening/screening.active.js'
import type { ExternalScreening } from '../screening/screening.external.js'
import { prepareSubmission } from '../screening/screening.pipeline.js'
import { getSiteSettings } from '../settings/settings.repository.js'
import { NOTICES } from '../platform/i18n/i18n.reader.js'
import { type GuestRow, checkPost } from './comments.checks.js'
import { storeComment } from './comments.group-commit.js'
import type { CommentInput } from './comments.schema.js'
import { auditReasonOf, holdFor, modelVersionOf, refuseOverLimit, screen } from './comments.screen.js'
import { findByIdempotencyKey, outcomeOf, type PostOutcome, replayOf, threadOfReply, type Writer, writerOf } from './comments.writer.js'

export type { PostOutcome }

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

export type SubmitServices = CoreServices & {
  external: ExternalScreening
  /**
   * Live notices travel by NOTIFY (the default on Node): the statement that stores a comment sends its
   * notice too. Otherwise (a Durable Object on Workers) the live subscriber announces it.
   */
  liveByNotify?: boolean
  /** The site's active screening model, as this process knows it. */
  models: ActiveModels
}

/** A guest posting for the first time, as screening sees them. */
const NEW_GUEST: Omit<GuestRow, 'id'> = {
  status: 'normal',
  approved_count: 0,
  rejected_count: 0,
  suspended_until: null,
  shadow_banned: false,
}

/** Posts a comment (below), counting how it ended: published, held, rejected by screening, or refused. */
export async function submitComment(db: Db, services: SubmitServices, request: SubmitRequest): Promise<Done<PostOutcome>> {
  try {
    const done = await submit(db, services, request)
    services.metrics.commentSubmitted(done.value.httpStatus === 201 ? 'published' : 'held')
    return done
  } catch (error) {
    // Screening's rejection is stored and answered 422 (outcomeOf); every other 4xx refused the post unstored.
    if (error instanceof AppError && error.status < 500)
      services.metrics.commentSubmitted(error.code === 'rejected_content' ? 'rejected' : 'refused')
    throw error
  }
}

async function submit(db: Db, services: SubmitServices, request: SubmitRequest): Promise<Done<PostOutcome>> {
  const { articleId, comment: input, facts } = request
  const now = services.now()
  const settings = await getSiteSettings(db)
  const lang = facts.language
  const say = NOTICES[lang]
  const writer = writerOf(request.reader, input, settings, say.verifyFirst)
  const answered = (value: PostOutcome): Done<PostOutcome> => ({ value, events: [] })
  const ipHash = facts.addressHash

  const checks = await checkPost(db, {
    articleId,
    writer,
    idempotencyKey: input.idempotencyKey,
    parentId: input.parentId,
    formToken: input.formToken,
    addressHash: ipHash,
    perMinute: settings.rateLimitPerMinute,
    secret: services.config.ipHashSecret,
    keyedHash: services.keyedHash,
    now,
  })
  if (checks.replay && input.idempotencyKey) {
    const previous = await findByIdempotencyKey(db, articleId, input.idempotencyKey)
    if (previous) return answered(replayOf(previous, writer, lang))
  }

  // Every refusal comes before anything is created: a refused post leaves no article and no commenter.
  if (writer.reader?.status === 'banned') throw new AppError(403, 'commenter_banned', say.banned)
  const suspendedUntil = writer.reader?.suspended_until
  if (suspendedUntil && suspendedUntil > now) throw new AppError(403, 'commenter_suspended', say.suspended(suspendedUntil))
  const existingArticle = checks.article
  if (existingArticle && !isOpen(existingArticle, settings, now)) throw new AppError(403, 'comments_closed', say.closed)
  refuseOverLimit(checks.limits, 'comments')
  const banned = checks.banned
  const guest = writer.reader ? null : (checks.guest ?? { id: newId(), ...NEW_GUEST })
  const commenter = writer.reader ?? guest!
  const shadowWriterId = commenter.shadow_banned ? commenter.id : null
  const rootId = input.parentId ? threadOfReply(articleId, checks.parent, checks.root, shadowWriterId) : null
  const verified = writer.reader !== null

  let decision = await screen(
    services,
    prepareSubmission({ authorName: writer.name, body: input.body, honeypot: input.website, isReply: input.parentId !== undefined }),
    {
      settings,
      mode: effectiveMode(existingArticle, settings),
      commenter: {
        status: commenter.status,
        approvedCount: commenter.approved_count,
        rejectedCount: commenter.rejected_count,
        // A guest's email proves nothing, so a guest's trust and history lift no rule.
        verified,
      },
      recentBodies: checks.recentBodies,
      formAge: checks.formAge,
      siteModel: await services.models.current(db, now),
    },
    {
      body: input.body,
      authorName: writer.name,
      email: writer.email ?? '',
      ip: facts.ip,
      userAgent: facts.userAgent,
      articleUrl: existingArticle?.url ?? request.page.url ?? null,
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

  const noticeId = services.liveByNotify ? newId() : null
  const stored = await storeComment(db, {
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
    screening: { verdict: decision.verdict, reasons: decision.reasons },
    ip_hash: ipHash,
    idempotency_key: input.idempotencyKey ?? null,
    verified,
    // For moderators, with the words a rule matched (the writer's message leaves them out).
    audit_reason: shadow ? 'Shadow-banned commenter: shown to its writer only' : auditReasonOf(decision),
    // Mail goes only to a mailbox its owner proved: a guest could type anyone's email.
    notify: verified && writer.email !== null && input.notify === true,
    created_at: now,
    notice_id: noticeId,
    guest: writer.reader
      ? null
      : {
          email: writer.email,
          email_normalized: normalizeEmail(writer.email),
          email_canonical: canonicalEmail(writer.email),
          isNew: checks.guest === null,
        },
    // A new article, or one created without its page's title or address (by a sign-in link, a form without
    // those fields, an import): the first post that carries them fills them in; what is set stays.
    new_article:
      !existingArticle || (existingArticle.title === null && request.page.title) || (existingArticle.url === null && request.page.url)
        ? { url: request.page.url ?? null, title: request.page.title ?? null }
        : null,
  })
  // Lost an idempotency race to a concurrent identical request: answer as that one did.
  if (!stored) return answered(replayOf((await findByIdempotencyKey(db, articleId, input.idempotencyKey ?? ''))!, writer, lang))
  const outcome = outcomeOf(stored, lang)
  // A refused or shadow comment reaches nobody: nothing to tell.
  if (stored.status === 'rejected' || stored.shadow) return answered(outcome)
  const noticeSent = noticeId !== null
  const event =
    stored.status === 'approved'
      ? { type: 'comment.published' as const, commentId: stored.id, articleId, reply: stored.parent_id !== null, noticeSent }
      : { type: 'comment.held' as const, commentId: stored.id, articleId, noticeSent }
  return { value: outcome, events: [event] }
}

export type { Writer }
