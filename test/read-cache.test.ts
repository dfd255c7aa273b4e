import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { FRESH_MS } from '../src/http/shared/public-cache.js'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { PUBLISHER_ORIGIN, type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

for (const kind of dbKinds()) {
  describe(`the cached read path on ${kind}`, () => {
    let t: TestApp
    let cookie: string
    const list = (path = '/api/v1/articles/cached/comments', headers: Record<string, string> = {}) => t.app.request(path, { headers })
    const post = async (body: string) => (await (await t.postComment('cached', aComment({ body }))).json()).comment as { id: string }

    beforeAll(async () => {
      t = await createTestApp(kind)
      // Pre-moderated, so each change to the public view is one a moderator made.
      await t.settings({ rateLimitPerMinute: 0, premodNewCommenters: 0, moderationMode: 'pre' })
      cookie = (await signInBoth(t)).moderator
    })
    afterAll(() => t?.close())

    it('answers lists and counts with an ETag and a short public lifetime, and 304 when unchanged', async () => {
      await post('First, held')
      for (const path of ['/api/v1/articles/cached/comments', '/api/v1/counts?articles=cached,other']) {
        const res = await list(path)
        expect(res.status).toBe(200)
        expect(res.headers.get('cache-control')).toBe('public, max-age=4, stale-while-revalidate=30')
        const etag = res.headers.get('etag')!
        expect(etag).toMatch(/^"[0-9a-z]+-[0-9a-z]+"$/)
        const again = await list(path, { 'if-none-match': etag })
        expect(again.status).toBe(304)
        expect(again.headers.get('etag')).toBe(etag)
        expect(await again.text()).toBe('')
      }
      const page2 = await list('/api/v1/articles/cached/comments?sort=oldest')
      expect(page2.headers.get('etag')).not.toBe((await list()).headers.get('etag'))
    })

    it('shows an approval, a feature and a rejection at once on the replica that made it', async () => {
      const held = await post('Second, approved later')
      const before = (await list()).headers.get('etag')
      expect((await modRequest(t, cookie, 'POST', `/api/v1/mod/comments/${held.id}/approve`)).status).toBe(200)
      const approved = await list('/api/v1/articles/cached/comments', { 'if-none-match': before! })
      expect(approved.status).toBe(200)
      expect((await approved.json()).comments.map((c: { id: string }) => c.id)).toEqual([held.id])
      expect((await (await list('/api/v1/counts?articles=cached')).json()).counts.cached).toBe(1)

      await modRequest(t, cookie, 'POST', `/api/v1/mod/comments/${held.id}/feature`)
      expect((await (await list()).json()).comments[0].featured).toBe(true)
      await modRequest(t, cookie, 'POST', `/api/v1/mod/comments/${held.id}/reject`, { reason: 'other' })
      expect((await (await list()).json()).comments).toEqual([])
    })

    it('lets another replica catch up within its freshness window through the version stamp', async () => {
      const other = t.replica()
      const fromOther = async () =>
        (await (await other.request('/api/v1/articles/cached/comments')).json()).comments.map((c: { body: string }) => c.body)
      expect(await fromOther()).toEqual([])
      const held = await post('Third, approved on the first replica')
      await modRequest(t, cookie, 'POST', `/api/v1/mod/comments/${held.id}/approve`)
      // Within the window the other replica may still answer from memory; once it has passed (the clock is
      // moved, not waited for), the stamp shows the change.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + FRESH_MS })
      try {
        expect(await fromOther()).toEqual(['Third, approved on the first replica'])
      } finally {
        vi.useRealTimers()
      }
    })

    it('answers a fresh cached read before routing, header for header as the routed path does', async () => {
      const held = await post('Fourth, for the fast path')
      await modRequest(t, cookie, 'POST', `/api/v1/mod/comments/${held.id}/approve`)
      let shift = 0
      // Once the freshness window has passed (the clock is moved), the read goes through the middleware and
      // the route again, which recheck the stamp and answer from the same entry.
      const routed = async (path: string, headers: Record<string, string>) => {
        shift += 2 * FRESH_MS
        vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + shift })
        try {
          return await list(path, headers)
        } finally {
          vi.useRealTimers()
        }
      }
      for (const path of ['/api/v1/articles/cached/comments', '/api/v1/counts?articles=cached', '/api/v1/articles/cached/fallback']) {
        const etag = (await list(path)).headers.get('etag')!
        const variants: Record<string, string>[] = [
          {},
          { origin: PUBLISHER_ORIGIN },
          { origin: 'http://localhost' },
          { origin: 'https://elsewhere.example' },
          { 'if-none-match': etag },
          { 'if-none-match': `"other", ${etag}`, origin: PUBLISHER_ORIGIN },
        ]
        for (const headers of variants) {
          const viaRoute = await routed(path, headers)
          // Without a promise: nothing but the look-up ran.
          const hit = t.app.fetch(new Request(`http://localhost${path}`, { headers }))
          expect(hit).toBeInstanceOf(Response)
          const fast = hit as Response
          expect(fast.status).toBe(viaRoute.status)
          // Every header but the request id, which names a routed request's log line (hits log at debug only).
          const { 'x-request-id': requestId, ...routedHeaders } = Object.fromEntries(viaRoute.headers)
          expect(requestId).toBeTruthy()
          expect(Object.fromEntries(fast.headers)).toEqual(routedHeaders)
          expect(await fast.text()).toBe(await viaRoute.text())
        }
      }
      // Anything but a GET is routed.
      expect(t.app.fetch(new Request('http://localhost/api/v1/articles/cached/comments', { method: 'HEAD' }))).toBeInstanceOf(Promise)
    })

    it('never caches reader-specific or moderator answers', async () => {
      expect((await list('/api/v1/articles/cached/form-token')).headers.get('cache-control')).toBe('no-store')
      expect((await modRequest(t, cookie, 'GET', '/api/v1/mod/queue')).headers.get('cache-control')).toBe('no-store')
      expect((await modRequest(t, cookie, 'GET', '/api/v1/auth/me')).headers.get('cache-control')).toBe('no-store')
    })
  })
}
