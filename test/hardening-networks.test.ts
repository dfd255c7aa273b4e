// Every per-address limit counts an IPv6 client by its /64: a phone or a household is handed a whole /64
// and may take a fresh address from it for every request, so counting addresses apart counted nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createModerator } from '../src/auth/auth.users.js'
import { parseEnv } from '../src/env.js'
import { NodeLive } from '../src/http/live/live.node.js'
import { appConfig, buildNodeApp } from '../src/node.setup.js'
import { listen } from './helpers/browser.js'
import { openStream } from './helpers/sse.js'
import { TEST_SECRET, type TestApp, aComment, createTestApp, testClock } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

/** The n-th address of one /64, each written differently from the last. */
const inNetwork = (prefix: string, n: number) => `${prefix}:${(n + 1).toString(16)}:${(n * 7 + 3).toString(16)}:0:${n.toString(16)}`

for (const kind of dbKinds()) {
  describe(`limits per IPv6 /64 on ${kind}`, () => {
    let t: TestApp
    beforeAll(async () => {
      // A clock that stands still half-way into an hour: every fixed window below (a minute, ten minutes,
      // an hour) holds all of a test's requests, however slowly they run.
      t = await createTestApp(kind, { now: testClock(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 1_830_000).now })
    })
    afterAll(() => t?.close())

    it('posting: the addresses of one /64 share one per-minute limit, and another /64 has its own', async () => {
      await t.settings({ rateLimitPerMinute: 3, moderationMode: 'pre' })
      try {
        for (let i = 0; i < 3; i++) expect((await t.postComment('net-post', aComment(), inNetwork('2001:db8:a1:1', i))).status).toBe(202)
        const fourth = await t.postComment('net-post', aComment(), inNetwork('2001:db8:a1:1', 3))
        expect(fourth.status).toBe(429)
        expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0)
        expect((await t.postComment('net-post', aComment(), '2001:db8:a1:2::1')).status).toBe(202)
        // The address a ban is matched by is the network too: every address of the /64 is stored as one.
        const hashes = await t.db.selectFrom('comments').select('ip_hash').where('article_id', '=', 'net-post').execute()
        expect(new Set(hashes.map((row) => row.ip_hash)).size).toBe(2)
      } finally {
        await t.settings({ rateLimitPerMinute: 0 })
      }
    })

    it('verification mails: twenty requests an hour from one /64, however many addresses ask', async () => {
      const ask = (n: number) =>
        t.json(
          'POST',
          '/api/v1/readers/verify',
          { email: `net-verify-${n}@example.org`, articleUrl: 'https://news.example/net', articleId: 'net-verify' },
          { ip: inNetwork('2001:db8:a2:1', n) },
        )
      for (let n = 0; n < 20; n++) expect((await ask(n)).status).toBe(202)
      const over = await ask(20)
      expect(over.status).toBe(429)
      expect(over.headers.get('retry-after')).toBeTruthy()
    })

    it('reports: the addresses of one /64 are one reporter, and share one limit', async () => {
      await t.settings({ moderationMode: 'post', rateLimitPerMinute: 0, reportThreshold: 3 })
      const posted = await t.postComment('net-report', aComment())
      expect(posted.status).toBe(201)
      const { comment } = (await posted.json()) as { comment: { id: string } }
      const report = (n: number) =>
        t.json('POST', `/api/v1/comments/${comment.id}/reports`, { reason: 'spam' }, { ip: inNetwork('2001:db8:a3:1', n) })
      for (let n = 0; n < 20; n++) expect((await report(n)).status).toBe(202)
      // Twenty addresses did not send the comment back to the queue: they were one reporter.
      expect(
        await t.db.selectFrom('comments').select(['status', 'open_reports']).where('id', '=', comment.id).executeTakeFirstOrThrow(),
      ).toEqual({ status: 'approved', open_reports: 1 })
      const over = await report(20)
      expect(over.status).toBe(429)
      expect(over.headers.get('retry-after')).toBeTruthy()
    })

    it('moderator sign-in: twenty attempts per ten minutes from one /64', async () => {
      await createModerator(t.db, 'net-guard', 'a long enough password', 'admin')
      const attempt = (n: number, password = 'not the password') =>
        t.json(
          'POST',
          '/api/v1/auth/login',
          { username: 'net-guard', password },
          { ip: inNetwork('2001:db8:a4:1', n), headers: { 'sec-fetch-site': 'same-origin' } },
        )
      for (let n = 0; n < 10; n++) expect((await attempt(n)).status).toBe(401)
      // The account's own limit from this network is reached after ten, whatever the address.
      expect((await attempt(10, 'a long enough password')).status).toBe(429)
      // Guessing other accounts from the same network meets the network's own limit: twenty in all.
      const guess = (n: number) =>
        t.json(
          'POST',
          '/api/v1/auth/login',
          { username: `nobody-${n}`, password: 'x' },
          { ip: inNetwork('2001:db8:a4:1', 30 + n), headers: { 'sec-fetch-site': 'same-origin' } },
        )
      for (let n = 0; n < 10; n++) expect((await guess(n)).status).toBe(401)
      expect((await guess(10)).status).toBe(429)
      // From another network the moderator signs in.
      expect(
        (
          await t.json(
            'POST',
            '/api/v1/auth/login',
            { username: 'net-guard', password: 'a long enough password' },
            { ip: '2001:db8:a4:2::1', headers: { 'sec-fetch-site': 'same-origin' } },
          )
        ).status,
      ).toBe(200)
    })

    it('live streams: one /64 holds LIVE_MAX_PER_IP streams, so its addresses cannot fill the server', async () => {
      const live = new NodeLive(t.connection, { maxStreams: 5, maxPerIp: 2, replayMessages: 100, replaySeconds: 60 })
      const capped = buildNodeApp(t.connection, appConfig(parseEnv({ NODE_ENV: 'test', IP_HASH_SECRET: TEST_SECRET }), TEST_SECRET), {
        trustProxy: true,
        live,
      })
      const server = await listen(capped.fetch)
      const url = `${server.origin}/api/v1/articles/net-live/stream`
      const from = (ip: string) => ({ 'x-forwarded-for': ip })
      const open = [await openStream(url, from(inNetwork('2001:db8:a5:1', 0))), await openStream(url, from(inNetwork('2001:db8:a5:1', 1)))]
      try {
        expect(open.map((stream) => stream.res.status)).toEqual([200, 200])
        for (let n = 2; n < 6; n++) {
          const refused = await fetch(url, { headers: from(inNetwork('2001:db8:a5:1', n)) })
          expect(refused.status).toBe(429)
          expect(refused.headers.get('retry-after')).toBeTruthy()
        }
        // The server still has room for everyone else.
        open.push(await openStream(url, from('2001:db8:a5:2::1')))
        expect(open[2]!.res.status).toBe(200)
        expect(live.hub.openStreams).toBe(3)
      } finally {
        for (const stream of open) await stream.close()
        await live.stop()
        await server.close()
      }
    })
  })
}
