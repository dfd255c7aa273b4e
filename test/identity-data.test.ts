// Issue 20, finding 13: a reader's data download gives the decisions about them and their comments with
// reason codes, and says whether a moderator, the automatic screening or they themselves took each; never
// the moderator's name or id, moderators' free-text reasons and notes, or screening's internals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { bearer, knowArticle, postAs, verifyAs } from './helpers/readers.js'
import { type TestApp, createTestApp, testClock } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

interface Exported {
  commenter: { id: string; status: string; suspendedUntil: string | null }
  comments: {
    id: string
    body: string
    status: string
    rejectReason: string | null
    screening: { verdict: string | null; rules: string[] }
  }[]
  moderation: { action: string; by: string; reason: string | null; commentId: string | null }[]
}

for (const kind of dbKinds()) {
  describe(`a reader's data download, on ${kind}`, () => {
    let t: TestApp
    let cookies: { admin: string; moderator: string }
    const clock = testClock()
    const admin = (method: string, path: string, body?: unknown) => modRequest(t, cookies.admin, method, `/api/v1/mod${path}`, body)

    beforeAll(async () => {
      t = await createTestApp(kind, { now: clock.now })
      cookies = await signInBoth(t)
      await t.settings({ rateLimitPerMinute: 0, moderationMode: 'post', suspectWords: ['idiot'], modelHoldThreshold: 0.01 })
      await knowArticle(t)
    })
    afterAll(() => t.close())

    it('shows decisions and reason codes, never who decided, moderators’ notes or screening internals', async () => {
      const { readerToken, reader } = await verifyAs(t, 'exported.reader@example.org', 'Exported Reader')
      const post = async (body: string) =>
        ((await (await postAs(t, readerToken, 'data-article', body, clock.now(), '198.18.11.1')).json()) as { comment: { id: string } })
          .comment.id
      const held = await post('Only an idiot would read the convoy report this way.')
      const removed = await post('A second comment, which a moderator will remove.')
      expect((await admin('POST', `/comments/${held}/approve`)).status).toBe(200)
      expect(
        (await admin('POST', `/comments/${removed}/reject`, { reason: 'abuse', note: 'sockpuppet of the Tuesday troll' })).status,
      ).toBe(200)
      expect(
        (await admin('POST', `/commenters/${reader.id}/suspend`, { days: 7, reason: 'sockpuppet, see the Tuesday thread' })).status,
      ).toBe(200)
      expect(
        (await admin('POST', `/commenters/${reader.id}/notes`, { body: 'sockpuppet: same wording as the banned account' })).status,
      ).toBe(201)
      const screened = await t.db.selectFrom('comments').select('screening').where('id', '=', held).executeTakeFirstOrThrow()
      // The screening kept its internals for moderators: the matched word, and the model's score.
      expect(JSON.stringify(screened.screening)).toMatch(/"(term|match)":"idiot"/)

      const moderator = await t.db.selectFrom('moderators').select('id').where('username', '=', 'editor').executeTakeFirstOrThrow()
      const fromApi = await t.json('GET', '/api/v1/readers/me/data', undefined, bearer(readerToken))
      const { path } = (await (await t.json('POST', '/api/v1/readers/me/account-link', {}, bearer(readerToken))).json()) as { path: string }
      const fromPage = await t.app.request(path.replace('/readers/account?', '/readers/account/data?'), { method: 'POST' })
      for (const res of [fromApi, fromPage]) {
        const text = await res.text()
        expect(text).not.toContain('"editor"')
        expect(text).not.toContain(moderator.id)
        expect(text).not.toMatch(/sockpuppet|Tuesday/)
        expect(text).not.toMatch(/"(term|match|spans|weight|score|message|actor|actorId)"/)
        const data = JSON.parse(text) as Exported

        expect(data.commenter).toMatchObject({ id: reader.id, status: 'normal' })
        expect(data.commenter.suspendedUntil).not.toBeNull()
        const byId = new Map(data.comments.map((c) => [c.id, c]))
        expect(byId.get(held)).toMatchObject({ status: 'approved', rejectReason: null, screening: { verdict: 'hold' } })
        expect(byId.get(held)!.screening.rules).toContain('suspect_word')
        expect(byId.get(held)!.body).toContain('idiot') // their own words are theirs
        expect(byId.get(removed)).toMatchObject({ status: 'rejected', rejectReason: 'abuse' })

        const decisions = data.moderation.map((d) => [d.action, d.by, d.reason, d.commentId])
        expect(decisions).toEqual(
          expect.arrayContaining([
            ['screened', 'automatic', null, held],
            ['approve', 'moderator', null, held],
            ['reject', 'moderator', 'abuse', removed],
            ['suspend', 'moderator', null, null],
          ]),
        )
      }
    })
  })
}
