// Reader identity: verified email, the publisher's sign-in (SSO), reader tokens, self-service and the
// mails that follow readers' comments. The outbox is read through the Workers' drain path.
import { SignJWT } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { allMails, codeIn, takeMails } from './helpers/outbox.js'
import { PUBLISHER_ORIGIN, type TestApp, aComment, createTestApp, restoreSettingsAfterEach, testClock } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'
import { sendDailyDigest } from '../src/mail/mail.notifications.js'

const SSO_SECRET = 'publisher-sso-secret-publisher-sso-secret-0123456789'
const ARTICLE_URL = `${PUBLISHER_ORIGIN}/2020/02/29/idlib`

/** A publisher's sign-in token as its server would mint it; times in seconds from `now`. */
const ssoToken = (now: Date, claims: Record<string, unknown>, options: { secret?: string; alg?: string; lifetime?: number } = {}) => {
  const seconds = Math.floor(now.getTime() / 1000)
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'HS256' })
    .setIssuedAt(seconds)
    .setExpirationTime(seconds + (options.lifetime ?? 600))
    .sign(new TextEncoder().encode(options.secret ?? SSO_SECRET))
}

for (const kind of dbKinds()) {
  describe(`readers on ${kind}`, () => {
    let t: TestApp
    let cookies: { admin: string; moderator: string }
    const clock = testClock()
    // Each test speaks from an address of its own: the per-address limits on sign-in links count no other test's.
    let address = ''
    let tests = 0
    const json: TestApp['json'] = (method, path, body, init = {}) => t.json(method, path, body, { ip: address, ...init })
    const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })
    const post = async (articleId: string, body: Record<string, unknown>, token?: string) =>
      json(
        'POST',
        `/api/v1/articles/${articleId}/comments`,
        {
          formToken: await (await import('./helpers/test-app.js')).aFormToken(articleId, new Date(clock.now().getTime() - 60_000)),
          ...body,
        },
        token ? bearer(token) : {},
      )

    /** Verifies an email the way a reader does: ask for the link, read the mail, trade the code. */
    async function verify(email: string, name = 'Layla Haddad', lang?: string) {
      expect((await json('POST', '/api/v1/readers/verify', { email, articleUrl: ARTICLE_URL, ...(lang ? { lang } : {}) })).status).toBe(202)
      const [mail] = await takeMails(t.db, 1)
      expect(mail?.to).toBe(email)
      // The browser that opens the link names the reader (what they typed there), not whoever asked for it.
      const res = await json('POST', '/api/v1/readers/verify/confirm', { code: codeIn(mail!), name })
      expect(res.status).toBe(200)
      return (await res.json()) as { readerToken: string; reader: { id: string; name: string; email: string; verified: true } }
    }

    beforeAll(async () => {
      t = await createTestApp(kind, { now: clock.now })
      cookies = await signInBoth(t)
      await t.settings({ rateLimitPerMinute: 0 })
      // Sign-in links land only on article pages the site knows.
      await t.db.insertInto('articles').values({ id: 'idlib', url: ARTICLE_URL, title: null }).execute()
    })
    afterAll(() => t.close())
    // Each test starts on the real time, from an empty outbox: no test reads the mails, the clock or the
    // settings another left (settings are put back after each test).
    beforeEach(async () => {
      clock.reset()
      address = `198.18.${Math.floor(tests / 250)}.${(tests++ % 250) + 1}`
      await t.settled()
      await allMails(t.db)
    })
    restoreSettingsAfterEach(() => t)

    describe('verified email', () => {
      it('mails a one-time link to the article page that works once, within 30 minutes', async () => {
        const res = await json('POST', '/api/v1/readers/verify', { email: 'once@example.org', articleUrl: ARTICLE_URL, lang: 'ar' })
        expect(res.status).toBe(202)
        const [mail] = await takeMails(t.db, 1)
        expect(mail!.text).toContain(`${ARTICLE_URL}#comments-verify=`)
        expect(mail!.html).toContain('dir="rtl"')
        const code = codeIn(mail!)!
        const first = await json('POST', '/api/v1/readers/verify/confirm', { code })
        expect(first.status).toBe(200)
        const body = (await first.json()) as { reader: Record<string, unknown> }
        expect(body.reader).toMatchObject({ email: 'once@example.org', verified: true })
        const again = await json('POST', '/api/v1/readers/verify/confirm', { code })
        expect(again.status).toBe(400)
        expect(((await again.json()) as { error: { code: string } }).error.code).toBe('invalid_code')
      })

      it('refuses a code after 30 minutes, and an unknown one', async () => {
        await json('POST', '/api/v1/readers/verify', { email: 'late@example.org', articleUrl: ARTICLE_URL })
        const [mail] = await takeMails(t.db, 1)
        clock.advance(31 * 60_000)
        expect((await json('POST', '/api/v1/readers/verify/confirm', { code: codeIn(mail!) })).status).toBe(400)
        expect((await json('POST', '/api/v1/readers/verify/confirm', { code: 'x'.repeat(32) })).status).toBe(400)
      })

      it('answers 202 for any email, and sends links only to publishers’ pages', async () => {
        expect((await json('POST', '/api/v1/readers/verify', { email: 'nobody-yet@example.org', articleUrl: ARTICLE_URL })).status).toBe(
          202,
        )
        await takeMails(t.db, 1)
        const foreign = await json('POST', '/api/v1/readers/verify', {
          email: 'victim@example.org',
          articleUrl: 'https://attacker.example/steal',
        })
        expect(foreign.status).toBe(422)
        expect(((await foreign.json()) as { error: { fields: Record<string, string> } }).error.fields.articleUrl).toBeDefined()
        expect((await json('POST', '/api/v1/readers/verify', { email: 'not an email', articleUrl: ARTICLE_URL })).status).toBe(422)
      })

      it('sends at most three links an hour to one mailbox, however it is spelled, answering 202 all the same', async () => {
        const spellings = ['bombed@gmail.com', 'b.ombed@gmail.com', 'bombed+1@gmail.com', 'BOMBED+2@googlemail.com', 'bo.mbed+x@gmail.com']
        for (const [i, email] of spellings.entries())
          expect((await json('POST', '/api/v1/readers/verify', { email, articleUrl: ARTICLE_URL }, { ip: `198.51.100.${i}` })).status).toBe(
            202,
          )
        // A link is queued before the 202: what the outbox holds now is all that was sent.
        expect(await allMails(t.db)).toHaveLength(3)
      })

      it('answers 429 past twenty link requests an hour from one address', async () => {
        let last = 0
        for (let i = 0; i < 21; i++)
          last = (
            await json(
              'POST',
              '/api/v1/readers/verify',
              { email: `many${i}@example.org`, articleUrl: ARTICLE_URL },
              { ip: '198.51.100.200' },
            )
          ).status
        expect(last).toBe(429)
        expect(await allMails(t.db)).toHaveLength(20)
      })

      it('never sends a sign-in link to a host named only by a forged Host header', async () => {
        const forged = await t.app.request('http://evil.example/api/v1/readers/verify', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.99' },
          body: JSON.stringify({ email: 'victim@example.org', articleUrl: 'http://evil.example/steal' }),
        })
        expect(forged.status).toBe(422)
        // This server's own pages count where the Host can be trusted (here: loopback).
        expect(
          (
            await json('POST', '/api/v1/readers/verify', {
              email: 'local@example.org',
              articleUrl: 'http://localhost/demo',
              articleId: 'local-demo',
            })
          ).status,
        ).toBe(202)
        expect((await allMails(t.db)).map((m) => m.to)).toEqual(['local@example.org'])
      })

      it('a stale token does not get in the way of opening a new link', async () => {
        const { readerToken } = await verify('stale@example.org')
        await json('POST', '/api/v1/readers/signout', undefined, bearer(readerToken))
        await json('POST', '/api/v1/readers/verify', { email: 'stale@example.org', articleUrl: ARTICLE_URL })
        const [mail] = await takeMails(t.db, 1)
        expect((await json('POST', '/api/v1/readers/verify/confirm', { code: codeIn(mail!) }, bearer(readerToken))).status).toBe(200)
      })

      it('posts as the verified reader with no name or email, with a badge', async () => {
        const { readerToken, reader } = await verify('layla@example.org', 'Layla Haddad')
        const res = await post('verified-1', { body: 'Posting as a verified reader from Idlib.' }, readerToken)
        expect(res.status).toBe(201)
        const { comment } = (await res.json()) as { comment: Record<string, unknown> }
        expect(comment).toMatchObject({ authorName: 'Layla Haddad', verified: true })
        expect(JSON.stringify(comment)).not.toContain('layla@example.org')
        const list = (await (await t.app.request('/api/v1/articles/verified-1/comments')).json()) as { comments: { verified: boolean }[] }
        expect(list.comments[0]!.verified).toBe(true)
        const me = await json('GET', '/api/v1/readers/me', undefined, bearer(readerToken))
        expect(((await me.json()) as { reader: { id: string } }).reader.id).toBe(reader.id)
      })

      it('a stranger typing a verified reader’s email neither publishes as them nor inherits their trust', async () => {
        await t.settings({ moderationMode: 'pre' })
        const { readerToken, reader } = await verify('trusted@example.org', 'Sami Trusted')
        expect((await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/commenters/${reader.id}/trust`)).status).toBe(200)
        const own = await post('trust-1', { body: 'A trusted reader publishes at once, even in pre-moderation.' }, readerToken)
        expect(own.status).toBe(201)

        const stranger = await post('trust-1', {
          name: 'Sami Trusted',
          email: 'trusted@example.org',
          body: 'A stranger borrowing the trusted reader’s email.',
        })
        expect(stranger.status).toBe(202)
        const { comment } = (await stranger.json()) as { comment: { id: string; verified: boolean } }
        expect(comment.verified).toBe(false)
        const queue = (await (await modRequest(t, cookies.moderator, 'GET', '/api/v1/mod/queue?queue=pending')).json()) as {
          items: { id: string; commenter: { id: string; verified: boolean; status: string } }[]
        }
        const held = queue.items.find((i) => i.id === comment.id)!
        expect(held.commenter.id).not.toBe(reader.id)
        expect(held.commenter).toMatchObject({ verified: false, status: 'normal' })
        // The reader's own name was not changed by the stranger's post either.
        const me = (await (await json('GET', '/api/v1/readers/me', undefined, bearer(readerToken))).json()) as {
          reader: { name: string }
        }
        expect(me.reader.name).toBe('Sami Trusted')
      })

      it('refuses a banned verified reader outright, and holds guests posting under their email', async () => {
        const { readerToken, reader } = await verify('banned-reader@example.org', 'Banned Reader')
        await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/commenters/${reader.id}/ban`)
        const own = await post('ban-1', { body: 'Trying again after the ban.' }, readerToken)
        expect(own.status).toBe(403)
        expect(((await own.json()) as { error: { code: string } }).error.code).toBe('commenter_banned')
        const guest = await post('ban-1', { name: 'Someone', email: 'banned-reader@example.org', body: 'A guest with the banned email.' })
        expect(guest.status).toBe(202)
      })

      it('a site can require verification; guests are told so', async () => {
        await t.settings({ requireVerifiedReaders: true })
        const guest = await post('require-1', aComment())
        expect(guest.status).toBe(403)
        expect(((await guest.json()) as { error: { code: string } }).error.code).toBe('verification_required')
        const { readerToken } = await verify('required@example.org')
        expect((await post('require-1', { body: 'Verified, so allowed to post here.' }, readerToken)).status).toBe(201)
      })

      it('a guest still needs name and email', async () => {
        const res = await post('guest-1', { body: 'No name, no email.' })
        expect(res.status).toBe(422)
        expect(Object.keys(((await res.json()) as { error: { fields: Record<string, string> } }).error.fields).sort()).toEqual([
          'email',
          'name',
        ])
      })

      it('signing out revokes the token; an unknown token is a 401, not a guest post', async () => {
        const { readerToken } = await verify('signout@example.org')
        expect((await json('POST', '/api/v1/readers/signout', undefined, bearer(readerToken))).status).toBe(204)
        const after = await post('signout-1', { body: 'After signing out.' }, readerToken)
        expect(after.status).toBe(401)
        expect(((await after.json()) as { error: { code: string } }).error.code).toBe('invalid_reader_token')
        expect((await json('GET', '/api/v1/readers/me', undefined, bearer('x'.repeat(43)))).status).toBe(401)
        expect((await json('GET', '/api/v1/readers/me')).status).toBe(401)
      })
    })

    describe('publisher sign-in (SSO)', () => {
      beforeEach(() => t.settings({ ssoSecret: SSO_SECRET }))

      it('trades a valid HS256 token for a reader token; the reader posts under the publisher’s name', async () => {
        const res = await json('POST', '/api/v1/readers/sso', {
          token: await ssoToken(clock.now(), { sub: 'user-42', name: 'Omar from the paper', email: 'omar@news.example' }),
        })
        expect(res.status).toBe(200)
        const { readerToken, reader } = (await res.json()) as { readerToken: string; reader: Record<string, unknown> }
        expect(reader).toMatchObject({ name: 'Omar from the paper', verified: true, via: 'sso' })
        const posted = await post('sso-1', { body: 'Signed in through the newspaper’s own account.' }, readerToken)
        expect(posted.status).toBe(201)
        expect(((await posted.json()) as { comment: Record<string, unknown> }).comment).toMatchObject({
          authorName: 'Omar from the paper',
          verified: true,
        })
        // The same subject later is the same reader, renamed by the publisher.
        const again = (await (
          await json('POST', '/api/v1/readers/sso', { token: await ssoToken(clock.now(), { sub: 'user-42', name: 'Omar K.' }) })
        ).json()) as { reader: { id: string; name: string } }
        expect(again.reader).toMatchObject({ id: reader.id, name: 'Omar K.' })
      })

      it('refuses a bad signature, another algorithm, an expired or too long-lived token, and missing claims', async () => {
        const cases: [string, string][] = [
          [
            'bad signature',
            await ssoToken(clock.now(), { sub: 'u1', name: 'A' }, { secret: 'another-secret-another-secret-another-secret' }),
          ],
          ['HS512', await ssoToken(clock.now(), { sub: 'u1', name: 'A' }, { alg: 'HS512' })],
          ['expired', await ssoToken(clock.now(), { sub: 'u1', name: 'A' }, { lifetime: -3600 })],
          ['lives 3 days', await ssoToken(clock.now(), { sub: 'u1', name: 'A' }, { lifetime: 3 * 86_400 })],
          ['no name', await ssoToken(clock.now(), { sub: 'u1' })],
          [
            'alg none',
            `${btoa('{"alg":"none"}').replace(/=+$/, '')}.${btoa(JSON.stringify({ sub: 'u1', name: 'A', exp: 9999999999 })).replace(/=+$/, '')}.`,
          ],
        ]
        for (const [label, token] of cases) {
          const res = await json('POST', '/api/v1/readers/sso', { token })
          expect(res.status, label).toBe(401)
          expect(((await res.json()) as { error: { code: string } }).error.code, label).toBe('invalid_sso_token')
        }
      })

      it('never returns the SSO secret, not even to administrators, not even when they set it', async () => {
        const res = await modRequest(t, cookies.admin, 'GET', '/api/v1/mod/settings')
        const { settings } = (await res.json()) as { settings: { ssoSecret: string } }
        expect(settings.ssoSecret).toBe(`••••${SSO_SECRET.slice(-4)}`)
        const put = await modRequest(t, cookies.admin, 'PUT', '/api/v1/mod/settings', { ssoSecret: SSO_SECRET })
        expect(JSON.stringify(await put.json())).not.toContain(SSO_SECRET)
      })

      it('a sign-in lasts no longer than the publisher’s token, and the next page view’s trade ends the last one', async () => {
        const trade = async (bearerToken?: string) =>
          (await (
            await json(
              'POST',
              '/api/v1/readers/sso',
              { token: await ssoToken(clock.now(), { sub: 'user-77', name: 'Short Lived' }, { lifetime: 300 }) },
              bearerToken ? bearer(bearerToken) : {},
            )
          ).json()) as { readerToken: string }
        const first = await trade()
        const second = await trade(first.readerToken)
        expect((await json('GET', '/api/v1/readers/me', undefined, bearer(first.readerToken))).status).toBe(401)
        expect((await json('GET', '/api/v1/readers/me', undefined, bearer(second.readerToken))).status).toBe(200)
        clock.advance(6 * 60_000)
        expect((await json('GET', '/api/v1/readers/me', undefined, bearer(second.readerToken))).status).toBe(401)
      })
    })

    describe('self-service', () => {
      it('edits within 10 minutes, screened again, the earlier text kept for moderators', async () => {
        const { readerToken } = await verify('editor@example.org', 'Editing Reader')
        const { comment } = (await (await post('edit-1', { body: 'The first version of this comment.' }, readerToken)).json()) as {
          comment: { id: string }
        }
        const edited = await json(
          'PATCH',
          `/api/v1/comments/${comment.id}`,
          { body: 'The second, corrected version.' },
          bearer(readerToken),
        )
        expect(edited.status).toBe(200)
        expect(((await edited.json()) as { comment: { body: string; editedAt: string | null } }).comment).toMatchObject({
          body: 'The second, corrected version.',
        })
        const list = (await (await t.app.request('/api/v1/articles/edit-1/comments')).json()) as {
          comments: { body: string; editedAt: string | null }[]
        }
        expect(list.comments[0]).toMatchObject({ body: 'The second, corrected version.' })
        expect(list.comments[0]!.editedAt).not.toBeNull()
        const revisions = await t.db.selectFrom('comment_revisions').select('body').where('comment_id', '=', comment.id).execute()
        expect(revisions.map((r) => r.body)).toEqual(['The first version of this comment.'])

        const abusive = await json('PATCH', `/api/v1/comments/${comment.id}`, { body: 'fuck you all' }, bearer(readerToken))
        expect(abusive.status).toBe(422)
        const stillThere = await t.db.selectFrom('comments').select('body').where('id', '=', comment.id).executeTakeFirstOrThrow()
        expect(stillThere.body).toBe('The second, corrected version.')

        clock.advance(11 * 60_000)
        const late = await json('PATCH', `/api/v1/comments/${comment.id}`, { body: 'Too late now.' }, bearer(readerToken))
        expect(late.status).toBe(403)
        expect(((await late.json()) as { error: { code: string } }).error.code).toBe('edit_window_closed')
      })

      it('nobody edits or deletes someone else’s comment, and guests edit nothing', async () => {
        const owner = await verify('owner@example.org', 'Owner')
        const other = await verify('other@example.org', 'Other')
        const { comment } = (await (await post('own-1', { body: 'Mine and only mine.' }, owner.readerToken)).json()) as {
          comment: { id: string }
        }
        expect((await json('PATCH', `/api/v1/comments/${comment.id}`, { body: 'Hijacked.' }, bearer(other.readerToken))).status).toBe(404)
        expect((await json('DELETE', `/api/v1/comments/${comment.id}`, undefined, bearer(other.readerToken))).status).toBe(404)
        expect((await json('PATCH', `/api/v1/comments/${comment.id}`, { body: 'Hijacked.' })).status).toBe(401)
      })

      it('deletes: gone without replies, an empty tombstone holding the thread with them', async () => {
        const { readerToken } = await verify('deleter@example.org', 'Deleter')
        const alone = (await (await post('delete-1', { body: 'Nobody will answer this.' }, readerToken)).json()) as {
          comment: { id: string }
        }
        const answered = (await (await post('delete-1', { body: 'Somebody will answer this.' }, readerToken)).json()) as {
          comment: { id: string }
        }
        expect((await post('delete-1', { ...aComment(), parentId: answered.comment.id })).status).toBe(201)
        const before = (await (await t.app.request('/api/v1/articles/delete-1/comments')).json()) as { article: { commentCount: number } }
        expect(before.article.commentCount).toBe(3)

        expect(await (await json('DELETE', `/api/v1/comments/${alone.comment.id}`, undefined, bearer(readerToken))).json()).toEqual({
          deleted: true,
          tombstone: false,
        })
        expect(await (await json('DELETE', `/api/v1/comments/${answered.comment.id}`, undefined, bearer(readerToken))).json()).toEqual({
          deleted: true,
          tombstone: true,
        })
        const after = (await (await t.app.request('/api/v1/articles/delete-1/comments')).json()) as {
          article: { commentCount: number }
          comments: { id: string; body: string; authorName: string; deleted: boolean; replies: unknown[] }[]
        }
        expect(after.comments.map((c) => c.id)).toEqual([answered.comment.id])
        expect(after.comments[0]).toMatchObject({ body: '', authorName: '[deleted]', deleted: true })
        expect(after.comments[0]!.replies).toHaveLength(1)
        expect(after.article.commentCount).toBe(2)
      })

      it('deleting a comment a moderator turned down keeps the decision on the record', async () => {
        const { readerToken, reader } = await verify('turned-down@example.org', 'Turned Down')
        const { comment } = (await (await post('turned-down', { body: 'A comment the desk will turn down.' }, readerToken)).json()) as {
          comment: { id: string }
        }
        await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/comments/${comment.id}/reject`, { reason: 'off_topic' })
        expect(await (await json('DELETE', `/api/v1/comments/${comment.id}`, undefined, bearer(readerToken))).json()).toEqual({
          deleted: true,
          tombstone: true,
        })
        const row = await t.db
          .selectFrom('comments')
          .select(['body', 'status', 'deleted'])
          .where('id', '=', comment.id)
          .executeTakeFirstOrThrow()
        expect(row).toEqual({ body: '', status: 'rejected', deleted: true })
        const tally = await t.db.selectFrom('commenters').select('rejected_count').where('id', '=', reader.id).executeTakeFirstOrThrow()
        expect(tally.rejected_count).toBe(1)
        const history = (await (await modRequest(t, cookies.moderator, 'GET', `/api/v1/mod/comments/${comment.id}/history`)).json()) as {
          actions: { action: string }[]
        }
        expect(history.actions.map((a) => a.action)).toContain('reject')
      })

      it('downloads their data and deletes their account', async () => {
        const { readerToken, reader } = await verify('leaving@example.org', 'Leaving Reader')
        await post('leave-1', { body: 'A comment before leaving the site.' }, readerToken)
        const data = await json('GET', '/api/v1/readers/me/data', undefined, bearer(readerToken))
        expect(data.headers.get('content-disposition')).toContain('attachment')
        const exported = (await data.json()) as { commenter: { id: string; email: string }; comments: { body: string }[] }
        expect(exported.commenter).toMatchObject({ id: reader.id, email: 'leaving@example.org' })
        expect(exported.comments.map((c) => c.body)).toEqual(['A comment before leaving the site.'])
        expect((await json('DELETE', '/api/v1/readers/me', undefined, bearer(readerToken))).status).toBe(200)
        expect((await json('GET', '/api/v1/readers/me', undefined, bearer(readerToken))).status).toBe(401)
        const list = (await (await t.app.request('/api/v1/articles/leave-1/comments')).json()) as { comments: unknown[] }
        expect(list.comments).toHaveLength(0)
      })
    })

    describe('notifications', () => {
      /** Sets what a moderator is mailed, for the running test only. */
      const moderatorMail = async (username: string, set: { email?: string; digest?: boolean }) => {
        const mod = () => t.db.updateTable('moderators').where('username', '=', username)
        const before = await t.db
          .selectFrom('moderators')
          .select(['email', 'digest'])
          .where('username', '=', username)
          .executeTakeFirstOrThrow()
        await mod().set(set).execute()
        onTestFinished(async () => {
          await mod().set(before).execute()
        })
      }

      it('mails a verified reader who asked when a reply is published, with one-click unsubscribe', async () => {
        const { readerToken } = await verify('replied@example.org', 'Replied To')
        const { comment } = (await (
          await post('notify-1', { body: 'Tell me when someone answers.', notify: true, articleUrl: ARTICLE_URL }, readerToken)
        ).json()) as { comment: { id: string } }
        expect(
          (await post('notify-1', { ...aComment({ name: 'Answering Reader', body: 'Here is my answer to you.' }), parentId: comment.id }))
            .status,
        ).toBe(201)
        const [mail] = await takeMails(t.db, 1)
        expect(mail).toMatchObject({ to: 'replied@example.org', kind: 'reply' })
        expect(mail!.text).toContain('Here is my answer to you.')
        expect(mail!.text).toContain(`${ARTICLE_URL}#comment-`)
        expect(mail!.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click')
        const unsubscribe = /<([^>]+)>/.exec(mail!.headers['List-Unsubscribe']!)![1]!
        const oneClick = await t.app.request(new URL(unsubscribe).pathname + new URL(unsubscribe).search, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        })
        expect(oneClick.status).toBe(200)
        expect((await post('notify-1', { ...aComment(), parentId: comment.id })).status).toBe(201)
        // The reply's mails are queued after its answer: once that work is done, none was.
        await t.settled()
        expect(await allMails(t.db)).toEqual([])
        // A forged link does nothing.
        const forged = new URL(unsubscribe)
        forged.searchParams.set('t', 'A'.repeat(24))
        expect((await t.app.request(forged.pathname + forged.search, { method: 'POST' })).status).toBe(404)
      })

      it('tells the writer about a moderator’s decisions, with the reason and the rules', async () => {
        await t.settings({ moderationMode: 'pre', siteRulesUrl: `${PUBLISHER_ORIGIN}/rules` })
        const { readerToken } = await verify('decided@example.org', 'Decided', 'ar')
        const first = (await (await post('decide-1', { body: 'Please publish this one.', notify: true }, readerToken)).json()) as {
          comment: { id: string }
        }
        const second = (await (await post('decide-1', { body: 'And this one too, please.', notify: true }, readerToken)).json()) as {
          comment: { id: string }
        }
        await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/comments/${first.comment.id}/approve`)
        await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/comments/${second.comment.id}/reject`, {
          reason: 'off_topic',
          note: 'Please stay on the article.',
        })
        await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/comments/${first.comment.id}/feature`)
        const mails = await takeMails(t.db, 3)
        expect(mails.map((m) => m.kind).sort()).toEqual(['approved', 'featured', 'rejected'])
        const rejected = mails.find((m) => m.kind === 'rejected')!
        expect(rejected.text).toContain('Please stay on the article.')
        expect(rejected.text).toContain(`${PUBLISHER_ORIGIN}/rules`)
        expect(rejected.html).toContain('dir="rtl"')
      })

      it('never mails a guest, whatever they ticked', async () => {
        const guest = (await (await post('guest-notify', aComment({ notify: true }))).json()) as { comment: { id: string } }
        expect((await post('guest-notify', { ...aComment(), parentId: guest.comment.id })).status).toBe(201)
        await t.settled()
        expect(await allMails(t.db)).toEqual([])
      })

      it('the preferences page switches single kinds off', async () => {
        const { readerToken } = await verify('prefs@example.org', 'Prefs')
        const { comment } = (await (
          await post('prefs-1', { body: 'A comment with replies to come.', notify: true }, readerToken)
        ).json()) as { comment: { id: string } }
        await post('prefs-1', { ...aComment(), parentId: comment.id })
        const [mail] = await takeMails(t.db, 1)
        const page = /https?:\/\/\S+\/readers\/preferences\?\S+/.exec(mail!.text)![0]
        const path = new URL(page).pathname + new URL(page).search
        const form = await t.app.request(path)
        expect(form.status).toBe(200)
        expect(await form.text()).toContain('name="replies"')
        const saved = await t.app.request(path, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'approved=on&rejected=on',
        })
        expect(saved.status).toBe(200)
        const me = (await (await json('GET', '/api/v1/readers/me', undefined, bearer(readerToken))).json()) as {
          reader: { notify: Record<string, boolean> }
        }
        expect(me.reader.notify).toEqual({ replies: false, approved: true, rejected: true, featured: false })
      })

      it('alerts moderators who want it when reports hold a comment, and when the queue grows long (once)', async () => {
        await moderatorMail('mod', { email: 'desk@news.example' })
        await t.settings({ reportThreshold: 1, queueAlertThreshold: 2, moderationMode: 'pre' })
        for (let i = 0; i < 3; i++) await post('alert-1', aComment())
        await t.settled()
        const queueAlerts = await allMails(t.db)
        expect(queueAlerts.map((m) => m.kind)).toEqual(['queue_alert'])
        await t.settings({ moderationMode: 'post' })
        const { comment } = (await (await post('alert-2', aComment())).json()) as { comment: { id: string } }
        await json('POST', `/api/v1/comments/${comment.id}/reports`, { reason: 'abuse' })
        const [alert] = await takeMails(t.db, 1)
        expect(alert).toMatchObject({ to: 'desk@news.example', kind: 'reports_alert' })
      })

      it('sends the daily digest to moderators who want it, with the day’s figures', async () => {
        await moderatorMail('editor', { email: 'digest@news.example', digest: true })
        await moderatorMail('mod', { digest: false })
        expect(await sendDailyDigest(t.db, 'https://comments.news.example', clock.now())).toBe(1)
        const [digest] = await takeMails(t.db, 1)
        expect(digest).toMatchObject({ to: 'digest@news.example', kind: 'digest' })
        expect(digest!.text).toContain('Waiting for moderation')
        expect(digest!.text).toContain('https://comments.news.example/moderate/account')
      })
    })
  })
}
