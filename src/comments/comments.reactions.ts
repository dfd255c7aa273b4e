import { sql } from 'kysely'
import type { CommenterRow, Db } from '../platform/db/database.js'
import { AppError, notFound } from '../platform/lib/errors.js'
import { hitRateLimit } from '../platform/lib/rate-limit.js'
import { type Caller, findActionable } from './comments.repository.js'

/** Respects one address may give or take back per minute: generous for reading, tight for a script. */
export const RESPECTS_PER_MINUTE = 60
/**
 * Guests behind one address (a household, an office, a newsroom) who may each respect one comment. The
 * browser id is the guest's own to make up: without this cap, fresh ids would be fresh respects.
 */
export const GUEST_RESPECTS_PER_ADDRESS = 5

/**
 * Who is respecting: a verified reader is themselves; a guest is their address (as its keyed hash) and
 * their browser (a random id the widget keeps in the page's storage) together, so the table says
 * neither who nor from where.
 */
export function reactorKey(reader: CommenterRow | null, addressHash: string, browser: string | undefined): string {
  if (reader) return `r:${reader.id}`
  if (!browser)
    throw new AppError(422, 'validation_failed', 'Some fields need attention', { browser: 'A guest respects from a browser: send its id' })
  return `g:${addressHash}:${browser}`
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
  addressHash: string,
  caller: Caller,
  now: Date,
): Promise<{ respected: boolean; respect: number }> {
  const limit = await hitRateLimit(db, `respect:${addressHash}`, RESPECTS_PER_MINUTE, 60, now)
  if (!limit.allowed)
    throw new AppError(429, 'rate_limited', `Too many respects; try again in ${limit.retryAfter} seconds`, undefined, {
      'Retry-After': String(limit.retryAfter),
    })
  return db.transaction().execute(async (trx) => {
    // Respected as it is seen: published in a visible thread, or a shadow comment by its own writer.
    const comment = await findActionable(trx, commentId, caller, { lock: true })
    if (!comment) throw notFound('Comment')
    // Respect is what others give: a verified reader's own comment is not theirs to respect.
    if (respected && comment.commenter_id !== null && reactor === `r:${comment.commenter_id}`)
      throw new AppError(403, 'forbidden', 'You cannot respect your own comment')
    if (respected && reactor.startsWith('g:')) {
      const prefix = reactor.slice(0, reactor.lastIndexOf(':') + 1)
      const { n } = await trx
        .selectFrom('comment_reactions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('comment_id', '=', commentId)
        .where(sql<boolean>`starts_with(reactor, ${prefix})`)
        .where('reactor', '!=', reactor)
        .executeTakeFirstOrThrow()
      // Quietly no more: the answer is the count as it stands, as a repeat would be.
      if (Number(n) >= GUEST_RESPECTS_PER_ADDRESS) return { respected, respect: comment.respect_count }
    }
    const changed = respected
      ? await trx
          .insertInto('comment_reactions')
          .values({ comment_id: commentId, reactor })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst()
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
