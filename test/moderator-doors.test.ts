// The moderators' two doors, the JSON API and the workspace's forms, hold the same rules: what one
// refuses the other refuses, and an administrator's route is closed to a moderator at both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MODERATOR, modRequest, signInBoth } from './helpers/moderators.js'
import { type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

for (const kind of dbKinds()) {
  describe(`the moderators' two doors on ${kind}`, () => {
    let t: TestApp
    let cookies: { admin: string; moderator: string }
    const api = (method: string, path: string, body?: unknown) => modRequest(t, cookies.moderator, method, `/api/v1/mod${path}`, body)
    const form = (path: string, fields: Record<string, string>, cookie = cookies.moderator) =>
      t.app.request(`/moderate${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', cookie },
        body: new URLSearchParams(fields).toString(),
      })
    const commenter = async () => {
      const { comment } = await (await t.postComment('two-doors', aComment())).json()
      const row = await t.db.selectFrom('comments').select('commenter_id').where('id', '=', comment.id).executeTakeFirstOrThrow()
      return row.commenter_id!
    }
    const standing = (id: string) =>
      t.db.selectFrom('commenters').select(['status', 'suspended_until', 'shadow_banned']).where('id', '=', id).executeTakeFirstOrThrow()
    const audit = (id: string) =>
      t.db
        .selectFrom('moderation_actions')
        .select(['action', 'reason'])
        .where('commenter_id', '=', id)
        .where('action', '!=', 'screened') // a moderator's decisions, not the screening's
        .orderBy('created_at')
        .orderBy('id')
        .execute()

    beforeAll(async () => {
      t = await createTestApp(kind)
      await t.settings({ rateLimitPerMinute: 0 })
      cookies = await signInBoth(t)
    })
    afterAll(() => t?.close())

    it('refuses the same over-long suspension and shadow-ban reason at both doors, and keeps one that fits whole', async () => {
      const id = await commenter()
      const tooLong = 'r'.repeat(501)
      const viaApi = await api('POST', `/commenters/${id}/suspend`, { days: 7, reason: tooLong })
      expect(viaApi.status).toBe(422)
      expect((await viaApi.json()).error.fields).toEqual({ reason: 'A reason has at most 500 characters' })
      const viaForm = await form(`/commenters/${id}/suspend`, { days: '7', reason: tooLong })
      expect(viaForm.status).toBe(422)
      expect(viaForm.headers.get('content-type')).toContain('text/html')
      expect(await viaForm.text()).toContain('A reason has at most 500 characters')
      for (const [door, res] of [
        ['api', await api('POST', `/commenters/${id}/shadow-ban`, { reason: tooLong })],
        ['form', await form(`/commenters/${id}/shadow-ban`, { reason: tooLong })],
      ] as const) {
        expect(res.status, door).toBe(422)
      }
      expect(await standing(id)).toEqual({ status: 'normal', suspended_until: null, shadow_banned: false })
      expect(await audit(id)).toEqual([])

      const fits = 'f'.repeat(500)
      expect((await form(`/commenters/${id}/suspend`, { days: '7', reason: fits })).status).toBe(303)
      expect((await api('POST', `/commenters/${id}/shadow-ban`, { reason: fits })).status).toBe(200)
      const recorded = await audit(id)
      expect(recorded.map((a) => a.action)).toEqual(['suspend', 'shadow_ban'])
      expect(recorded[0]!.reason).toMatch(new RegExp(`: ${fits}$`))
      expect(recorded[1]!.reason).toBe(fits)
    })

    it('bans with or without a reason at both doors, and refuses an over-long one at both', async () => {
      const [byApi, byForm] = [await commenter(), await commenter()]
      expect((await api('POST', `/commenters/${byApi}/ban`, { reason: 'b'.repeat(501) })).status).toBe(422)
      expect((await form(`/commenters/${byForm}/ban`, { reason: 'b'.repeat(501) })).status).toBe(422)
      expect((await standing(byApi)).status).toBe('normal')
      expect((await standing(byForm)).status).toBe('normal')

      expect((await api('POST', `/commenters/${byApi}/ban`)).status).toBe(200)
      expect((await form(`/commenters/${byForm}/ban`, { back: '/moderate', reason: '' })).status).toBe(303)
      for (const id of [byApi, byForm]) {
        expect((await standing(id)).status).toBe('banned')
        expect(await audit(id)).toEqual([{ action: 'ban', reason: null }])
      }
    })

    it('closes the same administrators’ routes to a moderator at both doors, before reading what was sent', async () => {
      const id = await commenter()
      const pairs = [
        { api: ['POST', `/commenters/${id}/erase`, { mode: 'remove' }], form: [`/commenters/${id}/erase`, {}] },
        { api: ['PUT', '/settings', { siteName: 'Taken over' }], form: ['/settings', { siteName: 'Taken over' }] },
        { api: ['POST', '/users', { username: 'x', password: 'y', role: 'admin' }], form: ['/users', { username: 'x' }] },
        { api: ['GET', '/users'], form: null },
      ] as const
      for (const pair of pairs) {
        const [method, path, body] = pair.api
        const viaApi = await api(method, path, body)
        expect(viaApi.status, `${method} /api/v1/mod${path}`).toBe(403)
        expect((await viaApi.json()).error.code).toBe('forbidden')
        if (!pair.form) continue
        const [formPath, fields] = pair.form
        const viaForm = await form(formPath, fields)
        expect(viaForm.status, `POST /moderate${formPath}`).toBe(403)
        expect(await viaForm.text()).toContain('Only administrators may do this')
      }
      for (const path of ['/users', '/imports']) {
        const page = await t.app.request(`/moderate${path}`, { headers: { cookie: cookies.moderator } })
        expect(page.status, `GET /moderate${path}`).toBe(403)
      }
      expect((await standing(id)).status).toBe('normal')
      const names = (await t.db.selectFrom('moderators').select('username').execute()).map((m) => m.username).sort()
      expect(names).toEqual(['editor', MODERATOR.username])
      // An administrator passes the same guard at both.
      expect((await modRequest(t, cookies.admin, 'GET', '/api/v1/mod/users')).status).toBe(200)
      expect((await t.app.request('/moderate/users', { headers: { cookie: cookies.admin } })).status).toBe(200)
    })
  })
}
