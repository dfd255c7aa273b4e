// Issue 20, finding 15: a reader token lasts 30 days from its last use (moved at most once a day), 180 days
// at most, and a reader can sign out on every device at once, from the API or from their account page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SSO_SECRET, bearer, knowArticle, signInBySso, verifyAs } from './helpers/readers.js'
import { type TestApp, createTestApp, testClock } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const DAY = 86_400_000

for (const kind of dbKinds()) {
  describe(`reader tokens, on ${kind}`, () => {
    let t: TestApp
    const clock = testClock()
    const me = async (token: string) => (await t.json('GET', '/api/v1/readers/me', undefined, bearer(token))).status
    const tokenEnd = async (readerId: string) =>
      (
        await t.db
          .selectFrom('reader_tokens')
          .select('expires_at')
          .where('commenter_id', '=', readerId)
          .where('revoked_at', 'is', null)
          .executeTakeFirstOrThrow()
      ).expires_at.getTime()

    beforeAll(async () => {
      t = await createTestApp(kind, { now: clock.now })
      await t.settings({ rateLimitPerMinute: 0, ssoSecret: SSO_SECRET })
      await knowArticle(t)
    })
    afterAll(() => t.close())

    it('ends a sign-in left unused for 30 days', async () => {
      const { readerToken } = await verifyAs(t, 'idle.reader@example.org')
      clock.advance(31 * DAY)
      expect(await me(readerToken)).toBe(401)
    })

    it('keeps a sign-in in use alive, moving its end at most once a day, and never past 180 days', async () => {
      const { readerToken, reader } = await verifyAs(t, 'active.reader@example.org')
      const start = clock.now().getTime()
      expect(await tokenEnd(reader.id)).toBe(start + 30 * DAY)
      clock.advance(6 * 3_600_000)
      expect(await me(readerToken)).toBe(200)
      // Used within the day: the end stays where it was (no write on every request).
      expect(await tokenEnd(reader.id)).toBe(start + 30 * DAY)
      clock.advance(DAY)
      expect(await me(readerToken)).toBe(200)
      expect(await tokenEnd(reader.id)).toBe(clock.now().getTime() + 30 * DAY)
      // Used every 25 days it lives on, up to 180 days after signing in.
      for (let day = 25; day < 180; day += 25) {
        clock.advance(start + day * DAY - clock.now().getTime())
        expect(await me(readerToken), `day ${day}`).toBe(200)
      }
      expect(await tokenEnd(reader.id)).toBe(start + 180 * DAY)
      clock.advance(start + 180 * DAY + 60_000 - clock.now().getTime())
      expect(await me(readerToken)).toBe(401)
    })

    it('a sign-in through the publisher never outlives the publisher’s token, however it is used', async () => {
      const { readerToken } = await signInBySso(t, clock.now(), { sub: 'tokens-sso', name: 'Short Lived' })
      clock.advance(5 * 60_000)
      expect(await me(readerToken)).toBe(200)
      clock.advance(6 * 60_000)
      expect(await me(readerToken)).toBe(401)
    })

    it('signs a reader out on every device from the API', async () => {
      const laptop = await verifyAs(t, 'everywhere@example.org')
      const phone = await verifyAs(t, 'everywhere@example.org')
      expect(phone.reader.id).toBe(laptop.reader.id)
      const other = await verifyAs(t, 'someone.else@example.org')
      const res = await t.json('POST', '/api/v1/readers/me/signout-everywhere', undefined, bearer(phone.readerToken))
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ signedOut: 2 })
      expect(await me(laptop.readerToken)).toBe(401)
      expect(await me(phone.readerToken)).toBe(401)
      expect(await me(other.readerToken)).toBe(200)
      expect((await t.json('POST', '/api/v1/readers/me/signout-everywhere')).status).toBe(401)
    })

    it('signs a reader out on every device from their account page', async () => {
      const laptop = await verifyAs(t, 'account.everywhere@example.org')
      const phone = await verifyAs(t, 'account.everywhere@example.org')
      const { path } = (await (await t.json('POST', '/api/v1/readers/me/account-link', {}, bearer(laptop.readerToken))).json()) as {
        path: string
      }
      const page = await (await t.app.request(path)).text()
      expect(page).toContain('Sign out everywhere')
      const form = /action="([^"]*signout-everywhere[^"]*)"/.exec(page)![1]!.replaceAll('&amp;', '&')
      const done = await t.app.request(form, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' })
      expect(done.status).toBe(200)
      expect(await done.text()).toContain('You are signed out on every device.')
      expect(await me(laptop.readerToken)).toBe(401)
      expect(await me(phone.readerToken)).toBe(401)
      // A forged or altered link signs nobody out.
      const again = await verifyAs(t, 'account.everywhere@example.org')
      expect((await t.app.request(form.replace('r=', 'r=x'), { method: 'POST' })).status).toBe(404)
      expect(await me(again.readerToken)).toBe(200)
    })
  })
}
