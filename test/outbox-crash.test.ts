// The outbox survives a process killed in the middle of sending: every mail arrives exactly once.
// Real pieces only: `npm start` as a child process on PostgreSQL, pg-boss, nodemailer and an SMTP server.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { MAIL_QUEUE } from '../src/mail/mail.queue.js'
import { saveSiteSettings } from '../src/settings/settings.repository.js'
import { defaultSiteSettings } from '../src/settings/settings.schema.js'
import { freePort, startNodeServer } from './helpers/node-server.js'
import { startSmtp } from './helpers/smtp.js'
import { dbKinds, openTestDb } from './helpers/test-db.js'

describe.runIf(dbKinds().includes('postgres'))('the mail outbox across a crash', () => {
  let db: Awaited<ReturnType<typeof openTestDb>>
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  beforeAll(async () => {
    db = await openTestDb('postgres')
    smtp = await startSmtp()
  })
  afterAll(async () => {
    await smtp?.close()
    await db?.close()
  })

  it('delivers each of five mails once when the sender is killed before the third is acknowledged', async () => {
    await saveSiteSettings(db.db, { ...defaultSiteSettings(), rateLimitPerMinute: 0 })
    const port = await freePort()
    const env = {
      DATABASE_URL: db.url!,
      IP_HASH_SECRET: 'crash-test-secret-crash-test-secret-0123',
      SMTP_URL: smtp.url,
      MAIL_POLL_SECONDS: '0.5',
      MAIL_EXPIRE_SECONDS: '3',
    }
    const first = await startNodeServer(env, port)
    const held = smtp.holdMessage(3)
    const emails = Array.from({ length: 5 }, (_, i) => `reader${i + 1}@crash.example`)
    for (const email of emails) {
      const res = await fetch(`${first.origin}/api/v1/readers/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, articleUrl: `${first.origin}/demo`, articleId: 'demo-aid-corridor' }),
      })
      expect(res.status).toBe(202) // durably in the outbox before this answer
    }
    const heldMessageId = await held
    await first.kill('SIGKILL')
    expect(smtp.received).toHaveLength(2)

    // Another process takes over; the mail whose sender died goes out again once its expiry passes.
    const second = await startNodeServer(env, await freePort())
    try {
      await smtp.waitFor((mails) => new Set(mails.map((m) => m.to)).size === 5, 60_000)
      // A duplicate could only come from a mail whose job is not done: wait until every one is, then stop
      // the one sender left. Nothing can arrive after that, so what arrived is all there will be.
      const states = async () =>
        (await sql<{ state: string }>`select state from pgboss.job where name = ${MAIL_QUEUE}`.execute(db.db)).rows.map((job) => job.state)
      await vi.waitFor(async () => expect(await states()).toEqual(emails.map(() => 'completed')), { timeout: 30_000, interval: 200 })
      await second.kill()
      expect(smtp.received.map((m) => m.to).sort()).toEqual(emails)
      expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(5)
      // The retried mail is the same mail: one Message-ID across both attempts.
      expect(smtp.received.map((m) => m.messageId)).toContain(heldMessageId)
    } finally {
      await second.kill()
    }
  }, 120_000)
})
