// A webhook delivery survives the sender being killed mid-request: the receiver holds the first request
// unanswered, the server is SIGKILLed, and the server started after it sends the same delivery again,
// under the same delivery id. Real pieces only: `npm start` as a child process on PostgreSQL, pg-boss and
// an HTTP receiver.
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { WEBHOOK_QUEUE } from '../src/moderation/moderation.webhook-outbox.js'
import { saveSiteSettings } from '../src/settings/settings.repository.js'
import { defaultSiteSettings } from '../src/settings/settings.schema.js'
import { freePort, startNodeServer } from './helpers/node-server.js'
import { TEST_SECRET, aComment, aFormToken } from './helpers/test-app.js'
import { dbKinds, openTestDb } from './helpers/test-db.js'

interface Arrival {
  delivery: string | null
  body: { deliveryId?: string; type?: string; comment?: { id: string } }
}

/** A webhook receiver that leaves its first request unanswered and answers 204 to the rest. */
async function holdingReceiver() {
  const arrivals: Arrival[] = []
  const held: ServerResponse[] = []
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let text = ''
    request.on('data', (chunk) => (text += chunk))
    request.on('end', () => {
      arrivals.push({ delivery: request.headers['x-comments-delivery']?.toString() ?? null, body: JSON.parse(text) })
      if (arrivals.length === 1) held.push(response)
      else response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrivals,
    /** Resolves once `count` requests have arrived. */
    waitFor: (count: number, timeoutMs: number) =>
      vi.waitFor(
        () => {
          if (arrivals.length < count) throw new Error(`${arrivals.length} of ${count} deliveries arrived`)
        },
        { timeout: timeoutMs, interval: 100 },
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

describe.runIf(dbKinds().includes('postgres'))('webhook deliveries across a crash', () => {
  let db: Awaited<ReturnType<typeof openTestDb>>
  let receiver: Awaited<ReturnType<typeof holdingReceiver>>
  beforeAll(async () => {
    db = await openTestDb('postgres')
    receiver = await holdingReceiver()
  })
  afterAll(async () => {
    await receiver?.close()
    await db?.close()
  })

  it('sends a delivery again, with the same delivery id, after its sender was killed while the receiver held it', async () => {
    await saveSiteSettings(db.db, { ...defaultSiteSettings(), rateLimitPerMinute: 0, moderationMode: 'post', webhookUrl: receiver.url })
    const env = {
      DATABASE_URL: db.url!,
      IP_HASH_SECRET: TEST_SECRET,
      MAIL_POLL_SECONDS: '0.5',
      WEBHOOK_EXPIRE_SECONDS: '4',
    }
    const first = await startNodeServer(env, await freePort())
    const articleId = 'webhook-crash'
    const posted = await fetch(`${first.origin}/api/v1/articles/${articleId}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...aComment(), formToken: await aFormToken(articleId) }),
    })
    expect(posted.status).toBe(201)
    const { comment } = (await posted.json()) as { comment: { id: string } }
    await receiver.waitFor(1, 30_000)
    // The receiver holds the request: the sender dies before it hears an answer.
    await first.kill('SIGKILL')
    const [heldDelivery] = receiver.arrivals
    expect(heldDelivery!.delivery).toMatch(/^[0-9a-f-]{36}$/)
    expect(heldDelivery!.body).toMatchObject({ type: 'comment.published', comment: { id: comment.id }, deliveryId: heldDelivery!.delivery })

    // Another process takes over; the delivery whose sender died goes out again once its expiry passes.
    const second = await startNodeServer(env, await freePort())
    try {
      await receiver.waitFor(2, 60_000)
      const state = async () =>
        (await sql<{ state: string }>`select state from pgboss.job where name = ${WEBHOOK_QUEUE}`.execute(db.db)).rows.map((r) => r.state)
      await vi.waitFor(async () => expect(await state()).toEqual(['completed']), { timeout: 30_000, interval: 200 })
      await second.kill()
      // One delivery, sent twice, under one id: the receiver can tell the second is a repeat.
      expect(receiver.arrivals.map((a) => a.delivery)).toEqual([heldDelivery!.delivery, heldDelivery!.delivery])
      expect(receiver.arrivals[1]!.body).toMatchObject({ type: 'comment.published', comment: { id: comment.id } })
    } finally {
      await second.kill()
    }
  }, 120_000)
})
