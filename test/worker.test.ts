import { type ChildProcess, spawn } from 'node:child_process'
import { createServer as createHttpServer, request as httpRequest } from 'node:http'
import { createServer } from 'node:net'
// Node 20 has no global WebSocket; undici's (wrangler's miniflare depends on it) takes an Origin header.
import { WebSocket } from 'undici'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getSiteSettings, saveSiteSettings } from '../src/settings/settings.repository.js'
import { trainingState } from '../src/moderation/moderation.learning.js'
import { defaultSiteSettings } from '../src/settings/settings.schema.js'
import { createModerator } from '../src/auth/auth.users.js'
import type { Connection } from '../src/platform/db/connect-node.js'
import { dbKinds, openTestDb } from './helpers/test-db.js'
import { shippedModel } from '../src/screening/screening.shipped-model.js'
import { siteDecisions } from '../src/screening/screening.site-fixture.js'
import { trainSiteModel } from '../src/screening/screening.site-train.js'
import { storeVersion } from '../src/screening/screening.versions.js'

/**
 * An Arabic site model, active before the Worker starts: it reads it from PostgreSQL. It covers Arabic
 * only, so the other cases' English comments are scored by the shipped model as before.
 */
const SITE_VERSION = 'site-worker-arabic'
async function storeArabicSiteModel(db: Connection['db']) {
  const candidate = trainSiteModel({
    examples: siteDecisions({ count: 400, language: 'ar' }),
    shipped: shippedModel(),
    version: SITE_VERSION,
    // Last night's: the hourly trigger's case below must find no training already run this hour.
    trainedAt: new Date(Date.now() - 86_400_000).toISOString(),
  })
  await storeVersion(
    db,
    { candidate, promote: true, reason: { code: 'promoted', message: 'Promoted' }, heldBack: { examples: {}, before: null, after: null } },
    { startedBy: 'cli', durationMs: 0, heldShare: 0.05, now: new Date() },
  )
}

// The real Worker: `wrangler dev --local` (workerd) running src/worker.ts against this run's
// PostgreSQL through the Hyperdrive binding, driven over HTTP like any client would.

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

function startWrangler(databaseUrl: string, port: number, inspectorPort: number, mailApi: string): Promise<ChildProcess> {
  const withPassword = new URL(databaseUrl)
  withPassword.password = 'x' // Hyperdrive's local connection string needs one, even with trust auth
  const child = spawn(
    'node_modules/.bin/wrangler',
    [
      'dev',
      '--local',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(inspectorPort),
      '--var',
      'IP_HASH_SECRET:worker-test-secret-worker-test-secret',
      '--var',
      'PUBLIC_ORIGINS:https://news.example',
      '--var',
      `MAIL_API_URL:${mailApi}`,
      '--var',
      'MAIL_API_KEY:mail-api-test-key',
      '--test-scheduled',
    ],
    {
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: 'false',
        CLOUDFLARE_CF_FETCH_ENABLED: 'false',
        CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: withPassword.toString(),
        NO_COLOR: '1',
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`wrangler dev did not start:\n${output}`)), 100_000)
    const watch = (chunk: Buffer) => {
      output += chunk
      if (/Ready on http/.test(output)) {
        clearTimeout(timer)
        resolve(child)
      }
    }
    child.stdout!.on('data', watch)
    child.stderr!.on('data', watch)
    child.on('exit', (code) => reject(new Error(`wrangler dev exited with ${code}:\n${output}`)))
  })
}

interface Received {
  id: string
  event: string
  data: Record<string, unknown>
}

/** A reader's WebSocket, collecting what arrives; `next()` waits for the next message. */
function openSocket(url: string, origin: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, { headers: { origin, ...headers } })
  const received: Received[] = []
  const waiting: ((message: Received) => void)[] = []
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as Received
    const waiter = waiting.shift()
    if (waiter) waiter(message)
    else received.push(message)
  })
  return {
    opened: new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve())
      socket.addEventListener('error', () => reject(new Error(`could not open ${url}`)))
    }),
    next: () =>
      new Promise<Received>((resolve, reject) => {
        const early = received.shift()
        if (early) return resolve(early)
        const timer = setTimeout(() => reject(new Error('no message within 10 s')), 10_000)
        waiting.push((message) => {
          clearTimeout(timer)
          resolve(message)
        })
      }),
    close: () => socket.close(),
  }
}

/** The status a WebSocket handshake is answered with (undici's WebSocket does not tell it). */
const handshakeStatus = (url: string, origin: string, headers: Record<string, string> = {}) =>
  new Promise<number>((resolve, reject) => {
    const req = httpRequest(url.replace(/^ws/, 'http'), {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        origin,
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      },
    })
    req.on('response', (res) => {
      res.resume()
      resolve(res.statusCode!)
    })
    req.on('upgrade', (res, socket) => {
      socket.destroy()
      resolve(res.statusCode!)
    })
    req.on('error', reject)
    req.end()
  })

describe.skipIf(!dbKinds().includes('postgres'))('the Worker under wrangler dev, on PostgreSQL', () => {
  let connection: Connection
  let wrangler: ChildProcess | undefined
  let origin: string
  let cookie = ''
  // The HTTP mail API the Worker's Cron Trigger sends through: a real server, recording what arrives.
  const mailed: {
    authorization: string | undefined
    body: { to: string; subject: string; text: string; headers: Record<string, string> }
  }[] = []
  // The site's webhook receiver on the same server (/hook): it refuses the first delivery about a comment
  // that asks for it ("refuse me once"), so the Cron Trigger has a retry to send.
  const hooked: { delivery: string | undefined; body: { type: string; comment: { id: string; body: string } } }[] = []
  const mailApi = createHttpServer((req, res) => {
    let data = ''
    req.on('data', (chunk) => (data += chunk))
    req.on('end', () => {
      if (req.url === '/hook') {
        const body = JSON.parse(data)
        const refuse = body.comment.body.includes('refuse me once') && !hooked.some((h) => h.body.comment.id === body.comment.id)
        hooked.push({ delivery: req.headers['x-comments-delivery']?.toString(), body })
        return res.writeHead(refuse ? 503 : 204).end()
      }
      mailed.push({ authorization: req.headers.authorization, body: JSON.parse(data) })
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"queued":true}')
    })
  })

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(origin + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(cookie ? { cookie } : {}),
        'sec-fetch-site': 'same-origin',
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })

  beforeAll(async () => {
    const db = await openTestDb('postgres')
    connection = db
    // No wait between fetching a form token and posting: this test is a program, not a reader.
    await createModerator(db.db, 'edge-mod', 'a long enough password', 'moderator')
    await storeArabicSiteModel(db.db)
    const port = await freePort()
    origin = `http://127.0.0.1:${port}`
    const mailPort = await new Promise<number>((resolve) =>
      mailApi.listen(0, '127.0.0.1', () => resolve((mailApi.address() as { port: number }).port)),
    )
    await saveSiteSettings(db.db, {
      ...defaultSiteSettings(),
      minSecondsToPost: 0,
      rateLimitPerMinute: 0,
      webhookUrl: `http://127.0.0.1:${mailPort}/hook`,
    })
    wrangler = await startWrangler(db.url!, port, await freePort(), `http://127.0.0.1:${mailPort}/send`)
  }, 120_000)

  afterAll(async () => {
    if (wrangler?.pid) {
      try {
        process.kill(-wrangler.pid, 'SIGTERM')
      } catch {
        // already gone
      }
    }
    await connection?.close()
    mailApi.close()
  })

  it('answers health and readiness, has no /metrics, and serves the widget bundle with its ETag', async () => {
    expect(await (await call('GET', '/health')).json()).toEqual({ ok: true })
    // Ready (the database answers, its migrations are current); no /metrics on the Worker, token or not.
    expect(await (await call('GET', '/ready')).json()).toEqual({ ok: true })
    expect((await call('GET', '/metrics', undefined, { authorization: 'Bearer any-token-any-token-any' })).status).toBe(404)
    const logged = await call('GET', '/health', undefined, { 'x-request-id': 'worker-req-1' })
    expect(logged.headers.get('x-request-id')).toBe('worker-req-1')
    const embed = await call('GET', '/embed.js')
    expect(embed.status).toBe(200)
    expect(embed.headers.get('cache-control')).toBe('public, max-age=3600, stale-while-revalidate=86400')
    expect(await embed.text()).toContain('nc-comments')
    expect((await call('GET', '/embed.js', undefined, { 'if-none-match': embed.headers.get('etag')! })).status).toBe(304)
  })

  it('takes a post, lets a moderator approve it, and lists and counts it with ETags', async () => {
    // The default policy on the edge too: the in-process model publishes a clean comment and holds an abusive one.
    // Each post carries its own form token, as the widget's do.
    const formToken = async (articleId: string) =>
      (await (await call('GET', `/api/v1/articles/${articleId}/form-token`)).json()).formToken as string
    const clean = await call('POST', '/api/v1/articles/edge-clean/comments', {
      name: 'Edge reader',
      email: 'edge-clean@example.org',
      body: 'Thank you for the careful reporting from Idlib.',
      formToken: await formToken('edge-clean'),
    })
    expect(clean.status).toBe(201)
    const body = 'Posted through the Worker by a pathetic clown, you liar'
    const first = {
      name: 'Edge reader',
      email: 'edge@example.org',
      body,
      idempotencyKey: 'edge-key-0001',
      formToken: await formToken('edge-article'),
    }
    const posted = await call('POST', '/api/v1/articles/edge-article/comments', first)
    expect(posted.status).toBe(202)
    const { comment } = await posted.json()
    const again = await call('POST', '/api/v1/articles/edge-article/comments', first)
    expect((await again.json()).comment.id).toBe(comment.id)
    const stored = await connection.db
      .selectFrom('comments')
      .select(['status', 'ip_hash', 'risk', 'screening'])
      .where('article_id', '=', 'edge-article')
      .execute()
    expect(stored).toHaveLength(1)
    expect(stored[0]!.risk).toBeGreaterThanOrEqual(0.5)
    expect(stored[0]!.screening.reasons).toContainEqual(expect.objectContaining({ rule: 'model_abuse', verdict: 'hold' }))

    expect((await call('POST', `/api/v1/mod/comments/${comment.id}/approve`)).status).toBe(401)
    const login = await call('POST', '/api/v1/auth/login', { username: 'edge-mod', password: 'a long enough password' })
    expect(login.status).toBe(200)
    cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const queue = await call('GET', '/api/v1/mod/queue?queue=pending')
    expect((await queue.json()).items.map((i: { id: string; risk: number }) => [i.id, i.risk])).toEqual([[comment.id, stored[0]!.risk]])
    const approved = await call('POST', `/api/v1/mod/comments/${comment.id}/approve`)
    expect(approved.status).toBe(200)
    expect(approved.headers.get('cache-control')).toBe('no-store')
    expect(
      (await (await call('GET', `/api/v1/mod/comments/${comment.id}/history`)).json()).actions.map((a: { action: string }) => a.action),
    ).toEqual(['screened', 'approve'])
    // The workspace's keyboard script, built by wrangler's build step and served by its hash.
    const queuePage = await (await call('GET', '/moderate')).text()
    const keys = /<script src="(\/moderate\/assets\/keys\.[0-9a-f]{16}\.js)"/.exec(queuePage)?.[1]
    expect(keys).toBeDefined()
    const script = await call('GET', keys!)
    expect([script.status, script.headers.get('cache-control')]).toEqual([200, 'public, max-age=31536000, immutable'])
    expect(await script.text()).toContain('/api/v1/mod/presence')
    cookie = ''
    expect((await call('GET', '/moderate/login')).headers.get('content-type')).toContain('text/html')

    const list = await call('GET', '/api/v1/articles/edge-article/comments')
    const page = await list.json()
    expect(page.comments.map((c: { id: string }) => c.id)).toEqual([comment.id])
    expect(JSON.stringify(page)).not.toContain('edge@example.org')
    expect(list.headers.get('cache-control')).toBe('public, max-age=4, stale-while-revalidate=30')
    expect(
      (await call('GET', '/api/v1/articles/edge-article/comments', undefined, { 'if-none-match': list.headers.get('etag')! })).status,
    ).toBe(304)
    expect(await (await call('GET', '/api/v1/counts?articles=edge-article,edge-clean,none')).json()).toEqual({
      counts: { 'edge-article': 1, 'edge-clean': 1, none: 0 },
    })
    expect((await call('POST', `/api/v1/comments/${comment.id}/reports`, { reason: 'spam' })).status).toBe(202)
    expect((await call('GET', `/api/v1/articles/edge-article/form-token`)).headers.get('cache-control')).toBe('no-store')
  })

  it("tells an article's WebSocket readers of a comment a moderator approves, and lets a reader that reconnects catch up", async () => {
    const socketUrl = (articleId: string, query = '') => `${origin.replace(/^http/, 'ws')}/api/v1/articles/${articleId}/live${query}`
    const list = await (await call('GET', '/api/v1/articles/edge-live/comments')).json()
    expect(list.article.live).toBe('websocket')
    expect(await handshakeStatus(socketUrl('edge-live'), 'https://elsewhere.example')).toBe(403)
    expect((await call('GET', '/api/v1/articles/edge-live/live')).status).toBe(426)

    const reader = openSocket(socketUrl('edge-live'), 'https://news.example')
    await reader.opened
    const formToken = async () => (await (await call('GET', '/api/v1/articles/edge-live/form-token')).json()).formToken as string
    // Held by screening: readers hear nothing until a moderator approves it.
    const held = await call('POST', '/api/v1/articles/edge-live/comments', {
      name: 'Live reader',
      email: 'live@example.org',
      body: 'Written live by a pathetic clown, you liar',
      formToken: await formToken(),
    })
    expect(held.status).toBe(202)
    const { comment } = await held.json()
    const login = await call('POST', '/api/v1/auth/login', { username: 'edge-mod', password: 'a long enough password' })
    cookie = login.headers.get('set-cookie')!.split(';')[0]!
    expect((await call('POST', `/api/v1/mod/comments/${comment.id}/approve`)).status).toBe(200)
    cookie = ''
    const published = await reader.next()
    expect(published).toMatchObject({ event: 'comment', data: { comment: { id: comment.id }, count: 1 } })
    expect(JSON.stringify(published)).not.toContain('live@example.org')
    reader.close()

    // Published at once while nobody listens; a reader back with the last id it saw gets it on connecting.
    const clean = await call('POST', '/api/v1/articles/edge-live/comments', {
      name: 'Live reader',
      email: 'live-2@example.org',
      body: 'A second, calm comment on the live article.',
      formToken: await formToken(),
    })
    expect(clean.status).toBe(201)
    const second = (await clean.json()).comment.id
    const back = openSocket(socketUrl('edge-live', `?lastEventId=${published.id}`), 'https://news.example')
    const missed = await back.next()
    expect(missed).toMatchObject({ event: 'comment', data: { comment: { id: second }, count: 2 } })
    back.close()
    // An id older than what is kept: start over, from the newest message.
    const stale = openSocket(socketUrl('edge-live', `?lastEventId=${'0'.repeat(26)}`), 'https://news.example')
    expect(await stale.next()).toEqual({ id: missed.id, event: 'reset', data: {} })
    stale.close()
  })

  it("caps one IPv6 /64's sockets across all articles, and frees a slot when a socket closes", async () => {
    const socketUrl = (articleId: string) => `${origin.replace(/^http/, 'ws')}/api/v1/articles/${articleId}/live`
    const from = (ip: string) => ({ 'cf-connecting-ip': ip })
    // Twenty sockets from twenty addresses of one /64, spread over five articles: each article holds only
    // four, so only a count across articles can stop the next one.
    const held = Array.from({ length: 20 }, (_, i) =>
      openSocket(socketUrl(`edge-net-${i % 5}`), 'https://news.example', from(`2001:db8:77:1::${(i + 1).toString(16)}`)),
    )
    await Promise.all(held.map((socket) => socket.opened))
    expect(await handshakeStatus(socketUrl('edge-net-other'), 'https://news.example', from('2001:db8:77:1:ffff::99'))).toBe(429)
    // Another network is not affected.
    expect(await handshakeStatus(socketUrl('edge-net-other'), 'https://news.example', from('2001:db8:77:2::1'))).toBe(101)
    held.shift()!.close()
    await expect
      .poll(() => handshakeStatus(socketUrl('edge-net-other'), 'https://news.example', from('2001:db8:77:1:ffff::99')), { timeout: 10_000 })
      .toBe(101)
    for (const socket of held) socket.close()
  })

  it('refuses bad input with the same JSON errors as on Node', async () => {
    const bad = await call('POST', '/api/v1/articles/edge-article/comments', { name: '', email: 'nope', body: 'x' })
    expect(bad.status).toBe(422)
    expect(Object.keys((await bad.json()).error.fields).sort()).toEqual(['email', 'name'])
    expect((await call('GET', '/nowhere')).status).toBe(404)
    const cors = await call('GET', '/api/v1/counts?articles=a', undefined, { origin: 'https://news.example' })
    expect(cors.headers.get('access-control-allow-origin')).toBe('https://news.example')
  })

  it('queues a verification mail, drains the outbox on its Cron Trigger through the mail API, and signs the reader in', async () => {
    expect(
      (
        await call('POST', '/api/v1/readers/verify', {
          email: 'edge-reader@example.org',
          articleUrl: 'https://news.example/2020/idlib',
          articleId: 'edge-verified',
        })
      ).status,
    ).toBe(202)
    expect(mailed).toHaveLength(0) // stored in the outbox, not sent by the request
    expect((await fetch(`${origin}/__scheduled?cron=${encodeURIComponent('* * * * *')}`)).status).toBe(200)
    expect(mailed).toHaveLength(1)
    const [mail] = mailed
    expect(mail!.authorization).toBe('Bearer mail-api-test-key')
    expect(mail!.body.to).toBe('edge-reader@example.org')
    expect(mail!.body.headers['Message-ID']).toMatch(/^<.+@.+>$/)
    const code = /#comments-verify=([\w-]+)/.exec(mail!.body.text)![1]
    const confirmed = await call('POST', '/api/v1/readers/verify/confirm', { code })
    expect(confirmed.status).toBe(200)
    const { readerToken } = await confirmed.json()
    const formToken = (await (await call('GET', '/api/v1/articles/edge-verified/form-token')).json()).formToken
    const posted = await call(
      'POST',
      '/api/v1/articles/edge-verified/comments',
      { body: 'A verified reader at the edge.', formToken },
      { authorization: `Bearer ${readerToken}` },
    )
    expect(posted.status).toBe(201)
    expect((await posted.json()).comment.verified).toBe(true)
    // Drained once: the next run finds nothing to send again.
    await fetch(`${origin}/__scheduled?cron=${encodeURIComponent('* * * * *')}`)
    expect(mailed).toHaveLength(1)
  })

  it('sends a webhook delivery at once, and its retry on the Cron Trigger under the same delivery id', async () => {
    const formToken = (await (await call('GET', '/api/v1/articles/edge-hook/form-token')).json()).formToken
    const posted = await call('POST', '/api/v1/articles/edge-hook/comments', {
      name: 'Edge Reader',
      email: 'edge-hook@example.org',
      body: 'Please refuse me once, receiver.',
      formToken,
    })
    expect(posted.status).toBeLessThan(300)
    const { comment } = await posted.json()
    const about = () => hooked.filter((h) => h.body.comment.id === comment.id)
    await expect.poll(about, { timeout: 10_000 }).toHaveLength(1)
    // The refused attempt is marked for a retry once the Worker's request has finished with it; pg-boss then
    // waits seconds before the retry, which the test makes due now rather than wait.
    const retrying = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from pgboss.job
          where name = 'webhook' and state = 'retry' and data->>'commentId' = ${comment.id}`.execute(connection.db)
      ).rows[0]!.n
    await expect.poll(retrying, { timeout: 10_000 }).toBe(1)
    await sql`update pgboss.job set start_after = now() where name = 'webhook' and state = 'retry'`.execute(connection.db)
    expect((await fetch(`${origin}/__scheduled?cron=${encodeURIComponent('* * * * *')}`)).status).toBe(200)
    expect(about()).toHaveLength(2)
    expect(about()[1]!.delivery).toBe(about()[0]!.delivery)
    expect(about()[1]!.delivery).toMatch(/^[0-9a-f-]{36}$/)
  })

  it("scores with the site's active model version, read from PostgreSQL, and records it on the comment", async () => {
    // The cases before posted from the same address; this one is about the model, not the per-minute limit.
    await saveSiteSettings(connection.db, { ...defaultSiteSettings(), minSecondsToPost: 0, rateLimitPerMinute: 0 })
    const token = (await (await call('GET', '/api/v1/articles/edge-arabic/form-token')).json()).formToken as string
    const posted = await call('POST', '/api/v1/articles/edge-arabic/comments', {
      name: 'قارئ',
      email: 'edge-arabic@example.org',
      body: 'شكرا على التقرير الدقيق من إدلب اليوم',
      formToken: token,
    })
    expect([201, 202]).toContain(posted.status)
    const { comment } = await posted.json()
    const stored = await connection.db
      .selectFrom('comments')
      .select(['model_version'])
      .where('id', '=', comment.id)
      .executeTakeFirstOrThrow()
    expect(stored.model_version).toBe(SITE_VERSION)
  })

  it("queues the night's screening training on its hourly Cron Trigger, at the site's learning hour only", async () => {
    const hourly = () => fetch(`${origin}/__scheduled?cron=${encodeURIComponent('0 * * * *')}`)
    const settings = await getSiteSettings(connection.db)
    // Half a day away from now: the hour cannot turn into it during the test.
    await saveSiteSettings(connection.db, { ...settings, learningHourUtc: (new Date().getUTCHours() + 12) % 24 })
    expect((await hourly()).status).toBe(200)
    expect(await trainingState(connection.db)).toBe('idle')
    // Asked again if the hour turned between setting it and the trigger.
    for (let attempt = 0; attempt < 2; attempt++) {
      const hour = new Date().getUTCHours()
      await saveSiteSettings(connection.db, { ...settings, learningHourUtc: hour })
      expect((await hourly()).status).toBe(200)
      if (new Date().getUTCHours() === hour) break
    }
    // Queued for a Node replica or `npm run screening:learn`: the Worker does not train.
    expect(await trainingState(connection.db)).toBe('queued')
  })
})
