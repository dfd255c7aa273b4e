import { sql } from 'kysely'
import type { CommenterRow, Db } from '../db/database.js'
import { AppError, notFound } from '../lib/errors.js'
import { hitRateLimit } from '../lib/rate-limit.js'

/** Respects one address may give or take back per minute: generous for reading, tight for a script. */
export const RESPECTS_PER_MINUTE = 60

/**
 * Who is respecting: a verified reader is themselves; a guest is their address (as its keyed hash) and
 * their browser (a random id the widget keeps in the page's storage) together, so the table says
 * neither who nor from where.
 */
export function reactorKey(reader: CommenterRow | null, ipHash: string | null, browser: string | undefined): string {
  if (reader) return `r:${reader.id}`
  if (!browser) throw new AppError(422, 'validation_failed', 'Some fields need attention', { browser: 'A guest respects from a browser: send its id' })
  return `g:${ipHash ?? '-'}:${browser}`
}

/**
 * Gives (or takes back) one respect to a published comment, once per reader: saying it twice changes
 * nothing. Answers the comment's count. Lists show counts only, never who, and are not re-rendered for
 * each respect: a cached list catches up within its minute.
 */
export async function setRespect(
  db: Db,
  commentId: string,
  reactor: string,
  respected: boolean,
  limitKey: string | null,
  now: Date,
): Promise<{ respected: boolean; respect: number }> {
  if (limitKey) {
    const limit = await hitRateLimit(db, `respect:${limitKey}`, RESPECTS_PER_MINUTE, 60, now)
    if (!limit.allowed) throw new AppError(429, 'rate_limited', `Too many respects; try again in ${limit.retryAfter} seconds`, undefined, { 'Retry-After': String(limit.retryAfter) })
  }
  return db.transaction().execute(async (trx) => {
    const comment = await trx.selectFrom('comments').select(['status', 'deleted']).where('id', '=', commentId).executeTakeFirst()
    if (!comment || comment.status !== 'approved' || comment.deleted) throw notFound('Comment')
    const changed = respected
      ? await trx.insertInto('comment_reactions').values({ comment_id: commentId, reactor }).onConflict((oc) => oc.doNothing()).executeTakeFirst()
      : await trx.deleteFrom('comment_reactions').where('comment_id', '=', commentId).where('reactor', '=', reactor).executeTakeFirst()
    const rows = Number('numInsertedOrUpdatedRows' in changed ? changed.numInsertedOrUpdatedRows : changed.numDeletedRows)
    const step = rows === 0 ? 0 : respected ? 1 : -1
    const { respect_count } = await trx
      .updateTable('comments')
      .set({ respect_count: sql`greatest(respect_count + ${step}, 0)` })
      .where('id', '=', commentId)
      .returning('respect_count')
      .executeTakeFirstOrThrow()
    return { respected, respect: respect_count }
  })
}
