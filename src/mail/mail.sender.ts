import PgBoss from 'pg-boss'
import type { Executor } from '../platform/db/database.js'
import { bossClient, bossDb } from '../platform/jobs/jobs.outbox.js'
import { DIGEST_QUEUE, MAIL_QUEUE, type QueuedMail } from './mail.queue.js'
import type { MailTransport } from '../platform/mail/mail.transport.js'
import type { AnyDb } from '../platform/db/database.js'
import { type Log, errorFields, silentLog } from '../platform/ops/ops.log.js'

const domainOf = (from: string) => /@([^>\s]+)/.exec(from)?.[1] ?? 'localhost'

/** One Message-ID per job: a retried job is the same mail to the receiver. */
export const messageIdOf = (jobId: string, from: string) => `<${jobId}@${domainOf(from)}>`

async function deliver(transport: MailTransport, from: string, job: { id: string; data: QueuedMail }) {
  await transport.send({ ...job.data, from, messageId: messageIdOf(job.id, from) })
}

/**
 * Workers' Cron Trigger: send up to `limit` waiting mails; a failure goes back to pg-boss for a retry with
 * backoff. First pg-boss's maintenance, which hands back mails whose sender died (no process runs it
 * between triggers). A batch stays small enough to finish well inside a mail's expiry.
 */
export async function drainOutbox(
  db: Executor,
  transport: MailTransport,
  from: string,
  limit = 10,
): Promise<{ sent: number; failed: number }> {
  const boss = bossClient(db)
  await boss.maintain()
  const jobs = (await boss.fetch<QueuedMail>(MAIL_QUEUE, { batchSize: limit })) ?? []
  let sent = 0
  let failed = 0
  for (const job of jobs) {
    try {
      await deliver(transport, from, job)
      await boss.complete(MAIL_QUEUE, job.id)
      sent++
    } catch (error) {
      await boss.fail(MAIL_QUEUE, job.id, { message: (error as Error).message })
      failed++
    }
  }
  return { sent, failed }
}

export interface MailWorker {
  stop(): Promise<void>
}

/**
 * Node: works the outbox one mail at a time and keeps the moderators' daily digest on its cron. pg-boss's
 * maintenance runs here too: it hands a mail whose sender died back to the queue after its expiry.
 */
export async function startMailWorker(
  db: AnyDb,
  transport: MailTransport,
  options: { from: string; pollSeconds: number; digest: (db: Executor) => Promise<void>; log?: Log },
): Promise<MailWorker> {
  const log = options.log ?? silentLog
  /** One line per job: its queue, id, kind and time taken, never its recipient or text. */
  const logged = async (queue: string, job: { id: string; data?: unknown }, work: () => Promise<void>) => {
    const start = performance.now()
    const fields = { job: queue, id: job.id, kind: (job.data as { kind?: string } | undefined)?.kind }
    try {
      await work()
      log.info({ ...fields, outcome: 'done', ms: Math.round(performance.now() - start) })
    } catch (error) {
      log.warn({ ...fields, outcome: 'retry', ms: Math.round(performance.now() - start), ...errorFields(error) })
      throw error
    }
  }
  const boss = new PgBoss({
    db: bossDb(db),
    schema: 'pgboss',
    migrate: false,
    supervise: true,
    schedule: true,
    maintenanceIntervalSeconds: Math.max(1, Math.round(options.pollSeconds * 5)),
  } as PgBoss.ConstructorOptions)
  boss.on('error', (error) => log.error(errorFields(error), 'mail queue'))
  await boss.start()
  await boss.work<QueuedMail>(MAIL_QUEUE, { pollingIntervalSeconds: options.pollSeconds, batchSize: 1 }, async ([job]) => {
    if (job) await logged(MAIL_QUEUE, job, () => deliver(transport, options.from, job))
  })
  await boss.schedule(DIGEST_QUEUE, '0 7 * * *', {}, { tz: 'UTC' })
  await boss.work(DIGEST_QUEUE, { pollingIntervalSeconds: Math.max(options.pollSeconds, 30) }, async ([job]) =>
    job ? logged(DIGEST_QUEUE, job, () => options.digest(db)) : options.digest(db),
  )
  return { stop: () => boss.stop({ graceful: true, wait: true, timeout: 5000 }) }
}
