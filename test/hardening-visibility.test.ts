// What readers may act on (issue 20, findings 12 and 16): a shadow comment looks published to its writer
// when they respect it, report it or ask for its replies, and to nobody else; a reply hidden under a
// turned-down thread is as gone for respect and reports as it is from the list.
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { type TestApp, aComment, aFormToken, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const SSO_SECRET = 'shadow-sso-secret-shadow-sso-secret-0123456789'
const BROWSER = 'a-browser-id-0123456789'

for (const kind of dbKinds()) {
  describe(`acting on comments readers cannot see, on ${kind}`, () => {
    let t: TestApp
    let cookies: { admin: string; moderator: string }
    let readers = 0
    const mod = (method: string, path: string, body?: unknown) => modRequest(t, cookies.moderator, method, `/api/v1/mod${path}`, body)

    const reader = async (name: string) => {
      const seconds = Math.floor(Date.now() / 1000)
      const n = ++readers
      const token = await new SignJWT({ sub: `shadow-${n}`, name, email: `shadow-${n}@paper.example` })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt(seconds)
        .setExpirationTime(seconds + 600)
        .sign(new TextEncoder().encode(SSO_SECRET))
      const answer = (await (await t.json('POST', '/api/v1/readers/sso', { token }, { ip: `198.51.100.${n}` })).json()) as {
        readerToken: string
        reader: { id: string }
      }
      return { token: answer.readerToken, id: answer.reader.id }
    }
    const from = (ip: string, token?: string): { ip: string; headers: Record<string, string> } => ({
      ip,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
    const post = async (articleId: string, fields: Record<string, unknown>, init: { ip: string; headers: Record<string, string> }) => {
      const res = await t.json(
        'POST',
        `/api/v1/articles/${articleId}/comments`,
        { formToken: await aFormToken(articleId), ...fields },
        init,
      )
      expect(res.status).toBe(201)
      return ((await res.json()) as { comment: { id: string } }).comment.id
    }
    /** Respect, report and replies on one comment, as one caller: the three statuses. */
    const actOn = async (id: string, init: { ip: string; headers: Record<string, string> }) => [
      (await t.json('POST', `/api/v1/comments/${id}/respect`, { respected: true, browser: BROWSER }, init)).status,
      (await t.json('POST', `/api/v1/comments/${id}/reports`, { reason: 'spam' }, init)).status,
      (await t.json('GET', `/api/v1/comments/${id}/replies`, undefined, init)).status,
    ]

    beforeAll(async () => {
      t = await createTestApp(kind)
      cookies = await signInBoth(t)
      await t.settings({ rateLimitPerMinute: 0, premodNewCommenters: 0, moderationMode: 'post', ssoSecret: SSO_SECRET })
    })
    afterAll(() => t?.close())

    it('answers a shadow-banned reader as for a published comment when they act on their own, and strangers with 404', async () => {
      const troll = await reader('Quiet Troll')
      const first = await post('shadow-acts', { body: 'Posted before the shadow-ban.' }, from('192.0.2.41', troll.token))
      const commenterId = (await t.db.selectFrom('comments').select('commenter_id').where('id', '=', first).executeTakeFirstOrThrow())
        .commenter_id
      expect((await mod('POST', `/commenters/${commenterId}/shadow-ban`, { reason: 'Bait on every article' })).status).toBe(200)
      const unseen = await post('shadow-acts', { body: 'Nobody but me will read this.' }, from('192.0.2.41', troll.token))
      const published = await post('shadow-acts', aComment({ body: 'An ordinary published comment.' }), from('192.0.2.42'))

      // The writer, signed in (from anywhere), meets what their own published comment answers: respect is
      // for others to give (403), a report is taken, the replies are there.
      expect(await actOn(unseen, from('2001:db8:c1:1::1', troll.token))).toEqual(await actOn(first, from('2001:db8:c1:1::1', troll.token)))
      expect(await actOn(unseen, from('2001:db8:c1:1::2', troll.token))).toEqual([403, 202, 200])
      // And a comment of someone else's as anyone's.
      expect(await actOn(published, from('2001:db8:c1:1::3', troll.token))).toEqual([200, 202, 200])
      // A stranger, signed in or not, finds nothing.
      const stranger = await reader('Stranger')
      expect(await actOn(unseen, from('192.0.2.43', stranger.token))).toEqual([404, 404, 404])
      expect(await actOn(unseen, from('192.0.2.44'))).toEqual([404, 404, 404])
      // Nothing reached a moderator: a shadow comment has no reports to weigh.
      expect(await t.db.selectFrom('reports').select('id').where('comment_id', '=', unseen).execute()).toEqual([])
    })

    it('answers a shadow-banned guest the same from the network they posted from', async () => {
      const guest = aComment()
      const first = await post('shadow-guest', guest, from('2001:db8:c2:1::1'))
      const commenterId = (await t.db.selectFrom('comments').select('commenter_id').where('id', '=', first).executeTakeFirstOrThrow())
        .commenter_id
      expect((await mod('POST', `/commenters/${commenterId}/shadow-ban`, { reason: 'Sockpuppet' })).status).toBe(200)
      const unseen = await post('shadow-guest', { ...guest, body: 'A guest writing into the void.' }, from('2001:db8:c2:1::1'))
      // Another address of the same /64: the writer's phone took a new one.
      expect(await actOn(unseen, from('2001:db8:c2:1:aaaa::9'))).toEqual([200, 202, 200])
      expect(await actOn(unseen, from('2001:db8:c2:2::1'))).toEqual([404, 404, 404])
    })

    it('refuses respect and reports on a reply hidden under a turned-down thread, as the list hides it', async () => {
      const root = await post('hidden-thread', aComment({ body: 'A root that will be turned down.' }), from('192.0.2.51'))
      const reply = await post('hidden-thread', aComment({ body: 'A reply that goes with it.', parentId: root }), from('192.0.2.52'))
      expect((await mod('POST', `/comments/${root}/reject`, { reason: 'spam' })).status).toBe(200)
      const list = (await (await t.json('GET', '/api/v1/articles/hidden-thread/comments')).json()) as { comments: unknown[] }
      expect(list.comments).toEqual([])
      expect(
        (await t.json('POST', `/api/v1/comments/${reply}/respect`, { respected: true, browser: BROWSER }, from('192.0.2.53'))).status,
      ).toBe(404)
      expect((await t.json('POST', `/api/v1/comments/${reply}/reports`, { reason: 'abuse' }, from('192.0.2.53'))).status).toBe(404)
      expect(await t.db.selectFrom('reports').select('id').where('comment_id', '=', reply).execute()).toEqual([])
      expect(
        (await t.db.selectFrom('comments').select('respect_count').where('id', '=', reply).executeTakeFirstOrThrow()).respect_count,
      ).toBe(0)
      // Approved again, the thread is back, and so are respect and reports.
      expect((await mod('POST', `/comments/${root}/approve`)).status).toBe(200)
      expect(
        (await t.json('POST', `/api/v1/comments/${reply}/respect`, { respected: true, browser: BROWSER }, from('192.0.2.53'))).status,
      ).toBe(200)
    })
  })
}
