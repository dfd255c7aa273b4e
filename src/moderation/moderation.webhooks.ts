import { toPublicComment } from '../comments/comments.mapper.js'
import type { CommentRow, Db } from '../platform/db/database.js'
import { hmacSha256, toHex } from '../platform/lib/crypto.js'
import { getSiteSettings } from '../settings/settings.repository.js'
import type { Subscriber } from '../events/events.js'
import type { DeliveryResult } from '../platform/ops/ops.metrics.js'

export interface WebhookEvent {
  type: 'comment.published' | 'comment.held' | 'comment.reported'
  commentId: string
}

const RETRY_DELAYS_MS = [0, 1000, 5000]

type WebhookRow = Parameters<typeof toPublicComment>[0] & Pick<CommentRow, 'status'> & { title: string | null; url: string | null }

/** What a webhook receives: the event, the comment as the public sees it (with its status), and its article. */
export function webhookPayload(type: WebhookEvent['type'], row: WebhookRow, at: Date) {
  return {
    type,
    at: at.toISOString(),
    comment: toPublicComment(row, row.status),
    article: { id: row.article_id, title: row.title, url: row.url },
  }
}

/**
 * Sends one signed event to the configured URL, retrying a few times.
 * Runs after the reader's response; a failure is logged, never surfaced to a reader.
 */
export async function deliverWebhook(
  db: Db,
  event: WebhookEvent,
  options: { fetch?: typeof fetch; now?: () => Date; delays?: number[]; report?: (result: DeliveryResult) => void } = {},
): Promise<boolean> {
  const settings = await getSiteSettings(db)
  if (!settings.webhookUrl) return false
  const comment = await db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .select([
      'comments.id',
      'comments.article_id',
      'comments.parent_id',
      'comments.author_name',
      'comments.body',
      'comments.status',
      'comments.featured',
      'comments.verified',
      'comments.edited_at',
      'comments.deleted',
      'comments.respect_count',
      'comments.created_at',
      'articles.title',
      'articles.url',
    ])
    .where('comments.id', '=', event.commentId)
    .executeTakeFirst()
  if (!comment) return false
  const payload = JSON.stringify(webhookPayload(event.type, comment, options.now?.() ?? new Date()))
  const signature = settings.webhookSecret ? toHex(await hmacSha256(settings.webhookSecret, payload)) : null
  const doFetch = options.fetch ?? fetch
  for (const delay of options.delays ?? RETRY_DELAYS_MS) {
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
    try {
      const response = await doFetch(settings.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'newsroom-comments-webhook/1',
          ...(signature ? { 'x-comments-signature': `sha256=${signature}` } : {}),
        },
        body: payload,
        signal: AbortSignal.timeout(5000),
      })
      if (response.ok) {
        options.report?.('delivered')
        return true
      }
    } catch {
      // retried below
    }
  }
  options.report?.('failed')
  console.error(`[comments] webhook ${event.type} for ${event.commentId} failed after retries`)
  return false
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
