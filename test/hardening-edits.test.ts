// A reader's edits (issue 20, findings 2, 7 and 8): limited per comment and counted with posts, their
// live notices coalesced, a pick's mark gone with the words it was picked for, and none under a ban.
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listen } from './helpers/browser.js'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { openStream } from './helpers/sse.js'
import { type TestApp, aComment, aFormToken, createTestApp, testClock } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const SSO_SECRET = 'edits-sso-secret-edits-sso-secret-0123456789'

for (const kind of dbKinds()) {
  describe(`edits on ${kind}`, () => {
    let t: TestApp
    let cookies: { admin: string; moderator: string }
    // A clock that stands still half-way into an hour: a minute's window holds all of a test's requests.
    const clock = testClock(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 1_830_000)
    let readers = 0

    /** A reader signed in through the publisher (each from an address of their own), with their token. */
    const reader = async (name: string) => {
      const seconds = Math.floor(clock.now().getTime() / 1000)
      const n = ++readers
      const token = await new SignJWT({ sub: `edits-${n}`, name, email: `edits-${n}@paper.example` })
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
    const as = (token: string, ip = '192.0.2.10') => ({ ip, headers: { authorization: `Bearer ${token}` } })
    const postAs = async (articleId: string, token: string, body: string, ip?: string) => {
      const res = await t.json(
        'POST',
        `/api/v1/articles/${articleId}/comments`,
        { body, formToken: await aFormToken(articleId, new Date(clock.now().getTime() - 60_000)) },
        as(token, ip),
      )
      return { status: res.status, id: ((await res.json()) as { comment?: { id: string } }).comment?.id ?? '' }
    }
    const edit = (id: string, token: string, body: string, ip?: string) =>
      t.json('PATCH', `/api/v1/comments/${id}`, { body }, as(token, ip))

    beforeAll(async () => {
      t = await createTestApp(kind, { now: clock.now })
      cookies = await signInBoth(t)
      await t.settings({ rateLimitPerMinute: 0, premodNewCommenters: 0, moderationMode: 'post', ssoSecret: SSO_SECRET })
    })
    afterAll(() => t?.close())

    it('takes five edits of one comment; the sixth answers 429 with Retry-After and stores nothing', async () => {
      const writer = await reader('Many Edits')
      const { id } = await postAs('edits-many', writer.token, 'The first version, before any edit.')
      for (let n = 1; n <= 5; n++) expect((await edit(id, writer.token, `Edit number ${n} of this comment.`)).status).toBe(200)
      const sixth = await edit(id, writer.token, 'Edit number 6 of this comment.')
      expect(sixth.status).toBe(429)
      expect(((await sixth.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
      expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0)
      expect((await t.db.selectFrom('comments').select('body').where('id', '=', id).executeTakeFirstOrThrow()).body).toBe(
        'Edit number 5 of this comment.',
      )
      expect(await t.db.selectFrom('comment_revisions').select('id').where('comment_id', '=', id).execute()).toHaveLength(5)
      // Another comment of the same reader has its own allowance.
      const other = await postAs('edits-many', writer.token, 'A second comment with edits of its own.')
      expect((await edit(other.id, writer.token, 'The second comment, edited once.')).status).toBe(200)
    })

    it('counts edits with posts against the per-minute limit, by the reader and from the address', async () => {
      await t.settings({ rateLimitPerMinute: 3 })
      try {
        const writer = await reader('Counted Writer')
        const { id } = await postAs('edits-counted', writer.token, 'A comment that will be edited in a hurry.', '192.0.2.31')
        expect((await edit(id, writer.token, 'Edited once, from elsewhere.', '2001:db8:e1:1::1')).status).toBe(200)
        expect((await edit(id, writer.token, 'Edited twice, from elsewhere.', '2001:db8:e1:1::2')).status).toBe(200)
        // Post, edit, edit: the reader's three writes this minute. A fourth, an edit or a post, waits.
        const third = await edit(id, writer.token, 'Edited a third time, from a third place.', '192.0.2.33')
        expect(third.status).toBe(429)
        expect(third.headers.get('retry-after')).toBeTruthy()
        expect((await postAs('edits-counted', writer.token, 'And a new comment right after.', '192.0.2.34')).status).toBe(429)
        // The two edits counted against their network too: one more write from there, then no more.
        const guest = (n: number) => t.postComment('edits-counted', aComment(), `2001:db8:e1:1::${n}`)
        expect((await guest(10)).status).not.toBe(429)
        expect((await guest(11)).status).toBe(429)
      } finally {
        await t.settings({ rateLimitPerMinute: 0 })
      }
    })

    it("sends one live notice for a comment's edits in quick succession, with the last text", async () => {
      const server = await listen(t.app.fetch)
      const stream = await openStream(`${server.origin}/api/v1/articles/edits-live/stream`)
      try {
        const writer = await reader('Live Editor')
        const { id } = await postAs('edits-live', writer.token, 'Written live, then fixed four times.')
        await stream.waitFor((e) => e.event === 'comment' && (e.data as { comment: { id: string } }).comment.id === id)
        for (let n = 1; n <= 4; n++) expect((await edit(id, writer.token, `Fixed, take ${n}.`)).status).toBe(200)
        const notice = await stream.waitFor((e) => e.event === 'edited', 10_000)
        expect((notice.data as { comment: { body: string } }).comment.body).toBe('Fixed, take 4.')
        // Anything announced after the edits arrives after their notices: a new comment marks the end.
        const { id: marker } = await postAs('edits-live', (await reader('Marker')).token, 'A later comment that marks the end.')
        await stream.waitFor((e) => e.event === 'comment' && (e.data as { comment: { id: string } }).comment.id === marker, 10_000)
        expect(stream.events.filter((e) => e.event === 'edited')).toHaveLength(1)
      } finally {
        await stream.close()
        await server.close()
      }
    })

    it("takes a pick's mark away when its writer edits it, and says so in the comment's history", async () => {
      const writer = await reader('Picked Writer')
      const { id } = await postAs('edits-pick', writer.token, 'A careful comment an editor will pick.')
      expect((await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/comments/${id}/feature`)).status).toBe(200)
      const edited = await edit(id, writer.token, 'Now an advert: buy cheap watches at our shop.')
      expect(edited.status).toBe(200)
      expect(((await edited.json()) as { comment: { featured: boolean } }).comment.featured).toBe(false)
      const list = (await (await t.json('GET', '/api/v1/articles/edits-pick/comments')).json()) as {
        comments: { id: string; featured: boolean }[]
        article: { picks: number }
      }
      expect(list.comments.find((c) => c.id === id)?.featured).toBe(false)
      expect(list.article.picks).toBe(0)
      const history = (await (await modRequest(t, cookies.moderator, 'GET', `/api/v1/mod/comments/${id}/history`)).json()) as {
        actions: { action: string; reason: string | null }[]
      }
      expect(history.actions.at(-1)).toMatchObject({ action: 'unfeature', reason: expect.stringMatching(/edited by its writer/) })
    })

    it('refuses edits under a ban, and still lets the banned reader delete their own comment', async () => {
      const writer = await reader('Soon Banned')
      const { id } = await postAs('edits-banned', writer.token, 'Published before the ban came down.')
      expect(
        (await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/commenters/${writer.id}/ban`, { reason: 'abuse elsewhere' })).status,
      ).toBe(200)
      const refused = await edit(id, writer.token, 'Edited after the ban into something worse.')
      expect(refused.status).toBe(403)
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('commenter_banned')
      expect((await t.db.selectFrom('comments').select('body').where('id', '=', id).executeTakeFirstOrThrow()).body).toBe(
        'Published before the ban came down.',
      )
      expect((await t.json('DELETE', `/api/v1/comments/${id}`, undefined, as(writer.token))).status).toBe(200)
    })
  })
}
