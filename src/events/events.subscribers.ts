import { deliverWebhook } from '../moderation/moderation.webhooks.js'
import type { PublicCache } from '../public-cache/public-cache.store.js'
import { type Subscriber, articlesChangedBy } from './events.js'

/**
 * The public cache drops, on this replica and at once, the articles an event changed; other replicas
 * see the new article version within a second.
 */
export const publicCacheSubscriber =
  (cache: PublicCache): Subscriber =>
  (event) => {
    const articles = articlesChangedBy(event)
    if (articles === null) return cache.forget(null)
    for (const articleId of articles) cache.forget(articleId)
  }

const WEBHOOK_TYPES = new Set(['comment.published', 'comment.held', 'comment.reported'])

/** The site's webhook hears about comments published, held and reported. */
export const webhookSubscriber =
  (options: Parameters<typeof deliverWebhook>[2]): Subscriber =>
  (event, { db }) => {
    if (!WEBHOOK_TYPES.has(event.type) || !('commentId' in event)) return
    return deliverWebhook(db, { type: event.type as 'comment.published' | 'comment.held' | 'comment.reported', commentId: event.commentId }, options)
  }
