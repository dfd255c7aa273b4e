import { sql } from 'kysely'
import { BANNED_ADDRESS_DAYS } from '../commenters/commenters.restrictions.js'
import type { AnyDb, Executor } from '../platform/db/database.js'
import { OUTBOX_SCHEMA, type QueueDefinition, startOutboxWorker } from '../platform/jobs/jobs.outbox.js'
import { type Log, silentLog } from '../platform/ops/ops.log.js'

const DAY_MS = 86_400_000

/** The default, and the least: a ban holds the addresses its commenter posted from for BANNED_ADDRESS_DAYS. */
export const IP_RETENTION_DEFAULT_DAYS = 90
export const IP_RETENTION_MIN_DAYS = BANNED_ADDRESS_DAYS
/** Sign-in codes and reader tokens are kept a day past their end (a late click is told it expired). */
const ENDED_KEPT_DAYS = 1
/** Finished mail and webhook jobs (sent, failed, cancelled) are kept a week, for the delivery list and support. */
export const FINISHED_JOBS_DAYS = 7

export const RETENTION_QUEUE = 'retention'
/** 03:30 UTC, away from the 07:00 digest. */
export const RETENTION_CRON = '30 3 * * *'
export const RETENTION_QUEUES: QueueDefinition[] = [{ name: RETENTION_QUEUE, retryLimit: 2, retryDelay: 600, expireInSeconds: 1800 }]

export interface RetentionCounts {
  commentAddresses: number
  reporters: number
  sessions: number
  readerTokens: number
  readerCodes: number
  ssoTokenUses: number
  rateLimits: number
  keptRestrictions: number
  finishedJobs: number
}

const count = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) => Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0)

/** One run of the retention rules as of `now`; returns how many rows each touched. */
export async function runRetention(db: Executor, options: { now: Date; ipRetentionDays: number }): Promise<RetentionCounts> {
  const { now } = options
  const cutoff = new Date(now.getTime() - options.ipRetentionDays * DAY_MS)
  const endedCutoff = new Date(now.getTime() - ENDED_KEPT_DAYS * DAY_MS)
  const jobsCutoff = new Date(now.getTime() - FINISHED_JOBS_DAYS * DAY_MS)
  const commentAddresses = count(
    await db
      .updateTable('comments')
      .set({ ip_hash: null })
      .where('ip_hash', 'is not', null)
      .where('created_at', '<', cutoff)
      .executeTakeFirst(),
  )
  const reporters = count(
    await db
      .updateTable('reports')
      .set({ reporter_hash: null })
      .where('reporter_hash', 'is not', null)
      .where('resolved_at', 'is not', null)
      .where('resolved_at', '<', cutoff)
      .executeTakeFirst(),
  )
  const sessions = count(await db.deleteFrom('moderator_sessions').where('expires_at', '<', now).executeTakeFirst())
  const readerTokens = count(
    await db
      .deleteFrom('reader_tokens')
      .where((eb) => eb.or([eb('expires_at', '<', endedCutoff), eb('revoked_at', '<', endedCutoff)]))
      .executeTakeFirst(),
  )
  const readerCodes = count(await db.deleteFrom('reader_codes').where('expires_at', '<', endedCutoff).executeTakeFirst())
  const ssoTokenUses = count(await db.deleteFrom('sso_token_uses').where('expires_at', '<', now).executeTakeFirst())
  const rateLimits = count(await db.deleteFrom('rate_limits').where('expires_at', '<', now).executeTakeFirst())
  const keptRestrictions = count(await db.deleteFrom('kept_restrictions').where('ends_at', '<', now).executeTakeFirst())
  let finishedJobs = 0
  for (const [table, column] of [
    ['job', 'completed_on'],
    ['archive', 'completed_on'],
  ] as const) {
    const { numAffectedRows } = await sql`
      delete from ${sql.table(`${OUTBOX_SCHEMA}.${table}`)}
      where state in ('completed', 'failed', 'cancelled') and ${sql.ref(column)} < ${jobsCutoff}`.execute(db)
    finishedJobs += Number(numAffectedRows ?? 0)
  }
  return { commentAddresses, reporters, sessions, readerTokens, readerCodes, ssoTokenUses, rateLimits, keptRestrictions, finishedJobs }
}

/**
 * Node: schedules the nightly run and works it. The mail worker's pg-boss turns schedules into jobs, and
 * the queue's singleton schedule means one replica runs it per night.
 */
export async function startRetentionWorker(
  db: AnyDb,
  options: { ipRetentionDays: number; now?: () => Date; log?: Log },
): Promise<{ stop(): Promise<void> }> {
  const log = options.log ?? silentLog
  const boss = await startOutboxWorker(db, 'retention job')
  await boss.schedule(RETENTION_QUEUE, RETENTION_CRON, {}, { tz: 'UTC' })
  await boss.work(RETENTION_QUEUE, { pollingIntervalSeconds: 60 }, async () => {
    const counts = await runRetention(db, { now: options.now?.() ?? new Date(), ipRetentionDays: options.ipRetentionDays })
    log.info({ job: RETENTION_QUEUE, ...counts })
    return counts
  })
  return { stop: () => boss.stop({ graceful: true, wait: true, timeout: 5000 }) }
}
