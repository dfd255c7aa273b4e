import { sql } from 'kysely'
import type { Db } from '../../src/platform/db/database.js'
import { WEBHOOK_QUEUE, drainWebhooks } from '../../src/moderation/moderation.webhook-outbox.js'
import { drainOutbox } from '../../src/mail/mail.sender.js'
import type { OutgoingMail } from '../../src/platform/mail/mail.transport.js'

/**
 * The mails the outbox holds, taken out through the same SQL the Workers' Cron Trigger runs. Mails are
 * queued after the response (a subscriber), so this waits until `count` have arrived or time runs out.
 */
export async function takeMails(db: Db, count: number, timeoutMs = 5000): Promise<OutgoingMail[]> {
  const mails: OutgoingMail[] = []
  const capture = { name: 'capture', send: async (mail: OutgoingMail) => void mails.push(mail) }
  const deadline = Date.now() + timeoutMs
  while (mails.length < count && Date.now() < deadline) {
    await drainOutbox(db, capture, 'Comments <comments@news.example>')
    if (mails.length < count) await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return mails
}

/**
 * Every mail the outbox holds now, taken out (nothing is waited for). After `t.settled()` that is every
 * mail the requests so far will ever queue, so a test can say exactly which were sent, and which were not.
 */
export async function allMails(db: Db): Promise<OutgoingMail[]> {
  const mails: OutgoingMail[] = []
  const capture = { name: 'capture', send: async (mail: OutgoingMail) => void mails.push(mail) }
  for (;;) {
    const { sent, failed } = await drainOutbox(db, capture, 'Comments <comments@news.example>')
    if (sent + failed === 0) return mails
  }
}

/** The one-time code in a verification mail's link. */
export const codeIn = (mail: OutgoingMail) => /#comments-verify=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? null

/**
 * Makes every webhook delivery waiting for a retry due now (pg-boss waits seconds with backoff, on the
 * database's clock), then sends what is due through the same function the Workers' cron runs.
 */
export async function retryWebhooksNow(db: Db, options: Parameters<typeof drainWebhooks>[1] = {}) {
  await sql`update pgboss.job set start_after = now() - interval '1 second' where name = ${WEBHOOK_QUEUE} and state = 'retry'`.execute(db)
  return drainWebhooks(db, options, 100)
}
