// Two moderators deciding the same comment at the same moment: with expectStatus, exactly one decision
// wins (checked under the row lock, not before it); the other answers 409 already_decided naming the
// winner, and leaves no audit row. The same for bulk decisions from the workspace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, MODERATOR, modRequest, signInBoth } from './helpers/moderators.js'
import { type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

for (const kind of dbKinds()) {
  describe(`one winner per decision on ${kind}`, () => {
    let t: TestApp
    let cookies: { admin: string; moderator: string }

    beforeAll(async () => {
      t = await createTestApp(kind)
      await t.settings({ rateLimitPerMinute: 0, moderationMode: 'pre' })
      cookies = await signInBoth(t)
    })
    afterAll(() => t?.close())

    const held = async (articleId: string) => {
      const res = await t.postComment(articleId, aComment())
      expect(res.status).toBe(202)
      return ((await res.json()) as { comment: { id: string } }).comment.id
    }
    const decisions = (ids: string[]) =>
      t.db
        .selectFrom('moderation_actions')
        .select(['comment_id', 'action', 'actor_name'])
        .where('comment_id', 'in', ids)
        .where('action', 'in', ['approve', 'reject'])
        .orderBy('id')
        .execute()

    it('approve and reject sent at once with expectStatus: one wins, the other gets 409 and writes nothing', async () => {
      const ids: string[] = []
      for (let i = 0; i < 20; i++) ids.push(await held('race-article'))
      const results = await Promise.all(
        ids.map(async (id) => {
          const [approve, reject] = await Promise.all([
            modRequest(t, cookies.admin, 'POST', `/api/v1/mod/comments/${id}/approve`, { expectStatus: 'pending' }),
            modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/comments/${id}/reject`, { reason: 'spam', expectStatus: 'pending' }),
          ])
          return { id, approve, reject }
        }),
      )
      const audit = await decisions(ids)
      const rows = await t.db.selectFrom('comments').select(['id', 'status']).where('id', 'in', ids).execute()
      const status = new Map(rows.map((r) => [r.id, r.status]))
      for (const { id, approve, reject } of results) {
        expect([approve.status, reject.status].sort(), id).toEqual([200, 409])
        const [winner, loser] = approve.status === 200 ? [approve, reject] : [reject, approve]
        const won = approve.status === 200 ? { status: 'approved', by: ADMIN.username } : { status: 'rejected', by: MODERATOR.username }
        expect(((await winner.json()) as { comment: { status: string } }).comment.status).toBe(won.status)
        const refusal = (await loser.json()) as { error: { code: string; message: string; fields: Record<string, string> } }
        expect(refusal.error.code).toBe('already_decided')
        expect(refusal.error.fields).toMatchObject({ status: won.status, decidedBy: won.by })
        expect(Number.isNaN(Date.parse(refusal.error.fields.decidedAt!))).toBe(false)
        expect(refusal.error.message).toContain(won.by)
        // The comment ends as the winner decided, and only the winner is in the audit log.
        expect(status.get(id)).toBe(won.status)
        expect(audit.filter((a) => a.comment_id === id)).toEqual([
          { comment_id: id, action: won.status === 'approved' ? 'approve' : 'reject', actor_name: won.by },
        ])
      }
    })

    it('bulk decisions from two pages at once: each comment is decided once, the other page is told', async () => {
      const ids: string[] = []
      for (let i = 0; i < 10; i++) ids.push(await held('race-bulk'))
      const bulk = (cookie: string, action: 'approve' | 'reject') => {
        const form = new URLSearchParams({ action, back: '/moderate?queue=pending' })
        if (action === 'reject') form.set('reason', 'spam')
        for (const id of ids) {
          form.append('ids', id)
          form.append('seen', `${id}:pending`)
        }
        return t.app.request('/moderate/bulk', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', cookie },
          body: form.toString(),
        })
      }
      const answers = await Promise.all([bulk(cookies.admin, 'approve'), bulk(cookies.moderator, 'reject')])
      const counts = answers.map((res) => {
        expect(res.status).toBe(303)
        const location = new URL(res.headers.get('location')!, 'http://x')
        return { n: Number(location.searchParams.get('n')), skipped: Number(location.searchParams.get('skipped') ?? 0) }
      })
      expect(counts[0]!.n + counts[1]!.n).toBe(ids.length)
      expect(counts[0]!.skipped).toBe(counts[1]!.n)
      expect(counts[1]!.skipped).toBe(counts[0]!.n)
      const audit = await decisions(ids)
      expect(audit).toHaveLength(ids.length)
      expect(new Set(audit.map((a) => a.comment_id)).size).toBe(ids.length)
      if (counts[0]!.skipped > 0) {
        const page = await t.app.request(`/moderate?queue=pending&notice=bulk_approved&n=${counts[0]!.n}&skipped=${counts[0]!.skipped}`, {
          headers: { cookie: cookies.admin },
        })
        expect(await page.text()).toContain('left as a colleague had decided them meanwhile')
      }
    })

    it('the workspace still offers to decide anyway, and deciding anyway is audited', async () => {
      const id = await held('race-anyway')
      expect((await modRequest(t, cookies.admin, 'POST', `/api/v1/mod/comments/${id}/reject`, { expectStatus: 'pending' })).status).toBe(
        200,
      )
      const send = (fields: Record<string, string>) =>
        t.app.request(`/moderate/comments/${id}/approve`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', cookie: cookies.moderator },
          body: new URLSearchParams(fields).toString(),
        })
      const asked = await send({ expect: 'pending', back: '/moderate' })
      expect(asked.status).toBe(409)
      const page = await asked.text()
      expect(page).toContain('Decide anyway')
      expect(page).toContain(ADMIN.username)
      expect(await decisions([id])).toHaveLength(1)
      expect((await send({ back: '/moderate' })).status).toBe(303)
      expect((await decisions([id])).map((a) => a.action)).toEqual(['reject', 'approve'])
    })
  })
}
