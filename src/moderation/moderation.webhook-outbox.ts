import { toPublicComment } from '../comments/comments.mapper.js'
import type { AnyDb, CommentRow, Executor } from '../platform/db/database.js'
import { type QueueDefinition, bossClient, startOutboxWorker } from '../platform/jobs/jobs.outbox.js'
import { hmacSha256, toHex } from '../platform/lib/crypto.js'
import type { DeliveryResult } from '../platform/ops/ops.metrics.js'
import { getSiteSettings } from '../settings/settings.repository.js'

export type WebhookType = 'comment.published' | 'comment.held' | 'comment.reported'

/** A delivery's job: what happened, to which comment, and when (the payload's `at`, the same every attempt). */
export interface WebhookJob {
  type: WebhookType
  commentId: string
  at: string
}

export const WEBHOOK_QUEUE = 'webhook'

/** A sender has this long (by default) before its delivery is handed to another; see WEBHOOK_EXPIRE_SECONDS. */
export const WEBHOOK_EXPIRE_SECONDS = 60

export const WEBHOOK_QUEUES: QueueDefinition[] = [
  {
    name: WEBHOOK_QUEUE,
    // 5 s, then doubling with jitter: ten tries span about an hour and a half of a receiver being down.
    retryLimit: 10,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: WEBHOOK_EXPIRE_SECONDS,
    // Kept a week after the last attempt: the workspace lists the last hundred.
    retentionMinutes: 7 * 24 * 60,
  },
]

type WebhookRow = Parameters<typeof toPublicComment>[0] & Pick<CommentRow, 'status'> & { title: string | null; url: string | null }

/**
 * What a webhook receives: its delivery id (also the X-Comments-Delivery header), the event, the comment as
 * the public sees it (with its status), and its article.
 */
export function webhookPayload(deliveryId: string, type: WebhookType, row: WebhookRow, at: string) {
  return {
    deliveryId,
    type,
    at,
    comment: toPublicComment(row, row.status),
    article: { id: row.article_id, title: row.title, url: row.url },
  }
}

export interface WebhookSenderOptions {
  fetch?: typeof fetch | undefined
  /** How long one request may take; kept well under the delivery's expiry (default 10 s). */
  timeoutMs?: number | undefined
  /** Told how each attempt ended (webhook_deliveries_total). */
  report?: ((result: DeliveryResult) => void) | undefined
}

/** The request timeout for a delivery expiry: at most 10 s, and at most half the expiry. */
export const webhookTimeoutMs = (expireInSeconds: number) => Math.min(10_000, Math.floor((expireInSeconds * 1000) / 2))

/** What a job's output keeps: the receiver's answer, or why nothing was sent. */
export type DeliveryOutput = { result: 'delivered'; httpStatus: number } | { result: 'skipped'; reason: string }

/**
 * Sends one delivery: the comment as it is now, signed with the site's secret, with the delivery id as a
 * header. Resolves when the receiver took it (2xx) or there is nothing to send; throws otherwise, and pg-boss
 * tries again later.
 */
export async function sendWebhook(
  db: Executor,
  job: { id: string; data: WebhookJob },
  options: WebhookSenderOptions = {},
): Promise<DeliveryOutput> {
  const settings = await getSiteSettings(db)
  if (!settings.webhookUrl) return { result: 'skipped', reason: 'no webhook URL is set' }
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
    .where('comments.id', '=', job.data.commentId)
    .executeTakeFirst()
  // Erased since: nothing about it leaves any more.
  if (!comment) return { result: 'skipped', reason: 'the comment no longer exists' }
  const payload = JSON.stringify(webhookPayload(job.id, job.data.type, comment, job.data.at))
  const signature = settings.webhookSecret ? toHex(await hmacSha256(settings.webhookSecret, payload)) : null
  try {
    const output = await post(settings.webhookUrl, payload, signature, job.id, options)
    options.report?.('delivered')
    return output
  } catch (error) {
    options.report?.('failed')
    throw error
  }
}

async function post(
  url: string,
  payload: string,
  signature: string | null,
  deliveryId: string,
  options: WebhookSenderOptions,
): Promise<DeliveryOutput> {
  const response = await (options.fetch ?? fetch)(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'newsroom-comments-webhook/1',
      'x-comments-delivery': deliveryId,
      ...(signature ? { 'x-comments-signature': `sha256=${signature}` } : {}),
    },
    body: payload,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  })
  // Read to the end (within the timeout), so the connection is free for the next delivery.
  await response.arrayBuffer().catch(() => undefined)
  if (!response.ok) throw new Error(`the receiver answered ${response.status}`)
  return { result: 'delivered', httpStatus: response.status }
}

/** Sends up to `limit` due deliveries; a failure goes back to pg-boss for a retry with backoff. */
export async function drainWebhooks(
  db: Executor,
  options: WebhookSenderOptions = {},
  limit = 10,
): Promise<{ sent: number; failed: number }> {
  const boss = bossClient(db)
  const jobs = (await boss.fetch<WebhookJob>(WEBHOOK_QUEUE, { batchSize: limit })) ?? []
  let sent = 0
  let failed = 0
  for (const job of jobs) {
    try {
      await boss.complete(WEBHOOK_QUEUE, job.id, await sendWebhook(db, job, options))
      sent++
    } catch (error) {
      await boss.fail(WEBHOOK_QUEUE, job.id, { message: (error as Error).message })
      failed++
    }
  }
  return { sent, failed }
}

/**
 * Node: works the webhook queue one delivery at a time. pg-boss's maintenance (the mail worker runs it)
 * hands back a delivery whose sender died once its expiry passes.
 */
export async function startWebhookWorker(
  db: AnyDb,
  options: WebhookSenderOptions & { pollSeconds: number },
): Promise<{ stop(): Promise<void> }> {
  const boss = await startOutboxWorker(db, 'webhook queue')
  await boss.work<WebhookJob>(WEBHOOK_QUEUE, { pollingIntervalSeconds: options.pollSeconds, batchSize: 1 }, async ([job]) =>
    job ? sendWebhook(db, job, options) : undefined,
  )
  return { stop: () => boss.stop({ graceful: true, wait: true, timeout: 5000 }) }
}
