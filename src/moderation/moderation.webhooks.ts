// The site's webhook: every delivery is a pg-boss job in the same outbox as mail, stored before anything is
// sent. pg-boss retries a failed delivery with backoff and takes one back from a sender that died
// mid-request once its expiry passes; the job's id is the delivery id, sent with every attempt so a
// receiver can drop a duplicate. What is sent is built when it is sent (moderation.webhook-outbox.ts).
import { sql } from 'kysely'
import type { Executor } from '../platform/db/database.js'
import { OUTBOX_SCHEMA, bossClient } from '../platform/jobs/jobs.outbox.js'
import { getSiteSettings } from '../settings/settings.repository.js'
import type { Subscriber } from '../events/events.js'
import {
  WEBHOOK_EXPIRE_SECONDS,
  WEBHOOK_QUEUE,
  type WebhookJob,
  type WebhookSenderOptions,
  type WebhookType,
  drainWebhooks,
} from './moderation.webhook-outbox.js'

/** Puts one delivery in the outbox when the site has a webhook; it is durably stored when this resolves. */
export async function enqueueWebhook(db: Executor, job: WebhookJob, options: { expireInSeconds?: number } = {}): Promise<string | null> {
  const settings = await getSiteSettings(db)
  if (!settings.webhookUrl) return null
  return bossClient(db).send(WEBHOOK_QUEUE, job as unknown as object, {
    expireInSeconds: options.expireInSeconds ?? WEBHOOK_EXPIRE_SECONDS,
  })
}

const WEBHOOK_TYPES = new Set<string>(['comment.published', 'comment.held', 'comment.reported'])

/**
 * The site's webhook hears about comments published, held and reported: the delivery is queued, then sent
 * at once from here (with any other due); the outbox's worker, or the Workers' cron, retries what failed.
 */
export const webhookSubscriber =
  (options: WebhookSenderOptions & { now: () => Date; expireInSeconds?: number }): Subscriber =>
  (event, { db }) => {
    if (!WEBHOOK_TYPES.has(event.type) || !('commentId' in event)) return
    return (async () => {
      const job = { type: event.type as WebhookType, commentId: event.commentId, at: options.now().toISOString() }
      const id = await enqueueWebhook(db, job, options)
      if (id) await drainWebhooks(db, options, 3)
    })()
  }

export type DeliveryStatus = 'queued' | 'sending' | 'retrying' | 'delivered' | 'skipped' | 'failed' | 'cancelled'

/** One delivery as administrators see it (the workspace and GET /api/v1/mod/webhooks/deliveries). */
export interface WebhookDelivery {
  id: string
  type: WebhookType
  commentId: string
  status: DeliveryStatus
  attempts: number
  createdAt: string
  lastAttemptAt: string | null
  nextAttemptAt: string | null
  completedAt: string | null
  /** The receiver's answer, or why the last attempt failed or nothing was sent. */
  lastResult: string | null
}

interface JobRow {
  id: string
  state: string
  data: WebhookJob
  retry_count: number
  created_on: Date | string
  started_on: Date | string | null
  start_after: Date | string
  completed_on: Date | string | null
  output: Record<string, unknown> | null
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString())

function lastResultOf(output: JobRow['output']): string | null {
  if (!output) return null
  if (typeof output.httpStatus === 'number') return `HTTP ${output.httpStatus}`
  for (const value of [output.reason, output.message, (output.value as { message?: unknown } | undefined)?.message]) {
    if (typeof value === 'string') return value
  }
  return null
}

function statusOf(row: JobRow): DeliveryStatus {
  switch (row.state) {
    case 'created':
      return 'queued'
    case 'active':
      return 'sending'
    case 'retry':
      return 'retrying'
    case 'completed':
      return row.output?.result === 'skipped' ? 'skipped' : 'delivered'
    case 'cancelled':
      return 'cancelled'
    default:
      return 'failed'
  }
}

/** The last `limit` deliveries, newest first, from the outbox and its archive. */
export async function listWebhookDeliveries(db: Executor, limit = 100): Promise<WebhookDelivery[]> {
  const columns = sql`id::text as id, state::text as state, data, retry_count, created_on, started_on, start_after, completed_on, output`
  const { rows } = await sql<JobRow>`
    select * from (
      select ${columns} from ${sql.table(`${OUTBOX_SCHEMA}.job`)} where name = ${WEBHOOK_QUEUE}
      union all
      select ${columns} from ${sql.table(`${OUTBOX_SCHEMA}.archive`)} where name = ${WEBHOOK_QUEUE}
    ) deliveries
    order by created_on desc, id desc
    limit ${limit}`.execute(db)
  return rows.map((row) => ({
    id: row.id,
    type: row.data.type,
    commentId: row.data.commentId,
    status: statusOf(row),
    attempts: row.started_on === null ? 0 : row.retry_count + 1,
    createdAt: iso(row.created_on)!,
    lastAttemptAt: iso(row.started_on),
    nextAttemptAt: row.state === 'created' || row.state === 'retry' ? iso(row.start_after) : null,
    completedAt: iso(row.completed_on),
    lastResult: lastResultOf(row.output),
  }))
}
