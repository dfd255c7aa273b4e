// A moderator's own mail preferences through the JSON API: the same values the workspace's account page
// shows and saves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { type TestApp, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

for (const kind of dbKinds()) {
  describe(`moderators' mail preferences on ${kind}`, () => {
    let t: TestApp
    let cookies: { admin: string; moderator: string }
    beforeAll(async () => {
      t = await createTestApp(kind)
      cookies = await signInBoth(t)
    })
    afterAll(() => t?.close())

    const mine = (method: string, body?: unknown) => modRequest(t, cookies.moderator, method, '/api/v1/mod/account/mail', body)

    it('reads and changes only what is sent, and the workspace shows the same', async () => {
      const start = await mine('GET')
      expect(start.status).toBe(200)
      expect(await start.json()).toEqual({ mail: { email: null, alerts: true, digest: true } })

      const set = await mine('PUT', { email: ' desk@news.example ', digest: false })
      expect(set.status).toBe(200)
      expect(await set.json()).toEqual({ mail: { email: 'desk@news.example', alerts: true, digest: false } })
      const page = await (await t.app.request('/moderate/account', { headers: { cookie: cookies.moderator } })).text()
      expect(page).toContain('value="desk@news.example"')
      expect(page).toMatch(/name="digest" value="true"(?! checked)/)

      // Each moderator has their own.
      expect((await (await modRequest(t, cookies.admin, 'GET', '/api/v1/mod/account/mail')).json()).mail.email).toBeNull()

      // null stops all mail; the rest stays.
      expect(await (await mine('PUT', { email: null })).json()).toEqual({ mail: { email: null, alerts: true, digest: false } })
    })

    it('refuses what is not a preference with 422 and the field, and callers who are not signed in', async () => {
      const bad = await mine('PUT', { email: 'not-an-address', alerts: 'yes' })
      expect(bad.status).toBe(422)
      const { error } = await bad.json()
      expect(error.code).toBe('validation_failed')
      expect(Object.keys(error.fields).sort()).toEqual(['alerts', 'email'])
      expect((await mine('PUT', { role: 'admin' })).status).toBe(422)
      expect((await mine('PUT', { email: `${'a'.repeat(250)}@news.example` })).status).toBe(422)
      expect((await t.json('GET', '/api/v1/mod/account/mail')).status).toBe(401)
      // A state change from another site is refused, as for every moderator call.
      const crossSite = await t.json(
        'PUT',
        '/api/v1/mod/account/mail',
        { digest: true },
        { headers: { cookie: cookies.moderator, 'sec-fetch-site': 'cross-site' } },
      )
      expect(crossSite.status).toBe(403)
      expect((await (await mine('GET')).json()).mail.digest).toBe(false)
    })
  })
}
