// Issue 16, the desk: a commenter's page and notes, suspension, shadow-ban, the articles list and
// readers' "respect", through the API on both databases.
import { SignJWT } from 'jose'
import type { LiveNotice } from '../src/live/live.events.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { type TestApp, aComment, aFormToken, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const SSO_SECRET = 'desk-sso-secret-desk-sso-secret-0123456789'

for (const kind of dbKinds()) {
  describe(`the desk on ${kind}`, () => {
    let t: TestApp
    let cookies: { admin: string; moderator: string }
    const notices: LiveNotice[] = []
    const hooks: string[] = []
    const mod = (method: string, path: string, body?: unknown) => modRequest(t, cookies.moderator, method, `/api/v1/mod${path}`, body)
    const json = async (res: Response | Promise<Response>) => (await (await res).json()) as any

    /** A reader signed in through the publisher, with their bearer token. */
    const reader = async (subject: string, name: string) => {
      const token = await new SignJWT({ sub: subject, name, email: `${subject}@paper.example` })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(SSO_SECRET))
      const answer = await json(t.json('POST', '/api/v1/readers/sso', { token }))
      return { token: answer.readerToken as string, id: answer.reader.id as string }
    }
    const postAs = async (articleId: string, token: string | null, fields: Record<string, unknown> = {}) =>
      t.json(
        'POST',
        `/api/v1/articles/${articleId}/comments`,
        { formToken: await aFormToken(articleId), ...(token ? { body: aComment().body, ...fields } : aComment(fields)) },
        token ? { headers: { authorization: `Bearer ${token}` } } : {},
      )
    const commenterOf = async (commentId: string) =>
      (await t.db.selectFrom('comments').select('commenter_id').where('id', '=', commentId).executeTakeFirstOrThrow()).commenter_id!
    const publicIds = async (articleId: string) =>
      (await json(t.json('GET', `/api/v1/articles/${articleId}/comments`))).comments.map((c: any) => c.id)

    beforeAll(async () => {
      // What streams and webhooks would carry, caught on the way out (these tests open no stream).
      t = await createTestApp(kind, {
        announce: async (_db, notice) => void notices.push(notice),
        fetch: async (_url, init) => {
          hooks.push(String(init?.body))
          return new Response('ok')
        },
      })
      cookies = await signInBoth(t)
      await t.settings({
        rateLimitPerMinute: 0,
        premodNewCommenters: 0,
        moderationMode: 'post',
        ssoSecret: SSO_SECRET,
        minSecondsToPost: 0,
        webhookUrl: 'https://hooks.example/comments',
      })
    })
    afterAll(() => t?.close())

    describe('suspension', () => {
      it('refuses a suspended reader with the date it ends, holds a guest using a suspended address, and ends with a reset', async () => {
        const omar = await reader('suspend-omar', 'Omar')
        expect((await postAs('suspend', omar.token)).status).toBe(201)
        const missing = await mod('POST', `/commenters/${omar.id}/suspend`, { days: 7 })
        expect(missing.status).toBe(422)
        expect((await json(missing)).error.fields.reason).toMatch(/Say why/)
        expect((await mod('POST', `/commenters/${omar.id}/suspend`, { days: 3, reason: 'x' })).status).toBe(422)
        const suspended = await json(mod('POST', `/commenters/${omar.id}/suspend`, { days: 7, reason: 'Insults after a warning' }))
        const until = new Date(suspended.commenter.suspendedUntil)
        expect(until.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000)

        const refused = await postAs('suspend', omar.token)
        expect(refused.status).toBe(403)
        const error = (await json(refused)).error
        expect(error.code).toBe('commenter_suspended')
        expect(error.message).toContain(String(until.getUTCFullYear()))
        expect(error.message).toMatch(/^You cannot comment until \d{1,2} \w+ \d{4}/)
        expect((await json(postAs('suspend', omar.token, { lang: 'ar' }))).error.message).toMatch(/^لا يمكنك التعليق حتى/)

        // A guest's address proves nothing: held, never refused (nobody learns the address is suspended).
        const editing = await t.json(
          'PATCH',
          `/api/v1/comments/${(await t.db.selectFrom('comments').select('id').where('commenter_id', '=', omar.id).executeTakeFirstOrThrow()).id}`,
          { body: 'An edit while suspended.' },
          { headers: { authorization: `Bearer ${omar.token}` } },
        )
        expect((await json(editing)).error.code).toBe('commenter_suspended')
        const guest = await json(postAs('suspend', null, { email: 'suspended-guest@example.org' }))
        const guestId = await commenterOf(guest.comment.id)
        await mod('POST', `/commenters/${guestId}/suspend`, { days: 1, reason: 'Spam links' })
        const held = await postAs('suspend', null, { email: 'suspended-guest@example.org' })
        expect(held.status).toBe(202)

        await mod('POST', `/commenters/${omar.id}/reset`, { reason: 'Apologised' })
        expect((await postAs('suspend', omar.token)).status).toBe(201)
        const history = await t.db
          .selectFrom('moderation_actions')
          .select(['action', 'reason'])
          .where('commenter_id', '=', omar.id)
          .where('comment_id', 'is', null)
          .orderBy('id')
          .execute()
        expect(history.map((h) => h.action)).toEqual(['suspend', 'reset'])
        expect(history[0]!.reason).toMatch(/^7 days, until .*: Insults after a warning$/)
        expect(history[1]!.reason).toBe('Apologised')
      })
    })

    describe('shadow-ban', () => {
      it('shows a shadow-banned writer their comments as published and nobody else: not in lists, counts, streams or webhooks', async () => {
        const troll = await reader('shadow-troll', 'Troll')
        const before = await json(postAs('shadow', troll.token))
        expect(before.comment.status).toBe('approved')
        expect((await mod('POST', `/commenters/${troll.id}/shadow-ban`, {})).status).toBe(422)
        expect((await mod('POST', `/commenters/${troll.id}/shadow-ban`, { reason: 'Posts the same bait on every article' })).status).toBe(
          200,
        )

        const res = await postAs('shadow', troll.token, { body: 'Nobody will ever read this, though I think they do.' })
        expect(res.status).toBe(201)
        const { comment, receipt } = await json(res)
        expect(comment.status).toBe('approved')
        // Their own receipt says published; the public list, the count and the queue of waiting comments do not have it.
        const statuses = await json(t.json('GET', `/api/v1/comments/status?ids=${comment.id}.${receipt}`))
        expect(statuses).toEqual({ statuses: { [comment.id]: 'approved' }, reasons: {} })
        expect(await publicIds('shadow')).toEqual([before.comment.id])
        expect((await json(t.json('GET', '/api/v1/counts?articles=shadow'))).counts.shadow).toBe(1)
        expect((await json(mod('GET', '/queue?queue=pending&articleId=shadow'))).items).toEqual([])
        // Moderators find it among the rejected, marked for what it is.
        const rejected = await json(mod('GET', '/queue?queue=rejected&articleId=shadow'))
        expect(rejected.items.map((i: any) => [i.id, i.rejectReason])).toEqual([[comment.id, 'shadow_ban']])
        // They can reply to it, and edit it, as if it were out there.
        const replied = await postAs('shadow', troll.token, { body: 'And a reply to myself.', parentId: comment.id })
        expect(replied.status).toBe(201)
        const reply = await json(replied)
        const edited = await t.json(
          'PATCH',
          `/api/v1/comments/${comment.id}`,
          { body: 'Edited, still unseen.' },
          { headers: { authorization: `Bearer ${troll.token}` } },
        )
        expect((await json(edited)).comment).toMatchObject({ status: 'approved', body: 'Edited, still unseen.' })
        expect(await publicIds('shadow')).toEqual([before.comment.id])
        // Others cannot reply to what they cannot see.
        expect((await postAs('shadow', null, { parentId: comment.id })).status).toBe(422)
        // Nothing went out about them: no live notice, no webhook. A comment posted after them does go out.
        const ordinary = await json(postAs('shadow-elsewhere', null, { body: 'An ordinary comment after the unseen ones.' }))
        await expect
          .poll(() => notices.some((n) => n.commentId === ordinary.comment.id) && hooks.some((h) => h.includes(ordinary.comment.id)))
          .toBe(true)
        for (const id of [comment.id, reply.comment?.id ?? '']) {
          expect(notices.filter((n) => n.commentId === id)).toEqual([])
          expect(hooks.filter((h) => h.includes(id))).toEqual([])
        }

        // A moderator's rejection of another decides it for real: no longer shadow, the reason recorded.
        const other = await json(postAs('shadow', troll.token, { body: 'Another unseen one.' }))
        expect((await mod('POST', `/comments/${other.comment.id}/reject`, { reason: 'spam' })).status).toBe(200)
        expect(
          await t.db
            .selectFrom('comments')
            .select(['shadow', 'status', 'reject_reason'])
            .where('id', '=', other.comment.id)
            .executeTakeFirstOrThrow(),
        ).toEqual({ shadow: false, status: 'rejected', reject_reason: 'spam' })

        // A moderator's approval makes it an ordinary published comment.
        expect((await mod('POST', `/comments/${comment.id}/approve`)).status).toBe(200)
        expect(await publicIds('shadow')).toEqual([comment.id, before.comment.id])
        const row = await t.db.selectFrom('comments').select(['shadow', 'status']).where('id', '=', comment.id).executeTakeFirstOrThrow()
        expect(row).toEqual({ shadow: false, status: 'approved' })
        // Reset lifts the shadow-ban: the next comment is public, and their old shadow comments take no replies.
        const leftBehind = await json(postAs('shadow', troll.token, { body: 'Still unseen when the ban is lifted.' }))
        await mod('POST', `/commenters/${troll.id}/reset`, { reason: 'Second chance' })
        expect((await postAs('shadow', troll.token, { parentId: leftBehind.comment.id })).status).toBe(422)
        const count = (await json(t.json('GET', '/api/v1/counts?articles=shadow'))).counts.shadow
        expect(count).toBe((await publicIds('shadow')).length)
        const after = await json(postAs('shadow', troll.token, { body: 'Back in the open.' }))
        expect(await publicIds('shadow')).toContain(after.comment.id)
      })
    })

    describe('commenter page', () => {
      it('lists a commenter’s comments in every status, their restrictions and moderators’ notes', async () => {
        const first = await json(postAs('page', null, { email: 'paged@example.org', body: 'The first of three comments.' }))
        const id = await commenterOf(first.comment.id)
        await t.settings({ bannedWords: ['scumbag'] })
        expect((await postAs('page', null, { email: 'paged@example.org', body: 'A scumbag of a second comment.' })).status).toBe(422)
        await t.settings({ bannedWords: [] })
        await t.db.updateTable('articles').set({ moderation_mode: 'pre' }).where('id', '=', 'page').execute()
        expect((await postAs('page', null, { email: 'paged@example.org', body: 'A third comment, waiting.' })).status).toBe(202)
        expect((await mod('POST', `/commenters/${id}/notes`, { body: '' })).status).toBe(422)
        expect((await mod('POST', `/commenters/${id}/notes`, { body: 'Known to the desk: writes from the camp in Atmeh.' })).status).toBe(
          201,
        )

        const page = await json(mod('GET', `/commenters/${id}?limit=2`))
        expect(page.commenter).toMatchObject({
          id,
          email: 'paged@example.org',
          status: 'normal',
          suspendedUntil: null,
          shadowBanned: false,
          approvedCount: 1,
          rejectedCount: 1,
        })
        expect(page.comments.map((c: any) => c.status)).toEqual(['pending', 'rejected'])
        expect(page.notes).toEqual([expect.objectContaining({ by: 'mod', body: 'Known to the desk: writes from the camp in Atmeh.' })])
        const rest = await json(mod('GET', `/commenters/${id}?limit=2&cursor=${page.nextCursor}`))
        expect(rest.comments.map((c: any) => c.body)).toEqual(['The first of three comments.'])
        expect((await mod('GET', '/commenters/00000000000000000000000000')).status).toBe(404)
        expect((await t.json('GET', `/api/v1/mod/commenters/${id}`)).status).toBe(401)
      })
    })

    describe('articles', () => {
      it('lists articles newest first with their counts and state, finds them, and closes one', async () => {
        await postAs('desk-article-a', null, { articleTitle: 'Aid convoy reaches Idlib', articleUrl: 'https://news.example/a' })
        await postAs('desk-article-b', null)
        await postAs('desk-article-b', null)
        await t.db.updateTable('articles').set({ moderation_mode: 'pre' }).where('id', '=', 'desk-article-b').execute()
        await postAs('desk-article-b', null)
        const found = await json(mod('GET', '/articles?q=convoy'))
        expect(found.articles.map((a: any) => a.id)).toEqual(['desk-article-a'])
        const all = await json(mod('GET', '/articles?q=desk-article'))
        expect(all.articles.map((a: any) => [a.id, a.commentCount, a.pendingCount, a.open, a.effectiveMode])).toEqual([
          ['desk-article-b', 2, 1, true, 'pre'],
          ['desk-article-a', 1, 0, true, 'post'],
        ])
        const first = await json(mod('GET', '/articles?q=desk-article&limit=1'))
        const second = await json(mod('GET', `/articles?q=desk-article&limit=1&cursor=${encodeURIComponent(first.nextCursor)}`))
        expect([first.articles[0].id, second.articles[0].id, second.nextCursor]).toEqual(['desk-article-b', 'desk-article-a', null])
        expect((await mod('GET', '/articles?cursor=nonsense')).status).toBe(422)
        // A literal "%" matches itself, not everything.
        expect((await json(mod('GET', '/articles?q=%25'))).articles).toEqual([])
        // Articles made in the same microsecond still page one by one, none skipped.
        const at = new Date('2026-01-02T03:04:05.678Z')
        await t.db
          .insertInto('articles')
          .values(['tie-1', 'tie-2', 'tie-3'].map((id) => ({ id, created_at: at })))
          .execute()
        const tied: string[] = []
        let cursor: string | null = null
        do {
          const page: any = await json(mod('GET', `/articles?q=tie-&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`))
          tied.push(...page.articles.map((a: any) => a.id))
          cursor = page.nextCursor
        } while (cursor)
        expect(tied).toEqual(['tie-3', 'tie-2', 'tie-1'])
        await mod('PUT', '/articles/desk-article-a', { commentsOpen: false })
        expect((await json(mod('GET', '/articles?q=convoy'))).articles[0].open).toBe(false)
      })
    })

    describe('a reader’s account page', () => {
      it('opens from a fifteen-minute link: data to download, preferences, and deleting the account once confirmed', async () => {
        const layla = await reader('account-layla', 'Layla')
        const { comment } = await json(postAs('account', layla.token, { body: 'A comment I will take back with my account.' }))
        const signed = { headers: { authorization: `Bearer ${layla.token}` } }
        expect((await t.json('POST', '/api/v1/readers/me/account-link', {})).status).toBe(401)
        const { path } = await json(
          t.json('POST', '/api/v1/readers/me/account-link', { articleUrl: 'https://news.example/2020/idlib' }, signed),
        )
        expect(path).toMatch(/^\/readers\/account\?r=/)
        const page = await t.app.request(path)
        expect(page.status).toBe(200)
        const html = await page.text()
        expect(html).toContain('You comment as Layla (account-layla@paper.example).')
        expect(html).toContain('href="https://news.example/2020/idlib"')
        expect(html).toContain('/readers/preferences?r=')

        const data = await t.app.request(path.replace('/readers/account?', '/readers/account/data?'), { method: 'POST' })
        expect(data.headers.get('content-disposition')).toContain('my-comments.json')
        expect((await data.json()).comments.map((c: any) => c.id)).toEqual([comment.id])

        // Altered, expired or for a stranger's page: nothing.
        expect((await t.app.request(path.replace('r=', 'r=x'))).status).toBe(404)
        const { accountPath } = await import('../src/http/reader-pages/readers.account.js')
        const { TEST_SECRET } = await import('./helpers/test-app.js')
        expect((await t.app.request(await accountPath(TEST_SECRET, layla.id, new Date(Date.now() - 16 * 60_000), null))).status).toBe(404)
        const elsewhere = await json(t.json('POST', '/api/v1/readers/me/account-link', { articleUrl: 'https://evil.example/' }, signed))
        expect(await (await t.app.request(elsewhere.path)).text()).not.toContain('evil.example')

        const form = (body: Record<string, string>) => ({
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(body).toString(),
        })
        const unconfirmed = await t.app.request(path.replace('/readers/account?', '/readers/account/delete?'), form({}))
        expect(unconfirmed.status).toBe(422)
        expect(await t.db.selectFrom('commenters').select('id').where('id', '=', layla.id).executeTakeFirst()).toBeTruthy()
        const deleted = await t.app.request(path.replace('/readers/account?', '/readers/account/delete?'), form({ confirmed: 'true' }))
        expect(await deleted.text()).toContain('Your account and comments were deleted.')
        expect(await t.db.selectFrom('commenters').select('id').where('id', '=', layla.id).executeTakeFirst()).toBeUndefined()
        expect(await t.db.selectFrom('comments').select('id').where('id', '=', comment.id).executeTakeFirst()).toBeUndefined()
        expect((await t.json('GET', '/api/v1/readers/me', undefined, signed)).status).toBe(401)
      })
    })

    describe('respect', () => {
      it('counts one respect per reader per comment, shows counts only, and orders by it', async () => {
        const ids: string[] = []
        for (let i = 0; i < 3; i++) ids.push((await json(postAs('respect', null))).comment.id)
        const browser = (n: number) => `browser-${String(n).padStart(12, '0')}`
        const respect = (id: string, body: Record<string, unknown>, init: { ip?: string; headers?: Record<string, string> } = {}) =>
          t.json('POST', `/api/v1/comments/${id}/respect`, body, init)

        expect(await json(respect(ids[0]!, { respected: true, browser: browser(1) }))).toEqual({ respected: true, respect: 1 })
        // Saying it twice changes nothing; another browser on the same address is another reader.
        expect(await json(respect(ids[0]!, { respected: true, browser: browser(1) }))).toEqual({ respected: true, respect: 1 })
        expect(await json(respect(ids[0]!, { respected: true, browser: browser(2) }))).toEqual({ respected: true, respect: 2 })
        const omar = await reader('respect-omar', 'Omar')
        const signed = { headers: { authorization: `Bearer ${omar.token}` } }
        expect(await json(respect(ids[1]!, { respected: true }, signed))).toEqual({ respected: true, respect: 1 })
        expect(await json(respect(ids[1]!, { respected: true }, signed))).toEqual({ respected: true, respect: 1 })
        expect(await json(respect(ids[0]!, { respected: true }, signed))).toEqual({ respected: true, respect: 3 })
        expect(await json(respect(ids[0]!, { respected: false, browser: browser(2) }))).toEqual({ respected: false, respect: 2 })
        expect(await json(respect(ids[0]!, { respected: false, browser: browser(2) }))).toEqual({ respected: false, respect: 2 })
        // Nobody respects their own comment (issue 22, bug 17).
        const own = await json(postAs('respect-own', omar.token))
        const refused = await respect(own.comment.id, { respected: true }, signed)
        expect(refused.status).toBe(403)
        expect((await json(refused)).error.code).toBe('forbidden')

        // A guest must say which browser; nonsense and unknown or unpublished comments are refused.
        expect((await respect(ids[2]!, { respected: true })).status).toBe(422)
        expect((await respect(ids[2]!, { respected: 'yes', browser: browser(1) })).status).toBe(422)
        expect((await respect('00000000000000000000000000', { respected: true, browser: browser(1) })).status).toBe(404)
        const waiting = await json(postAs('respect-pre', null))
        await t.db.updateTable('comments').set({ status: 'pending' }).where('id', '=', waiting.comment.id).execute()
        expect((await respect(waiting.comment.id, { respected: true, browser: browser(1) })).status).toBe(404)

        const list = await json(t.json('GET', '/api/v1/articles/respect/comments?sort=respected&limit=2'))
        expect(list.comments.map((c: any) => [c.id, c.respect])).toEqual([
          [ids[0], 2],
          [ids[1], 1],
        ])
        expect(JSON.stringify(list)).not.toMatch(/browser-|reactor/)
        const rest = await json(t.json('GET', `/api/v1/articles/respect/comments?sort=respected&limit=2&cursor=${list.nextCursor}`))
        expect(rest.comments.map((c: any) => [c.id, c.respect])).toEqual([[ids[2], 0]])
        expect(rest.nextCursor).toBeNull()
        expect((await t.json('GET', '/api/v1/articles/respect/comments?sort=respected&cursor=x~y')).status).toBe(422)
      })

      it('lets the guests of one address (an IPv6 /64 counts as one) respect a comment at most five times, and forgets an erased reader’s respects', async () => {
        const { comment } = await json(postAs('respect-cap', null))
        const counts: number[] = []
        for (let i = 0; i < 7; i++) {
          const ip = `2001:db8:1:2:${i}::${i + 1}` // one /64, rotating addresses within it
          counts.push(
            (
              await json(
                t.json(
                  'POST',
                  `/api/v1/comments/${comment.id}/respect`,
                  { respected: true, browser: `cap-browser-${String(i).padStart(10, '0')}` },
                  { ip },
                ),
              )
            ).respect,
          )
        }
        expect(counts).toEqual([1, 2, 3, 4, 5, 5, 5])
        const elsewhere = await json(
          t.json(
            'POST',
            `/api/v1/comments/${comment.id}/respect`,
            { respected: true, browser: 'cap-browser-elsewhere-1' },
            { ip: '2001:db8:1:3::1' },
          ),
        )
        expect(elsewhere.respect).toBe(6)

        const nour = await reader('respect-nour', 'Nour')
        await t.json(
          'POST',
          `/api/v1/comments/${comment.id}/respect`,
          { respected: true },
          { headers: { authorization: `Bearer ${nour.token}` } },
        )
        expect(
          (await t.db.selectFrom('comments').select('respect_count').where('id', '=', comment.id).executeTakeFirstOrThrow()).respect_count,
        ).toBe(7)
        const admin = (method: string, path: string, body?: unknown) => modRequest(t, cookies.admin, method, `/api/v1/mod${path}`, body)
        expect((await json(admin('GET', `/commenters/${nour.id}/export`))).respected).toEqual([comment.id])
        expect((await admin('POST', `/commenters/${nour.id}/erase`, { mode: 'remove' })).status).toBe(200)
        expect(
          (await t.db.selectFrom('comments').select('respect_count').where('id', '=', comment.id).executeTakeFirstOrThrow()).respect_count,
        ).toBe(6)
        expect(await t.db.selectFrom('comment_reactions').select('reactor').where('reactor', '=', `r:${nour.id}`).execute()).toEqual([])
      })

      it('limits how often one address respects', async () => {
        const { comment } = await json(postAs('respect-limit', null))
        let last = 0
        for (let i = 0; i < 61; i++) {
          last = (
            await t.json(
              'POST',
              `/api/v1/comments/${comment.id}/respect`,
              { respected: i % 2 === 0, browser: 'limit-browser-0000001' },
              { ip: '198.51.100.77' },
            )
          ).status
        }
        expect(last).toBe(429)
      })
    })
  })
}
