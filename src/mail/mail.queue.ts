// The outbox: every mail is a pg-boss job in PostgreSQL before anyone is told it was sent. pg-boss
// gives retries with backoff, and takes a job back from a process that died mid-send once the job's
// expiry passes; each job carries one Message-ID, so a receiver sees a retried mail as the same mail.
import type { Kysely } from 'kysely'
import { CompiledQuery, sql } from 'kysely'
import PgBoss from 'pg-boss'
import type { Executor } from '../platform/db/database.js'
import { runScript } from '../platform/db/scripts.js'
import type { MailMessage } from './mail.messages.js'

export const MAIL_QUEUE = 'mail'
export const DIGEST_QUEUE = 'moderator-digest'
const SCHEMA = 'pgboss'

/** A sender is given this long before its job is taken back and retried elsewhere (a crash, a hang). */
export const MAIL_EXPIRE_SECONDS = 300

export interface QueuedMail extends MailMessage {
  /** Why it was sent: 'verify', 'reply', 'approved', … (logs and tests). */
  kind: string
}

/** pg-boss's database interface over one of our handles: the same pool, PGlite or Hyperdrive. */
export function bossDb(db: Executor) {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      // pg-boss sends its schema and maintenance as scripts of several statements without parameters.
      if (values.length === 0) return runScript(db as Kysely<any>, text)
      const result = await db.executeQuery(CompiledQuery.raw(text, values))
      return { rows: result.rows as unknown[] }
    },
  }
}

/** A pg-boss handle that only sends and fetches: no timers, nothing to start or stop (Workers, requests). */
export function bossClient(db: Executor): PgBoss {
  return new PgBoss({ db: bossDb(db), schema: SCHEMA, supervise: false, schedule: false, migrate: false } as PgBoss.ConstructorOptions)
}

/** Creates or upgrades pg-boss's schema and our queues; part of `npm run migrate`. */
export async function installQueues(db: Kysely<any>): Promise<void> {
  const boss = new PgBoss({ db: bossDb(db), schema: SCHEMA, supervise: false, schedule: false, migrate: true } as PgBoss.ConstructorOptions)
  await boss.start()
  await boss.createQueue(MAIL_QUEUE, {
    name: MAIL_QUEUE,
    retryLimit: 8,
    // 10 s, then doubling: eight tries span about forty minutes of a mail server being down.
    retryDelay: 10,
    retryBackoff: true,
    expireInSeconds: MAIL_EXPIRE_SECONDS,
    retentionMinutes: 7 * 24 * 60,
  })
  await boss.createQueue(DIGEST_QUEUE, { name: DIGEST_QUEUE, retryLimit: 3, retryDelay: 300, expireInSeconds: 600 })
  await boss.stop({ graceful: false, wait: true })
}

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
    await sql`delete from ${sql.table(`${SCHEMA}.${table}`)} where lower(data ->> 'to') = ${email.trim().toLowerCase()}`.execute(db)
  }
}
