import { sql } from 'kysely'
import { AppError } from '../platform/lib/errors.js'
import { newId, randomTokenId } from '../platform/lib/ids.js'
import { hitRateLimit } from '../platform/lib/rate-limit.js'
import { SYSTEM } from '../audit/audit.log.js'
import { changeStatus } from './comments.status.js'
import { getSiteSettings } from '../settings/settings.repository.js'
import { findActionable } from './comments.repository.js'
import type { z } from 'zod'
import type { reportInputSchema } from './comments.schema.js'
import type { Done } from '../events/events.js'
import type { Db } from '../platform/db/database.js'
import type { CoreServices } from '../platform/lib/config.js'

const REPORTS_PER_MINUTE = 20

export interface ReportRequest {
  commentId: string
  report: z.infer<typeof reportInputSchema>
  /** The verified reader reporting, if signed in: they may act on their own shadow comment. */
  readerId: string | null
  /** The reporter's network: one open report per network and comment. */
  addressHash: string | null
}

/**
 * Files a reader's report on a published comment. One open report per reader and comment;
 * at the site's threshold the comment goes back to the queue for review.
 * Answers false when there is no published comment to report.
 */
export async function fileReport(db: Db, services: Pick<CoreServices, 'now'>, request: ReportRequest): Promise<Done<boolean>> {
  const { commentId, report: input, addressHash } = request
  const now = services.now()
  const thanked = { value: true, events: [] }
  const comment = await findActionable(db, commentId, { readerId: request.readerId, addressHash })
  if (!comment) return { value: false, events: [] }

  // One report per network and comment: a /64's many addresses are one reporter, not a crowd.
  const reporterHash = addressHash ?? `anonymous:${randomTokenId()}`
  const limit = await hitRateLimit(db, `report:${reporterHash}`, REPORTS_PER_MINUTE, 60, now)
  if (!limit.allowed) {
    throw new AppError(429, 'rate_limited', `Too many reports; try again in ${limit.retryAfter} seconds`, undefined, {
      'Retry-After': String(limit.retryAfter),
    })
  }
  // A writer reporting their own shadow comment is thanked as anyone would be; nobody else sees it to weigh.
  if (comment.shadow) return thanked

  const settings = await getSiteSettings(db)
  // A reader whose report a moderator already weighed (and kept the comment) is thanked but not counted
  // again: otherwise the same people could send a kept comment back to the queue at once.
  const weighed = await db
    .selectFrom('reports')
    .select('id')
    .where('comment_id', '=', commentId)
    .where('reporter_hash', '=', reporterHash)
    .where('resolved_at', 'is not', null)
    .executeTakeFirst()
  if (weighed) return thanked
  const filed = await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('reports')
      .values({ id: newId(), comment_id: commentId, reason: input.reason, note: input.note ?? null, reporter_hash: reporterHash })
      .onConflict((oc) => oc.columns(['comment_id', 'reporter_hash']).where('resolved_at', 'is', null).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!inserted) return null
    const { open_reports } = await trx
      .updateTable('comments')
      .set({ open_reports: sql`open_reports + 1` })
      .where('id', '=', commentId)
      .returning('open_reports')
      .executeTakeFirstOrThrow()
    if (open_reports >= settings.reportThreshold) {
      await trx.updateTable('comments').set({ flagged: true }).where('id', '=', commentId).execute()
      await changeStatus(trx, commentId, {
        to: 'pending',
        actor: SYSTEM,
        action: 'held_by_reports',
        reason: `${open_reports} open reports`,
      })
    }
    return { heldForReview: open_reports >= settings.reportThreshold }
  })
  if (!filed) return thanked
  return {
    value: true,
    events: [{ type: 'comment.reported', commentId, articleId: comment.article_id, heldForReview: filed.heldForReview }],
  }
}
