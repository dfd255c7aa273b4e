// What operators see: /ready, /metrics (Prometheus text, behind its token) and one JSON log line per request.
import { SignJWT } from 'jose'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { appConfig, buildNodeApp, liveOf, servicesOf } from '../src/node.setup.js'
import { parseEnv } from '../src/env.js'
import { connectPostgres } from '../src/platform/db/connect-pg.js'
import { listenPostgres } from '../src/platform/live/live.bus.js'
import { pinoLog } from '../src/platform/ops/ops.pino.js'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { TEST_SECRET, type TestApp, aComment, aFormToken, createTestApp, testClock } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const TOKEN = 'metrics-token-metrics-token-0123'

/**
 * The Prometheus text format (0.0.4), strictly: HELP and TYPE comments, then samples `name{labels} value`.
 * Returns each family's type and samples; throws on any line that does not parse.
 */
function parsePrometheus(text: string) {
  const families = new Map<string, { type: string; samples: { name: string; labels: Record<string, string>; value: number }[] }>()
  const familyOf = (sample: string) =>
    families.get(sample) ??
    families.get(sample.replace(/_(bucket|sum|count|total|created)$/, '')) ??
    families.get(sample.replace(/_total$/, ''))
  for (const line of text.split('\n')) {
    if (line === '') continue
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*$/.exec(line)
    if (help) continue
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line)
    if (type) {
      families.set(type[1]!, { type: type[2]!, samples: [] })
      continue
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)(?: -?[0-9]+)?$/.exec(line)
    if (!sample) throw new Error(`not Prometheus text: ${line}`)
    const labels: Record<string, string> = {}
    const rest = sample[2] ?? ''
    const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy
    let consumed = 0
    for (let match = label.exec(rest); match; match = label.exec(rest)) {
      labels[match[1]!] = match[2]!
      consumed = label.lastIndex
    }
    if (consumed !== rest.length) throw new Error(`bad labels: ${line}`)
    const family = familyOf(sample[1]!)
    if (!family) throw new Error(`sample without a TYPE: ${line}`)
    family.samples.push({ name: sample[1]!, labels, value: Number(sample[3]) })
  }
  return families
}

for (const kind of dbKinds()) {
  describe(`operations on ${kind}`, () => {
    let t: TestApp
    const lines: string[] = []
    let cookies: { admin: string; moderator: string }

    beforeAll(async () => {
      t = await createTestApp(kind, { log: pinoLog('info', 'json', (line) => lines.push(line)), metricsToken: TOKEN })
      cookies = await signInBoth(t)
      await t.settings({ rateLimitPerMinute: 0 })
    })
    afterAll(async () => {
      await t?.close()
    })

    const scrape = () => t.app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })

    it('answers /ready 200 when the database answers, its migrations are current and LISTEN is open', async () => {
      const res = await t.app.request('/ready')
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ ok: true })
      expect((await t.app.request('/health')).status).toBe(200)
    })

    it('serves /metrics only with the bearer token, in the Prometheus text format, with route patterns', async () => {
      expect((await t.app.request('/metrics')).status).toBe(401)
      const wrong = await t.app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN.replace('0', '1')}` } })
      expect(wrong.status).toBe(401)
      expect((await wrong.json()).error.code).toBe('unauthenticated')

      await t.settings({ moderationMode: 'post' })
      const published = aComment()
      expect((await t.postComment('ops-metrics-article', published)).status).toBe(201)
      // The same body again from the same writer: refused as a duplicate.
      expect((await t.postComment('ops-metrics-article', { ...published, email: published.email })).status).toBe(422)
      await t.settings({ moderationMode: 'pre' })
      const held = await t.postComment('ops-metrics-article', aComment())
      expect(held.status).toBe(202)
      const heldId = (await held.json()).comment.id
      expect((await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/comments/${heldId}/approve`)).status).toBeLessThan(300)
      await t.settled()

      const res = await scrape()
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
      const text = await res.text()
      const families = parsePrometheus(text)
      for (const name of [
        'http_requests_total',
        'http_request_duration_seconds',
        'comments_submitted_total',
        'moderation_queue_depth',
        'moderation_decision_seconds',
        'screening_duration_seconds',
        'mail_outbox_pending',
        'webhook_deliveries_total',
        'live_streams_open',
        'process_cpu_user_seconds_total',
        'nodejs_eventloop_lag_seconds',
      ]) {
        expect(families.has(name), name).toBe(true)
      }
      const value = (family: string, sample: string, labels: Record<string, string> = {}) =>
        families
          .get(family)!
          .samples.filter((s) => s.name === sample && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
          .reduce((sum, s) => sum + s.value, 0)
      const posts = { route: '/api/v1/articles/:articleId/comments', method: 'POST' }
      expect(value('http_requests_total', 'http_requests_total', { ...posts, status: '201' })).toBe(1)
      expect(value('http_requests_total', 'http_requests_total', { ...posts, status: '202' })).toBe(1)
      expect(value('http_request_duration_seconds', 'http_request_duration_seconds_count', posts)).toBe(3)
      // Patterns only: the article's id and the comment's never become a label.
      expect(text).not.toContain('ops-metrics-article')
      expect(text).not.toContain(heldId)
      expect(value('comments_submitted_total', 'comments_submitted_total', { outcome: 'published' })).toBe(1)
      expect(value('comments_submitted_total', 'comments_submitted_total', { outcome: 'held' })).toBe(1)
      expect(value('comments_submitted_total', 'comments_submitted_total', { outcome: 'refused' })).toBe(1)
      expect(
        families
          .get('comments_submitted_total')!
          .samples.map((s) => s.labels.outcome)
          .sort(),
      ).toEqual(['held', 'published', 'refused', 'rejected'])
      expect(value('screening_duration_seconds', 'screening_duration_seconds_count')).toBeGreaterThanOrEqual(2)
      expect(value('moderation_decision_seconds', 'moderation_decision_seconds_count')).toBe(1)
      expect(value('moderation_queue_depth', 'moderation_queue_depth', { queue: 'pending' })).toBe(0)
      expect(
        families
          .get('moderation_queue_depth')!
          .samples.map((s) => s.labels.queue)
          .sort(),
      ).toEqual(['flagged', 'pending', 'reported'])
      expect(value('live_streams_open', 'live_streams_open')).toBe(0)
      expect(value('webhook_deliveries_total', 'webhook_deliveries_total')).toBe(0)
      // The no-JavaScript fragment, routed once and then answered from the cache before routing: one pattern.
      for (let i = 0; i < 2; i++) expect((await t.app.request('/api/v1/articles/ops-metrics-article/fallback')).status).toBe(200)
      expect(await (await scrape()).text()).toMatch(
        /http_requests_total\{route="\/api\/v1\/articles\/:articleId\/fallback",method="GET",status="200"\} 2/,
      )
      // A path no route has is counted as one label, whatever its text.
      await t.app.request('/no/such/page-123')
      expect(await (await scrape()).text()).toMatch(/http_requests_total\{route="unmatched",method="GET",status="404"\} 1/)
    })

    it('writes one JSON line per request: id, route pattern, status, duration, moderator; never an email or a body', async () => {
      lines.length = 0
      const comment = aComment({ body: 'A secret-ish body that must stay out of the logs entirely.' })
      const posted = await t.app.request('/api/v1/articles/ops-log-article/comments', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'edge-1234', 'x-forwarded-for': '203.0.113.9' },
        body: JSON.stringify({ ...comment, formToken: undefined }),
      })
      expect(posted.headers.get('x-request-id')).toBe('edge-1234')
      const made = await modRequest(t, cookies.moderator, 'GET', '/api/v1/mod/queue?queue=pending')
      expect(made.status).toBe(200)
      const madeId = made.headers.get('x-request-id')!
      expect(madeId).toMatch(/^[0-9a-f-]{36}$/)
      // A header that could break a line is not taken: a fresh id instead.
      const forged = await t.app.request('/api/v1/counts?articleIds=x', { headers: { 'x-request-id': 'a"b\\n{}' } })
      expect(forged.headers.get('x-request-id')).not.toContain('"')

      const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
      const post = entries.find((e) => e.req === 'edge-1234')!
      expect(post).toMatchObject({ level: 30, method: 'POST', route: '/api/v1/articles/:articleId/comments' })
      expect(typeof post.time).toBe('number')
      expect(typeof post.ms).toBe('number')
      expect(post.status).toBe(posted.status)
      const queue = entries.find((e) => e.req === madeId)!
      expect(queue).toMatchObject({ route: '/api/v1/mod/queue', status: 200 })
      expect(queue.moderator).toMatch(/\S/)
      expect(post.moderator).toBeUndefined()
      const all = lines.join('\n')
      expect(all).not.toContain(String(comment.email))
      expect(all).not.toContain('secret-ish body')
      expect(all).not.toContain('ops-log-article')
    })

    it('answers /ready 503 with the reason while migrations are behind, and while stopping', async () => {
      const [latest] = (
        await sql<{ name: string; timestamp: string }>`select name, timestamp from kysely_migration order by name desc limit 1`.execute(
          t.db,
        )
      ).rows
      await sql`delete from kysely_migration where name = ${latest!.name}`.execute(t.db)
      try {
        const behind = await t.app.request('/ready')
        expect(behind.status).toBe(503)
        expect((await behind.json()).error).toEqual({ code: 'not_ready', message: `Migrations not yet applied: ${latest!.name}` })
      } finally {
        await sql`insert into kysely_migration (name, timestamp) values (${latest!.name}, ${latest!.timestamp})`.execute(t.db)
      }
      expect((await t.app.request('/ready')).status).toBe(200)
      liveOf(t.app).drain()
      const stopping = await t.app.request('/ready')
      expect(stopping.status).toBe(503)
      expect((await stopping.json()).error.message).toBe('The server is stopping')
    })
  })
}

describe('stopping with a live notice still waiting on its window', () => {
  it("sends the coalesced 'edited' notice at once while the database is open, rather than after it closed", async () => {
    const notices: { type: string; commentId?: string }[] = []
    // A clock standing at the start of a five-second window: the edit's notice would wait the whole window.
    const clock = testClock(Math.floor(Date.now() / 5000) * 5000)
    const t = await createTestApp('pglite', {
      now: clock.now,
      announce: async (db, notice) => {
        await sql`select 1`.execute(db) // a closed database would throw here
        notices.push(notice)
      },
    })
    try {
      const ssoSecret = 'ops-sso-secret-ops-sso-secret-0123456789'
      await t.settings({ rateLimitPerMinute: 0, moderationMode: 'post', premodNewCommenters: 0, ssoSecret })
      const seconds = Math.floor(clock.now().getTime() / 1000)
      const jwt = await new SignJWT({ sub: 'ops-edit', name: 'Edits Once', email: 'ops-edit@paper.example' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt(seconds)
        .setExpirationTime(seconds + 600)
        .sign(new TextEncoder().encode(ssoSecret))
      const { readerToken } = await (await t.json('POST', '/api/v1/readers/sso', { token: jwt })).json()
      const as = { headers: { authorization: `Bearer ${readerToken}` } }
      const posted = await t.json(
        'POST',
        '/api/v1/articles/ops-edited-article/comments',
        {
          body: 'The first version of this comment.',
          formToken: await aFormToken('ops-edited-article', new Date(clock.now().getTime() - 60_000)),
        },
        as,
      )
      const id = (await posted.json()).comment.id
      expect((await t.json('PATCH', `/api/v1/comments/${id}`, { body: 'The second version of this comment.' }, as)).status).toBe(200)
      expect(notices.filter((n) => n.type === 'edited')).toEqual([])
      // Settling (what a stopping server does before closing the pool) sends it now, well before the
      // window's end: without it, nothing arrives for five seconds.
      await servicesOf(t.app).settle()
      await vi.waitFor(() => expect(notices.filter((n) => n.type === 'edited').map((n) => n.commentId)).toEqual([id]), {
        timeout: 3000,
        interval: 20,
      })
    } finally {
      await t.close()
    }
  })
})

describe('operations without their configuration', () => {
  it('answers /metrics 404 without METRICS_TOKEN, and /ready 503 when the database does not answer', async () => {
    const url = 'postgres://postgres:x@127.0.0.1:1/nowhere'
    const db = connectPostgres(url, { max: 1 })
    const env = parseEnv({ NODE_ENV: 'test', IP_HASH_SECRET: TEST_SECRET })
    const app = buildNodeApp({ db, kind: 'postgres', listen: listenPostgres(url), close: () => db.destroy() }, appConfig(env, TEST_SECRET))
    try {
      expect((await app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404)
      const ready = await app.request('/ready')
      expect(ready.status).toBe(503)
      expect(await ready.json()).toEqual({ ok: false, error: { code: 'not_ready', message: 'The database does not answer' } })
    } finally {
      await liveOf(app).stop()
      await db.destroy()
    }
  })
})
