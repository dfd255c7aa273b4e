// How long comments wait for a moderator, measured from the decisions' own events: the decision code stays
// as it is, and the Worker (which counts nothing) does no work for it.
import type { Subscriber } from '../events/events.js'
import { type Metrics, noMetrics } from '../platform/ops/ops.metrics.js'

/** A first decision is one whose `first_decided_at` was set this recently (the transaction just committed). */
const JUST_DECIDED_MS = 60_000

/**
 * Observes, per comment, the time from its arrival to a moderator's first decision (`first_decided_at`, set
 * once by comments.status). A later decision on the same comment finds that time long past and is not
 * counted again; the few ids seen lately guard against two decisions within the same minute.
 */
export function decisionTimer(metrics: Metrics, now: () => Date): Subscriber {
  if (metrics === noMetrics) return () => undefined
  const seen = new Set<string>()
  return (event, { db }) => {
    if ((event.type !== 'comment.published' && event.type !== 'comment.rejected') || !event.byModerator) return undefined
    if (seen.has(event.commentId)) return undefined
    return (async () => {
      const row = await db
        .selectFrom('comments')
        .select(['created_at', 'first_decided_at'])
        .where('id', '=', event.commentId)
        .executeTakeFirst()
      if (!row?.first_decided_at || now().getTime() - row.first_decided_at.getTime() > JUST_DECIDED_MS) return
      if (seen.size >= 1000) seen.clear()
      seen.add(event.commentId)
      metrics.decided(Math.max(0, (row.first_decided_at.getTime() - row.created_at.getTime()) / 1000))
    })()
  }
}
