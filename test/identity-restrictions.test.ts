// Issue 20, finding 1: a restriction outlives the account. A banned, suspended or shadow-banned reader who
// deletes their account and proves the same mailbox (or trades the same publisher's user id) again gets
// the restriction back; a guest post with an erased banned commenter's mailbox is held; lifting the
// restriction on the returned reader forgets what was kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { SSO_SECRET, bearer, errorCode, knowArticle, postAs, signInBySso, verifyAs } from './helpers/readers.js'
import { type TestApp, aComment, aFormToken, createTestApp, testClock } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

for (const kind of dbKinds()) {
  describe(`restrictions that outlive deleting the account, on ${kind}`, () => {
    let t: TestApp
    let cookies: { admin: string; moderator: string }
    const clock = testClock()
    const mod = (method: string, path: string, body?: unknown) => modRequest(t, cookies.moderator, method, `/api/v1/mod${path}`, body)
    // Each article's posts come from an address of their own: a banned reader's address holds every post from it.
    const addresses = new Map<string, string>()
    const addressOf = (articleId: string) =>
      addresses.get(articleId) ?? addresses.set(articleId, `198.18.7.${addresses.size + 1}`).get(articleId)!
    const post = (token: string, articleId: string, body = 'A considered comment about the corridor.') =>
      postAs(t, token, articleId, body, clock.now(), addressOf(articleId))
    const deleteAccount = async (token: string) =>
      expect((await t.json('DELETE', '/api/v1/readers/me', undefined, bearer(token))).status).toBe(200)
    /** Deletes the account the way the account page's form does. */
    const deleteOnAccountPage = async (token: string) => {
      const { path } = (await (await t.json('POST', '/api/v1/readers/me/account-link', {}, bearer(token))).json()) as { path: string }
      const res = await t.app.request(path.replace('/readers/account?', '/readers/account/delete?'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'confirmed=true',
      })
      expect(res.status).toBe(200)
    }
    /** A guest's post, its form token issued a minute ago on the test's clock. */
    const guestPost = async (articleId: string, body: Record<string, unknown>, ip: string) =>
      t.json(
        'POST',
        `/api/v1/articles/${articleId}/comments`,
        { ...body, formToken: await aFormToken(articleId, new Date(clock.now().getTime() - 60_000)) },
        { ip },
      )
    const commenter = (id: string) =>
      t.db.selectFrom('commenters').select(['status', 'suspended_until', 'shadow_banned']).where('id', '=', id).executeTakeFirstOrThrow()

    beforeAll(async () => {
      t = await createTestApp(kind, { now: clock.now })
      cookies = await signInBoth(t)
      await t.settings({ rateLimitPerMinute: 0, ssoSecret: SSO_SECRET, moderationMode: 'post', premodNewCommenters: 0 })
      await knowArticle(t)
    })
    afterAll(() => t.close())

    it('a banned reader who deletes their account and verifies the same mailbox again is still banned', async () => {
      const first = await verifyAs(t, 'banned.reader@example.org', 'Banned Reader')
      expect((await post(first.readerToken, 'restrict-ban')).status).toBe(201)
      expect((await mod('POST', `/commenters/${first.reader.id}/ban`, { reason: 'sockpuppet of a banned account' })).status).toBe(200)
      expect(await errorCode(await post(first.readerToken, 'restrict-ban'))).toBe('commenter_banned')

      await deleteAccount(first.readerToken)
      const again = await verifyAs(t, 'banned.reader@example.org', 'Fresh Start')
      expect(again.reader.id).not.toBe(first.reader.id)
      const refused = await post(again.readerToken, 'restrict-ban')
      expect(refused.status).toBe(403)
      expect(await errorCode(refused)).toBe('commenter_banned')
      // Another spelling of the mailbox is the same mailbox.
      await deleteAccount(again.readerToken)
      const tagged = await verifyAs(t, 'banned.reader+new@example.org')
      expect(await errorCode(await post(tagged.readerToken, 'restrict-ban'))).toBe('commenter_banned')
      // What is kept names nobody.
      const kept = JSON.stringify(await t.db.selectFrom('kept_restrictions').selectAll().execute())
      expect(kept).not.toMatch(/banned\.reader|sockpuppet|Banned Reader/i)
    })

    it('a suspension deleted on the account page comes back until it ends', async () => {
      const first = await verifyAs(t, 'suspended.reader@example.org', 'Suspended Reader')
      expect((await mod('POST', `/commenters/${first.reader.id}/suspend`, { days: 7, reason: 'Insults after a warning' })).status).toBe(200)
      const until = (await commenter(first.reader.id)).suspended_until!
      await deleteOnAccountPage(first.readerToken)
      const again = await verifyAs(t, 'suspended.reader@example.org')
      const refused = await post(again.readerToken, 'restrict-suspend')
      expect(refused.status).toBe(403)
      expect(await errorCode(refused)).toBe('commenter_suspended')
      expect((await commenter(again.reader.id)).suspended_until).toEqual(until)
      clock.advance(8 * 86_400_000)
      expect((await post(again.readerToken, 'restrict-suspend')).status).toBe(201)
    })

    it('a shadow-banned reader stays shadow-banned after deleting their account', async () => {
      const first = await verifyAs(t, 'shadow.reader@example.org', 'Shadow Reader')
      expect((await mod('POST', `/commenters/${first.reader.id}/shadow-ban`, { reason: 'Spam under many names' })).status).toBe(200)
      await deleteAccount(first.readerToken)
      const again = await verifyAs(t, 'shadow.reader@example.org')
      const posted = await post(again.readerToken, 'restrict-shadow', 'Nobody else should ever read this one.')
      // Answered as published, as a shadow-ban answers; nobody else sees it.
      expect(posted.status).toBe(201)
      expect((await commenter(again.reader.id)).shadow_banned).toBe(true)
      const list = (await (await t.json('GET', '/api/v1/articles/restrict-shadow/comments')).json()) as { comments: unknown[] }
      expect(list.comments).toEqual([])
    })

    it('a banned, a suspended and a shadow-banned SSO reader keep their restriction when trading the same subject again', async () => {
      const restrict = {
        ban: ['ban', {}],
        suspend: ['suspend', { days: 30, reason: 'Threats' }],
        shadow: ['shadow-ban', { reason: 'Spam' }],
      } as const
      for (const [label, [action, body]] of Object.entries(restrict)) {
        const claims = { sub: `publisher-user-${label}`, name: `Subscriber ${label}` }
        const first = await signInBySso(t, clock.now(), claims)
        expect((await mod('POST', `/commenters/${first.reader.id}/${action}`, body)).status, label).toBe(200)
        await deleteAccount(first.readerToken)
        const again = await signInBySso(t, clock.now(), claims)
        expect(again.reader.id, label).not.toBe(first.reader.id)
        const res = await post(again.readerToken, `restrict-sso-${label}`)
        if (label === 'shadow') {
          expect(res.status).toBe(201)
          expect((await commenter(again.reader.id)).shadow_banned).toBe(true)
        } else {
          expect(res.status, label).toBe(403)
          expect(await errorCode(res), label).toBe(label === 'ban' ? 'commenter_banned' : 'commenter_suspended')
        }
      }
    })

    it('an SSO reader banned and deleted cannot come back by proving the same mailbox by email', async () => {
      const first = await signInBySso(t, clock.now(), { sub: 'publisher-user-switch', name: 'Switcher', email: 'switcher@example.org' })
      expect((await mod('POST', `/commenters/${first.reader.id}/ban`, {})).status).toBe(200)
      await deleteAccount(first.readerToken)
      const byMail = await verifyAs(t, 'switcher@example.org')
      expect(await errorCode(await post(byMail.readerToken, 'restrict-switch'))).toBe('commenter_banned')
    })

    it('holds a guest post with the mailbox of a banned commenter an admin erased', async () => {
      const email = 'erased.guest@example.org'
      const first = await guestPost(
        'restrict-guest',
        aComment({ email, body: 'My first words on this site, about the convoy.' }),
        '198.51.100.30',
      )
      expect(first.status).toBe(201)
      const { id } = await t.db
        .selectFrom('commenters')
        .select('id')
        .where('email_normalized', '=', email)
        .where('kind', '=', 'guest')
        .executeTakeFirstOrThrow()
      expect((await mod('POST', `/commenters/${id}/ban`, {})).status).toBe(200)
      expect((await modRequest(t, cookies.admin, 'POST', `/api/v1/mod/commenters/${id}/erase`, { mode: 'remove' })).status).toBe(200)
      const back = await guestPost(
        'restrict-guest',
        aComment({ email: 'Erased.Guest+back@example.org', body: 'Back under the same mailbox.' }),
        '198.51.100.31',
      )
      expect(back.status).toBe(202)
      const { comment } = (await back.json()) as { comment: { id: string } }
      const stored = await t.db.selectFrom('comments').select('screening').where('id', '=', comment.id).executeTakeFirstOrThrow()
      expect(stored.screening.reasons?.map((r) => r.rule)).toContain('banned_commenter')
    })

    it('holds a guest post from an address an erased banned reader posted from', async () => {
      const first = await verifyAs(t, 'address.reader@example.org')
      expect(
        (await postAs(t, first.readerToken, 'restrict-address', 'Posted from my usual address.', clock.now(), '198.51.100.77')).status,
      ).toBe(201)
      expect((await mod('POST', `/commenters/${first.reader.id}/ban`, {})).status).toBe(200)
      await deleteAccount(first.readerToken)
      expect((await guestPost('restrict-address', aComment({ body: 'A new name from the same address.' }), '198.51.100.77')).status).toBe(
        202,
      )
      expect((await guestPost('restrict-address', aComment({ body: 'Someone else entirely.' }), '198.51.100.78')).status).toBe(201)
    })

    it('a moderator who lifts the restriction on the returned reader lifts it for good', async () => {
      const first = await verifyAs(t, 'forgiven.reader@example.org')
      expect((await mod('POST', `/commenters/${first.reader.id}/ban`, {})).status).toBe(200)
      await deleteAccount(first.readerToken)
      const returned = await verifyAs(t, 'forgiven.reader@example.org')
      expect((await commenter(returned.reader.id)).status).toBe('banned')
      expect((await mod('POST', `/commenters/${returned.reader.id}/reset`, { reason: 'Appeal accepted' })).status).toBe(200)
      expect((await post(returned.readerToken, 'restrict-lifted')).status).toBe(201)
      await deleteAccount(returned.readerToken)
      const later = await verifyAs(t, 'forgiven.reader@example.org')
      expect((await commenter(later.reader.id)).status).toBe('normal')
      expect((await post(later.readerToken, 'restrict-lifted', 'Welcome back, and for good.')).status).toBe(201)
    })
  })
}
