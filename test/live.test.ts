// Live streams over real HTTP: a change made through one app instance reaches streams held by another
// over the same PostgreSQL (LISTEN/NOTIFY), resumes by Last-Event-ID, and refuses past its limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectPostgres } from '../src/platform/db/connect-pg.js'
import type { Connection } from '../src/platform/db/connect-node.js'
import { listenPostgres } from '../src/platform/live/live.bus.js'
import { NodeLive } from '../src/http/live/live.node.js'
import { appConfig, buildNodeApp, liveOf } from '../src/node.setup.js'
import { parseEnv } from '../src/env.js'
import { listen } from './helpers/browser.js'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { openStream } from './helpers/sse.js'
import { TEST_SECRET, type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

for (const kind of dbKinds()) {
  describe(`live streams on ${kind}`, () => {
    let t: TestApp
    let cookies: { admin: string; moderator: string }
    const servers: Awaited<ReturnType<typeof listen>>[] = []
    let other: { origin: string; close(): Promise<void> }

    beforeAll(async () => {
      t = await createTestApp(kind)
      cookies = await signInBoth(t)
      await t.settings({ moderationMode: 'pre', rateLimitPerMinute: 0 })
      const own = await listen(t.app.fetch)
      servers.push(own)
      if (kind === 'postgres') {
        // A second replica: its own pool, its own LISTEN connection, the same database.
        const url = (t.connection as Connection & { url: string }).url
        const db = connectPostgres(url, { max: 4 })
        const connection: Connection = { db, kind: 'postgres', listen: listenPostgres(url), close: () => db.destroy() }
        const env = parseEnv({ NODE_ENV: 'test', IP_HASH_SECRET: TEST_SECRET })
        const replica = buildNodeApp(connection, appConfig(env, TEST_SECRET), { trustProxy: true })
        const server = await listen(replica.fetch)
        other = {
          origin: server.origin,
          close: async () => {
            await liveOf(replica).stop()
            await server.close()
            await connection.close()
          },
        }
      } else {
        other = { origin: own.origin, close: async () => undefined }
      }
    })
    afterAll(async () => {
      await other?.close()
      for (const server of servers) await server.close()
      await t?.close()
    })

    it('a comment approved through one instance reaches a reader’s stream on another, with the new count', async () => {
      const stream = await openStream(`${other.origin}/api/v1/articles/live-1/stream`)
      expect(stream.res.headers.get('content-type')).toContain('text/event-stream')
      const { comment } = (await (await t.postComment('live-1', aComment({ body: 'Live from the corridor.' }))).json()) as {
        comment: { id: string }
      }
      await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/comments/${comment.id}/approve`)
      const event = await stream.waitFor((e) => e.event === 'comment')
      expect(event.data).toMatchObject({ comment: { id: comment.id, body: 'Live from the corridor.' }, count: 1 })
      expect(JSON.stringify(event.data)).not.toMatch(/@|email|ip_hash/)
      // Turned down later: readers hear that it went, by id only.
      await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/comments/${comment.id}/reject`, { reason: 'spam' })
      expect((await stream.waitFor((e) => e.event === 'hidden')).data).toEqual({ id: comment.id, count: 0 })
      await stream.close()
    })

    it('resumes after a reconnect with Last-Event-ID, missing nothing', async () => {
      // A moderator's stream on the same instance tells when a change has reached it: the instance handles
      // each change's notice in order, the readers' channel before the moderators'.
      const witness = await openStream(`${other.origin}/api/v1/mod/stream`, { cookie: cookies.admin, 'sec-fetch-site': 'same-origin' })
      const first = await openStream(`${other.origin}/api/v1/articles/live-2/stream`)
      const one = (await (await t.postComment('live-2', aComment())).json()) as { comment: { id: string } }
      await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/comments/${one.comment.id}/approve`)
      const seen = await first.waitFor((e) => e.event === 'comment')
      await first.close()
      const two = (await (await t.postComment('live-2', aComment())).json()) as { comment: { id: string } }
      await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/comments/${two.comment.id}/approve`)
      // Delivered while no reader was connected.
      await witness.waitFor((e) => {
        const data = e.data as { commentId: string; type: string }
        return e.event === 'queue' && data.commentId === two.comment.id && data.type === 'published'
      })
      const again = await openStream(`${other.origin}/api/v1/articles/live-2/stream`, { 'last-event-id': seen.id! })
      const missed = await again.waitFor((e) => e.event === 'comment')
      expect((missed.data as { comment: { id: string } }).comment.id).toBe(two.comment.id)
      await again.close()
      await witness.close()
    })

    it('moderators hear decisions with who made them and the counts; readers may not listen there', async () => {
      expect((await fetch(`${other.origin}/api/v1/mod/stream`)).status).toBe(401)
      const mod = await openStream(`${other.origin}/api/v1/mod/stream`, { cookie: cookies.admin, 'sec-fetch-site': 'same-origin' })
      const { comment } = (await (await t.postComment('live-3', aComment())).json()) as { comment: { id: string } }
      const held = await mod.waitFor((e) => e.event === 'queue' && (e.data as { commentId: string }).commentId === comment.id)
      expect(held.data).toMatchObject({ type: 'held', status: 'pending', by: null })
      await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/comments/${comment.id}/approve`)
      const decided = await mod.waitFor((e) => e.event === 'queue' && (e.data as { type: string }).type === 'published')
      expect(decided.data).toMatchObject({ commentId: comment.id, status: 'approved', by: 'mod' })
      await modRequest(t, cookies.moderator, 'POST', '/api/v1/mod/presence', { commentId: comment.id })
      expect((await mod.waitFor((e) => e.event === 'viewing')).data).toEqual({ commentId: comment.id, by: 'mod' })
      await mod.close()
    })

    it('a second decision on a comment a colleague already decided answers 409 and names them', async () => {
      const { comment } = (await (await t.postComment('live-4', aComment())).json()) as { comment: { id: string } }
      await modRequest(t, cookies.admin, 'POST', `/api/v1/mod/comments/${comment.id}/reject`, { reason: 'spam', expectStatus: 'pending' })
      const second = await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/comments/${comment.id}/approve`, {
        expectStatus: 'pending',
      })
      expect(second.status).toBe(409)
      const body = (await second.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('already_decided')
      expect(body.error.message).toContain('editor')
      // Sent again without what they saw, it is a decision on purpose.
      expect((await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/comments/${comment.id}/approve`)).status).toBe(200)
    })

    it('caps streams per address and per process, answering with Retry-After', async () => {
      const live = new NodeLive(t.connection, { maxStreams: 3, maxPerIp: 2, replayMessages: 100, replaySeconds: 60 })
      const capped = buildNodeApp(t.connection, appConfig(parseEnv({ NODE_ENV: 'test', IP_HASH_SECRET: TEST_SECRET }), TEST_SECRET), {
        trustProxy: true,
        live,
      })
      const server = await listen(capped.fetch)
      const as = (ip: string) => ({ 'x-forwarded-for': ip })
      const open = [
        await openStream(`${server.origin}/api/v1/articles/cap/stream`, as('198.51.100.1')),
        await openStream(`${server.origin}/api/v1/articles/cap/stream`, as('198.51.100.1')),
      ]
      const thirdFromSameAddress = await fetch(`${server.origin}/api/v1/articles/cap/stream`, { headers: as('198.51.100.1') })
      expect(thirdFromSameAddress.status).toBe(429)
      expect(thirdFromSameAddress.headers.get('retry-after')).toBeTruthy()
      open.push(await openStream(`${server.origin}/api/v1/articles/cap/stream`, as('198.51.100.2')))
      const full = await fetch(`${server.origin}/api/v1/articles/cap/stream`, { headers: as('198.51.100.3') })
      expect(full.status).toBe(503)
      expect(Number(full.headers.get('retry-after'))).toBeGreaterThan(0)
      for (const stream of open) await stream.close()
      // The server hears of each close when its socket does.
      await expect.poll(() => live.hub.openStreams).toBe(0)
      await live.stop()
      await server.close()
    })
  })
}
