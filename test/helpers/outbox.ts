import type { Db } from '../../src/platform/db/database.js'
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
