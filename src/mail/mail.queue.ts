// The outbox: every mail is a pg-boss job in PostgreSQL before anyone is told it was sent. pg-boss
// gives retries with backoff, and takes a job back from a process that died mid-send once the job's
// expiry passes; each job carries one Message-ID, so a receiver sees a retried mail as the same mail.
import { sql } from 'kysely'
import type { Executor } from '../platform/db/database.js'
import { OUTBOX_SCHEMA, type QueueDefinition, bossClient } from '../platform/jobs/jobs.outbox.js'
import type { MailMessage } from './mail.messages.js'

export const MAIL_QUEUE = 'mail'
export const DIGEST_QUEUE = 'moderator-digest'

/** A sender is given this long before its job is taken back and retried elsewhere (a crash, a hang). */
export const MAIL_EXPIRE_SECONDS = 300

export interface QueuedMail extends MailMessage {
  /** Why it was sent: 'verify', 'reply', 'approved', … (logs and tests). */
  kind: string
}

/** The mail queues: retried with backoff, and taken back from a sender that died mid-send. */
export const MAIL_QUEUES: QueueDefinition[] = [
  {
    name: MAIL_QUEUE,
    retryLimit: 8,
    // 10 s, then doubling: eight tries span about forty minutes of a mail server being down.
    retryDelay: 10,
    retryBackoff: true,
    expireInSeconds: MAIL_EXPIRE_SECONDS,
    retentionMinutes: 7 * 24 * 60,
  },
  { name: DIGEST_QUEUE, retryLimit: 3, retryDelay: 300, expireInSeconds: 600 },
]

/** Puts mails in the outbox; they are durably stored when this resolves. */
export async function enqueueMail(
  db: Executor,
  mails: QueuedMail[],
  options: { singletonKey?: string; singletonSeconds?: number; expireInSeconds?: number | undefined } = {},
): Promise<void> {
  const boss = bossClient(db)
  const { expireInSeconds, ...rest } = options
  for (const mail of mails) await boss.send(MAIL_QUEUE, mail as unknown as object, expireInSeconds ? { ...rest, expireInSeconds } : rest)
}

/** Erasure reaches the outbox too: mails to this address, waiting or kept after sending, are deleted. */
export async function forgetMailsTo(db: Executor, email: string): Promise<void> {
  for (const table of ['job', 'archive']) {
    await sql`delete from ${sql.table(`${OUTBOX_SCHEMA}.${table}`)} where lower(data ->> 'to') = ${email.trim().toLowerCase()}`.execute(db)
  }
}

/** Mails not yet sent: waiting, waiting for a retry, or being sent now (mail_outbox_pending). */
export async function outboxPending(db: Executor): Promise<number> {
  const result = await sql<{ pending: number }>`
    select count(*)::int as pending from ${sql.table(`${OUTBOX_SCHEMA}.job`)}
    where name = ${MAIL_QUEUE} and state in ('created', 'retry', 'active')`.execute(db)
  return result.rows[0]?.pending ?? 0
}
