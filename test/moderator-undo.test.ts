// Undo (issue 22, bug 3): a moderator takes back their own approval or rejection of a moment ago. It is a
// decision of its own, with its audit row, from the API and from the workspace's form alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { type TestApp, aComment, createTestApp, testClock } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

for (const kind of dbKinds()) {
  describe(`undoing a decision on ${kind}`, () => {
    let t: TestApp
    let cookies: { admin: string; moderator: string }
    const clock = testClock()
    const mod = (method: string, path: string, body?: unknown) => modRequest(t, cookies.moderator, method, path, body)
    const adm = (method: string, path: string, body?: unknown) => modRequest(t, cookies.admin, method, path, body)

    beforeAll(async () => {
      t = await createTestApp(kind, { now: clock.now })
      await t.settings({ rateLimitPerMinute: 0, moderationMode: 'pre' })
      cookies = await signInBoth(t)
    })
    afterAll(() => t?.close())

    const held = async (articleId: string, body = 'A calm remark about the convoy.') => {
      const res = await t.postComment(articleId, aComment({ body }))
      expect(res.status).toBe(202)
      return (await res.json()).comment.id as string
    }
    const row = (id: string) =>
      t.db.selectFrom('comments').select(['status', 'first_decided_at']).where('id', '=', id).executeTakeFirstOrThrow()
    const publicIds = async (articleId: string) =>
      ((await (await t.json('GET', `/api/v1/articles/${articleId}/comments`)).json()).comments as { id: string }[]).map((c) => c.id)

    it('puts an approved comment back in the queue, hides it from readers, records "undo" and forgets the example', async () => {
      const id = await held('undo-approve')
      expect((await mod('POST', `/api/v1/mod/comments/${id}/approve`, { expectStatus: 'pending' })).status).toBe(200)
      expect(await publicIds('undo-approve')).toEqual([id])
      const res = await mod('POST', `/api/v1/mod/comments/${id}/undo`)
      expect(res.status).toBe(200)
      const answer = await res.json()
      expect(answer).toMatchObject({ undone: 'approve', comment: { id, status: 'pending' } })
      expect(await row(id)).toEqual({ status: 'pending', first_decided_at: null })
      expect(await publicIds('undo-approve')).toEqual([])
      const history = (await (await mod('GET', `/api/v1/mod/comments/${id}/history`)).json()).actions
      expect(history.at(-1)).toMatchObject({ action: 'undo', actor: 'mod', reason: 'undid approve', from: 'approved', to: 'pending' })
      expect(await t.db.selectFrom('screening_examples').select('comment_id').where('comment_id', '=', id).execute()).toEqual([])
      // Twice is refused: the last decision is the undo itself.
      const again = await mod('POST', `/api/v1/mod/comments/${id}/undo`)
      expect(again.status).toBe(409)
      expect((await again.json()).error.code).toBe('conflict')
    })

    it('undoes a rejection, and refuses a colleague’s decision, a late undo and an unknown comment', async () => {
      const id = await held('undo-reject')
      await mod('POST', `/api/v1/mod/comments/${id}/reject`, { reason: 'abuse' })
      // A colleague cannot take back someone else's decision.
      expect((await adm('POST', `/api/v1/mod/comments/${id}/undo`)).status).toBe(409)
      expect((await mod('POST', `/api/v1/mod/comments/${id}/undo`)).status).toBe(200)
      expect((await row(id)).status).toBe('pending')

      const late = await held('undo-reject', 'Another calm remark.')
      await mod('POST', `/api/v1/mod/comments/${late}/approve`)
      clock.advance(11 * 60_000)
      try {
        const res = await mod('POST', `/api/v1/mod/comments/${late}/undo`)
        expect(res.status).toBe(409)
        expect((await res.json()).error.message).toContain('10 minutes')
        expect((await row(late)).status).toBe('approved')
      } finally {
        clock.reset()
      }
      expect((await mod('POST', '/api/v1/mod/comments/01hzzzzzzzzzzzzzzzzzzzzzzz/undo')).status).toBe(404)
      expect((await mod('POST', '/api/v1/mod/comments/not-an-id/undo')).status).toBe(422)
    })

    it('comes back, without JavaScript, to the comment that followed the decided one', async () => {
      const first = await held('undo-place', 'The first of two, a calm one.')
      const second = await held('undo-place', 'The second of two, also calm.')
      const queue = await (
        await t.app.request('/moderate?queue=pending&articleId=undo-place&sort=oldest', { headers: { cookie: cookies.moderator } })
      ).text()
      const formOf = (id: string, action: string) =>
        queue
          .match(new RegExp(`action="/moderate/comments/${id}/${action}"><input type="hidden" name="back" value="([^"]+)"`))![1]!
          .replaceAll('&amp;', '&')
      // The first's decisions return to the second; the last's to the one before it.
      expect(formOf(first, 'approve')).toBe(`/moderate?queue=pending&articleId=undo-place&sort=oldest#c-${second}`)
      expect(formOf(second, 'reject')).toBe(`/moderate?queue=pending&articleId=undo-place&sort=oldest#c-${first}`)
    })

    it('names the decided comment after a form decision, offers Undo, and undoes through the form (no JavaScript)', async () => {
      const id = await held('undo-form', 'You are a pig and a traitor, idiot')
      const form = (path: string, fields: Record<string, string>) =>
        t.app.request(path, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', cookie: cookies.moderator },
          body: new URLSearchParams(fields).toString(),
        })
      const decided = await form(`/moderate/comments/${id}/reject`, { back: '/moderate?articleId=undo-form', reason: 'abuse' })
      expect(decided.status).toBe(303)
      const location = decided.headers.get('location')!
      expect(location).toBe(`/moderate?articleId=undo-form&notice=rejected&c=${id}`)
      const html = await (await t.app.request(location, { headers: { cookie: cookies.moderator } })).text()
      expect(html).toContain('Rejected “<bdi>You are a pig and a traitor, idiot</bdi>” by <bdi>')
      expect(html).toContain(`action="/moderate/comments/${id}/undo"`)
      const undone = await form(`/moderate/comments/${id}/undo`, { back: '/moderate?articleId=undo-form' })
      expect(undone.status).toBe(303)
      expect(undone.headers.get('location')).toBe('/moderate?articleId=undo-form&notice=undone')
      expect((await row(id)).status).toBe('pending')
      // A link cannot make the page claim a decision nobody made, nor quote a comment in it.
      const forged = await (await t.app.request(location, { headers: { cookie: cookies.moderator } })).text()
      expect(forged).not.toContain('Rejected “')
      expect(forged).not.toContain('/undo"')
    })
  })
}
