import { deliverWebhook } from '../moderation/moderation.webhooks.js'
import type { PublicCache } from '../platform/cache/cache.store.js'
import { type Subscriber, articlesChangedBy } from './events.js'
import type { Db } from '../platform/db/database.js'
import { type LiveNotice, noticeFor } from '../live/live.events.js'
import { newId } from '../platform/lib/ids.js'
import { hitRateLimit } from '../platform/lib/rate-limit.js'

/**
 * The public cache drops, on this replica and at once, the articles an event changed; other replicas
 * see the new article version within a second.
 */
export const publicCacheSubscriber =
  (cache: PublicCache): Subscriber =>
  (event) => {
    const articles = articlesChangedBy(event)
    if (articles === null) cache.forget(null)
    else for (const articleId of articles) cache.forget(articleId)
    return undefined
  }

/** A comment's edits within one such window reach live streams as one notice, at the window's end. */
export const EDIT_NOTICE_SECONDS = 5

/**
 * Live streams hear of changes through the database (NOTIFY on Node, so every replica hears it), or
 * through whatever the runtime plugs in (a Durable Object on Workers).
 */
export const liveSubscriber =
  (announce: (db: Db, notice: LiveNotice) => Promise<void>, now: () => Date): Subscriber =>
  (event, { db }) => {
    const notice = noticeFor(event)
    if (!notice) return undefined
    if (event.type !== 'comment.edited') return announce(db, { ...notice, id: newId() })
    return (async () => {
      // The first edit in the window, on any replica, sends the notice once the window ends; the stream
      // message is built then, from the comment as it stands, so it carries every edit of the window.
      const first = await hitRateLimit(db, `live:edited:${event.commentId}`, 1, EDIT_NOTICE_SECONDS, now())
      if (!first.allowed) return
      // Unref'd on Node: a process on its way out does not stay for a notice.
      await new Promise((resolve) => (setTimeout(resolve, first.retryAfter * 1000) as { unref?: () => void }).unref?.())
      await announce(db, { ...notice, id: newId() })
    })()
  }

const WEBHOOK_TYPES = new Set(['comment.published', 'comment.held', 'comment.reported'])

/** The site's webhook hears about comments published, held and reported. */
export const webhookSubscriber =
  (options: Parameters<typeof deliverWebhook>[2]): Subscriber =>
  (event, { db }) => {
    if (!WEBHOOK_TYPES.has(event.type) || !('commentId' in event)) return
    return deliverWebhook(
      db,
      { type: event.type as 'comment.published' | 'comment.held' | 'comment.reported', commentId: event.commentId },
      options,
    )
  }
