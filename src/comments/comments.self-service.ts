// A verified reader's own comments: edit within ten minutes (screened again, the earlier text kept for
// moderators), and delete (an empty tombstone where others replied, so their replies keep their thread).
import { sql } from 'kysely'
import { effectiveMode, findArticle } from '../articles/articles.repository.js'
import type { CommentRow, CommenterRow, Db } from '../platform/db/database.js'
import type { DomainEvent, Done, RequestFacts } from '../events/events.js'
import { AppError, notFound } from '../platform/lib/errors.js'
import { newId } from '../platform/lib/ids.js'
import { hitRateLimit } from '../platform/lib/rate-limit.js'
import { SYSTEM, WRITER, writeAudit } from '../audit/audit.log.js'
import { changeStatus, setFeatured } from './comments.status.js'
import { combine, prepareSubmission } from '../screening/screening.pipeline.js'
import type { SubmitServices } from './comments.submit.js'
import { getSiteSettings } from '../settings/settings.repository.js'
import { type PublicComment, toPublicComment } from './comments.mapper.js'
import { NOTICES, refusalNotice } from '../platform/i18n/i18n.reader.js'
import { countWrite, modelVersionOf, screen } from './comments.screen.js'
import { pickLanguage } from '../platform/i18n/i18n.js'

export const EDIT_WINDOW_MINUTES = 10
/**
 * Edits of one comment within its edit window. Each stores a revision, screens the text again and
 * empties the article's cached list; a few fix a typo, dozens are a script.
 */
export const EDITS_PER_COMMENT = 5

async function ownComment(db: Db, reader: CommenterRow, id: string): Promise<CommentRow> {
  const comment = await db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst()
  // Someone else's comment answers as a missing one: ids are no way to probe who wrote what.
  if (!comment || comment.commenter_id !== reader.id || comment.deleted) throw notFound('Comment')
  return comment
}

/**
 * Edits a reader's own comment. The new text is screened in full: a refusal leaves the comment as it
 * was; a hold takes a published comment back to the queue. A comment that waits keeps waiting.
 */
export async function editOwnComment(
  db: Db,
  services: SubmitServices,
  reader: CommenterRow,
  id: string,
  body: string,
  facts: Pick<RequestFacts, 'addressHash'>,
): Promise<Done<PublicComment>> {
  const now = services.now()
  const comment = await ownComment(db, reader, id)
  if (now.getTime() - new Date(comment.created_at).getTime() > EDIT_WINDOW_MINUTES * 60_000) {
    throw new AppError(403, 'edit_window_closed', `Comments can be edited for ${EDIT_WINDOW_MINUTES} minutes after posting`)
  }
  if (comment.status === 'rejected' && !comment.shadow)
    throw new AppError(403, 'forbidden', 'A comment that was not published cannot be edited')
  // A ban or a suspension stops edits too, as they stop posts: an edit is new text. (Deleting one's own
  // comment stays open: it only takes words away.)
  const say = NOTICES[pickLanguage(reader.lang)]
  if (reader.status === 'banned') throw new AppError(403, 'commenter_banned', say.banned)
  if (reader.suspended_until && reader.suspended_until > now)
    throw new AppError(403, 'commenter_suspended', say.suspended(reader.suspended_until))
  // A shadow comment is "published" to its writer, and only to them: so it is edited, quietly.
  const seenAs = comment.shadow ? 'approved' : comment.status
  if (body === comment.body) return { value: toPublicComment(comment, seenAs), events: [] }
  const [settings, article] = await Promise.all([getSiteSettings(db), findArticle(db, comment.article_id)])
  // Counted before screening, which may ask outside services: first against the comment's own allowance,
  // then with the writer's posts, from the address and by the reader.
  const perComment = await hitRateLimit(db, `edit:comment:${id}`, EDITS_PER_COMMENT, EDIT_WINDOW_MINUTES * 60, now)
  if (!perComment.allowed) {
    throw new AppError(
      429,
      'rate_limited',
      `This comment was edited ${EDITS_PER_COMMENT} times already; try again in ${perComment.retryAfter} seconds`,
      undefined,
      { 'Retry-After': String(perComment.retryAfter) },
    )
  }
  await countWrite(db, settings.rateLimitPerMinute, { addressHash: facts.addressHash, writer: `reader:${reader.id}` }, now, 'edits')
  const submission = prepareSubmission({ authorName: comment.author_name, body, honeypot: undefined, isReply: comment.parent_id !== null })
  let decision = await screen(
    services,
    submission,
    {
      settings,
      mode: effectiveMode(article, settings),
      commenter: { status: reader.status, approvedCount: reader.approved_count, rejectedCount: reader.rejected_count, verified: true },
      recentBodies: [],
      // The post passed the bot checks already; an edit made seconds later is no sign of a bot.
      formAge: Number.POSITIVE_INFINITY,
      siteModel: await services.models.current(db, now),
    },
    { body, authorName: comment.author_name, email: reader.email ?? '', ip: null, userAgent: null, articleUrl: article?.url ?? null },
  )
  // In pre-moderation an edit of a published comment goes back to a moderator like any new text.
  if (decision.verdict === 'publish' && comment.status === 'approved' && effectiveMode(article, settings) === 'pre') {
    decision = combine([
      decision,
      { verdict: 'hold', reasons: [{ rule: 'edited', verdict: 'hold', message: 'Edited after publication (pre-moderation)' }] },
    ])
  }
  if (decision.verdict === 'reject') {
    // In the language the reader signed in with (the article's): the same words a refused post gets.
    const message = refusalNotice(pickLanguage(reader.lang), decision.reasons)
    throw new AppError(422, 'rejected_content', message, { body: message })
  }
  const events: DomainEvent[] = []
  const updated = await db.transaction().execute(async (trx) => {
    // Screening took time (external services too): a moderator may have decided meanwhile.
    const current = await trx
      .selectFrom('comments')
      .select(['status', 'deleted', 'body'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
    if (!current || current.deleted || current.status !== comment.status || current.body !== comment.body) {
      throw new AppError(409, 'conflict', 'This comment changed while you edited it; reload and try again')
    }
    await trx
      .insertInto('comment_revisions')
      .values({
        id: newId(now.getTime()),
        comment_id: id,
        body: comment.body,
        screening: JSON.stringify(comment.screening),
        created_at: now,
      })
      .execute()
    await trx
      .updateTable('comments')
      .set({
        body,
        screening: JSON.stringify({ verdict: decision.verdict, reasons: decision.reasons }),
        risk: decision.risk,
        model_version: modelVersionOf(decision),
        flagged: decision.flagged,
        edited_at: now,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute()
    await writeAudit(trx, {
      commentId: id,
      commenterId: reader.id,
      articleId: comment.article_id,
      actor: WRITER,
      action: 'edit',
      from: comment.status,
      to: comment.status,
    })
    // A pick was chosen for the words it had: new words are not picked until a moderator picks them again.
    if (comment.featured) await setFeatured(trx, id, false, SYSTEM, 'edited by its writer after it was picked')
    if (decision.verdict === 'hold' && comment.status === 'approved') {
      await changeStatus(trx, id, { to: 'pending', actor: SYSTEM, action: 'screened', reason: 'held after an edit' })
      events.push({ type: 'comment.held', commentId: id, articleId: comment.article_id, wasPublic: true })
    } else if (comment.status === 'approved') {
      await trx.updateTable('articles').set({ version: sql`version + 1` }).where('id', '=', comment.article_id).execute()
    }
    return trx.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  })
  if (!updated.shadow) events.push({ type: 'comment.edited', commentId: id, articleId: comment.article_id })
  return { value: toPublicComment(updated, updated.shadow ? 'approved' : updated.status), events }
}

/**
 * Deletes a reader's own comment. One nobody answered and no moderator turned down is gone; otherwise an
 * empty tombstone stays: it holds the thread for the replies, and a rejection stays on the record (the
 * audit log and the writer's tally).
 */
export async function deleteOwnComment(db: Db, reader: CommenterRow, id: string): Promise<Done<{ deleted: true; tombstone: boolean }>> {
  const comment = await ownComment(db, reader, id)
  const tombstone = await db.transaction().execute(async (trx) => {
    const replies = await trx.selectFrom('comments').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst()
    const keep = replies !== undefined || (comment.status === 'rejected' && !comment.shadow)
    await writeAudit(trx, {
      commenterId: reader.id,
      articleId: comment.article_id,
      actor: WRITER,
      action: 'delete_own',
      from: comment.status,
      reason: replies ? 'kept as a tombstone: it has replies' : null,
    })
    await trx.deleteFrom('comment_revisions').where('comment_id', '=', id).execute()
    await trx.deleteFrom('screening_examples').where('comment_id', '=', id).execute()
    if (keep) {
      // Nothing of the words or the writer stays: no text, name, matched spans, address or badge.
      await trx
        .updateTable('comments')
        .set({
          body: '',
          author_name: '[deleted]',
          deleted: true,
          featured: false,
          verified: false,
          screening: '{}',
          ip_hash: null,
          idempotency_key: null,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute()
      await trx.updateTable('articles').set({ version: sql`version + 1` }).where('id', '=', comment.article_id).execute()
      return true
    }
    // Counters as a change away from published would leave them (the rejection it passes through is
    // taken back from the writer's tally), then the row itself.
    await changeStatus(trx, id, { to: 'rejected', actor: WRITER, action: 'delete_own', keepExample: false })
    await trx.updateTable('commenters').set({ rejected_count: sql`greatest(rejected_count - 1, 0)` }).where('id', '=', reader.id).execute()
    await trx.deleteFrom('comments').where('id', '=', id).execute()
    return false
  })
  return { value: { deleted: true, tombstone }, events: [{ type: 'comment.deleted', commentId: id, articleId: comment.article_id }] }
}
