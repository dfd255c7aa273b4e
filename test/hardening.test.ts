// Findings of the security review, each with a test that failed before its fix.
import { servicesOf } from '../src/node.setup.js'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createModerator } from '../src/auth/auth.users.js'
import { parseEnv } from '../src/env.js'
import { appConfig, buildNodeApp } from '../src/node.setup.js'
import { TEST_SECRET, type TestApp, aComment, aFormToken, createTestApp } from './helpers/test-app.js'
import { modRequest, signIn } from './helpers/moderators.js'
import { dbKinds } from './helpers/test-db.js'

for (const kind of dbKinds()) {
  describe(`hardening on ${kind}`, () => {
    let t: TestApp
    let twoProxies: TestApp['app']
    beforeAll(async () => {
      t = await createTestApp(kind)
      await t.settings({ rateLimitPerMinute: 0, moderationMode: 'pre' })
      await createModerator(t.db, 'guard', 'a long enough password', 'admin')
      // A second account: the login tests lock 'guard' for their window.
      await createModerator(t.db, 'desk-admin', 'a long enough password', 'admin')
      twoProxies = buildNodeApp(t.connection, appConfig(parseEnv({ NODE_ENV: 'test' }), TEST_SECRET), { trustProxy: 2 })
    })
    afterAll(() => t?.close())

    const ipHashOf = async (id: string) =>
      (await t.db.selectFrom('comments').select('ip_hash').where('id', '=', id).executeTakeFirstOrThrow()).ip_hash
    const postWith = async (app: TestApp['app'], forwardedFor: string) => {
      const res = await app.request('/api/v1/articles/proxied/comments', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
        body: JSON.stringify(aComment()),
      })
      expect(res.status).toBe(202)
      return (await res.json()).comment.id as string
    }

    it('takes the client address our proxy appended, not the one the client wrote (finding 4)', async () => {
      const spoofed = await postWith(t.app, '10.66.0.1, 203.0.113.50')
      const otherSpoof = await postWith(t.app, '10.66.0.2, 203.0.113.50')
      const honest = await postWith(t.app, '203.0.113.50')
      const elsewhere = await postWith(t.app, '10.66.0.1, 198.51.100.9')
      expect(await ipHashOf(spoofed)).toBe(await ipHashOf(honest))
      expect(await ipHashOf(otherSpoof)).toBe(await ipHashOf(honest))
      expect(await ipHashOf(elsewhere)).not.toBe(await ipHashOf(honest))
    })

    it('with two proxies in front, takes the second entry from the right', async () => {
      const a = await postWith(twoProxies, '10.66.0.1, 203.0.113.77, 192.0.2.1')
      const b = await postWith(twoProxies, '203.0.113.77, 192.0.2.2')
      expect(await ipHashOf(a)).toBe(await ipHashOf(b))
    })

    it('counts login attempts before checking them, so thirty at once check at most the limit (finding 3)', async () => {
      const attempt = () =>
        t.json(
          'POST',
          '/api/v1/auth/login',
          { username: 'guard', password: 'not the password' },
          { ip: '198.18.7.7', headers: { 'sec-fetch-site': 'same-origin' } },
        )
      const statuses = (await Promise.all(Array.from({ length: 30 }, attempt))).map((res) => res.status)
      const checked = statuses.filter((s) => s === 401).length
      expect(checked).toBeGreaterThan(0)
      expect(checked).toBeLessThanOrEqual(10)
      expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).toBe(true)
      // From that address the account stays locked for the window, even with the right password...
      expect(
        (
          await t.json(
            'POST',
            '/api/v1/auth/login',
            { username: 'guard', password: 'a long enough password' },
            { ip: '198.18.7.7', headers: { 'sec-fetch-site': 'same-origin' } },
          )
        ).status,
      ).toBe(429)
      // ...but a stranger's failures do not lock the moderator out from an address with none (finding 10).
      expect(
        (
          await t.json(
            'POST',
            '/api/v1/auth/login',
            { username: 'guard', password: 'a long enough password' },
            { ip: '198.18.7.8', headers: { 'sec-fetch-site': 'same-origin' } },
          )
        ).status,
      ).toBe(200)
    })

    it('gives a successful login its count back, so signing in often never locks anyone out', async () => {
      await createModerator(t.db, 'regular', 'another long enough password', 'moderator')
      for (let i = 0; i < 12; i++) {
        const res = await t.json(
          'POST',
          '/api/v1/auth/login',
          { username: 'regular', password: 'another long enough password' },
          { ip: '198.18.9.9', headers: { 'sec-fetch-site': 'same-origin' } },
        )
        expect(res.status).toBe(200)
      }
    })

    it('changes only the article fields a PUT names (finding 1)', async () => {
      const cookie = await signIn(t, { username: 'desk-admin', password: 'a long enough password' }, '198.18.20.1')
      const put = (body: unknown) => modRequest(t, cookie, 'PUT', '/api/v1/mod/articles/partial-article', body)
      expect(
        (await put({ commentsOpen: false, moderationMode: 'pre', title: 'Shelling near Saraqeb', url: 'https://news.example/saraqeb' }))
          .status,
      ).toBe(200)
      const after = (await (await put({ title: 'A new title' })).json()).article
      expect(after).toMatchObject({ commentsOpen: false, moderationMode: 'pre', title: 'A new title', url: 'https://news.example/saraqeb' })
    })

    it('strips bidi and zero-width controls from names, refuses reserved names, and keeps one article per NFC id (finding 15)', async () => {
      const disguised = await t.postComment('names', aComment({ name: '\u202Eknab lartneC\u200B' }))
      expect(disguised.status).toBe(202)
      expect((await disguised.json()).comment.authorName).toBe('knab lartneC')
      const invisible = await t.postComment('names', aComment({ name: '\u200B\u200D\u2060' }))
      expect(invisible.status).toBe(422)
      const reserved = await t.postComment('names', aComment({ name: '[deleted]' }))
      expect(reserved.status).toBe(422)
      expect((await reserved.json()).error.fields).toHaveProperty('name')
      await t.postComment('caf\u00e9', aComment())
      await t.postComment('cafe\u0301', aComment())
      const articles = await t.db.selectFrom('articles').select('id').where('id', 'in', ['caf\u00e9', 'cafe\u0301']).execute()
      expect(articles.map((a) => a.id)).toEqual(['caf\u00e9'])
    })

    it("ties an idempotency key to its writer: another reader gets 409, not the first reader's comment (finding 8)", async () => {
      const first = aComment({ email: 'writer.a@example.org', idempotencyKey: 'shared-key-0001', body: 'A private pending thought' })
      const posted = await t.postComment('idem', first)
      expect(posted.status).toBe(202)
      const retry = await t.postComment('idem', first)
      expect((await retry.json()).comment.id).toBe((await posted.json()).comment.id)
      const stranger = await t.postComment('idem', aComment({ email: 'writer.b@example.org', idempotencyKey: 'shared-key-0001' }))
      expect(stranger.status).toBe(409)
      const answer = await stranger.json()
      expect(answer.error.code).toBe('idempotency_conflict')
      expect(JSON.stringify(answer)).not.toContain('A private pending thought')
    })

    it('does not let the same readers send a comment a moderator kept straight back to the queue (finding 6)', async () => {
      await t.settings({ reportThreshold: 2, moderationMode: 'post' })
      try {
        const { comment } = await (await t.postComment('reported-kept', aComment({ body: 'A view some readers dislike.' }))).json()
        expect(comment.status).toBe('approved')
        const report = (ip: string) => t.json('POST', `/api/v1/comments/${comment.id}/reports`, { reason: 'other' }, { ip })
        const status = async () =>
          (await t.db.selectFrom('comments').select('status').where('id', '=', comment.id).executeTakeFirstOrThrow()).status
        await report('198.18.30.1')
        await report('198.18.30.2')
        expect(await status()).toBe('pending')
        const cookie = await signIn(t, { username: 'desk-admin', password: 'a long enough password' }, '198.18.30.100')
        expect((await modRequest(t, cookie, 'POST', `/api/v1/mod/comments/${comment.id}/approve`)).status).toBe(200)
        expect((await report('198.18.30.1')).status).toBe(202)
        expect((await report('198.18.30.2')).status).toBe(202)
        expect(await status()).toBe('approved')
        // New readers still count.
        await report('198.18.30.3')
        await report('198.18.30.4')
        expect(await status()).toBe('pending')
      } finally {
        await t.settings({ reportThreshold: 3, moderationMode: 'pre' })
      }
    })

    it('logs a client that aborts mid-body as one debug line, not an error with a stack trace (finding 16)', async () => {
      const { log } = servicesOf(t.app)
      const errors = vi.spyOn(log, 'error').mockImplementation(() => undefined)
      const debug = vi.spyOn(log, 'debug').mockImplementation(() => undefined)
      try {
        for (let i = 0; i < 5; i++) {
          const body = new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"name":'))
              controller.error(new DOMException('The operation was aborted', 'AbortError'))
            },
          })
          const res = await t.app.request('/api/v1/articles/aborted/comments', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            duplex: 'half',
          } as RequestInit)
          expect(res.status).toBe(400)
        }
        expect(errors).not.toHaveBeenCalled()
        expect(debug).toHaveBeenCalledTimes(5)
        // One line each, and no stack trace in it.
        expect(debug.mock.calls.every(([fields]) => !('err' in fields) && !JSON.stringify(fields).includes('\\n'))).toBe(true)
      } finally {
        errors.mockRestore()
        debug.mockRestore()
      }
    })

    it("creates nothing for a refused post, and takes an article's title and URL only from a publisher's page (finding 7)", async () => {
      const articleExists = async (id: string) =>
        (await t.db.selectFrom('articles').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
      // Closed.
      await t.postComment('closed-source', aComment())
      await t.db.updateTable('articles').set({ comments_open: false }).where('id', '=', 'closed-source').execute()
      expect((await t.postComment('closed-source', aComment({ email: 'closed.newcomer@example.org' }))).status).toBe(403)
      expect(
        await t.db.selectFrom('commenters').select('id').where('email_normalized', '=', 'closed.newcomer@example.org').execute(),
      ).toEqual([])
      // Rate-limited.
      await t.settings({ rateLimitPerMinute: 1 })
      try {
        await t.postComment('limit-source', aComment({ email: 'quick.writer@example.org' }))
        // Same address, new email: refused by the per-address limit, so neither the article nor the commenter appears.
        const limited = await t.postComment(
          'never-created-limit',
          aComment({ email: 'nobody.new@example.org', articleTitle: 'Fake title' }),
        )
        expect(limited.status).toBe(429)
        expect(await articleExists('never-created-limit')).toBe(false)
        expect(await t.db.selectFrom('commenters').select('id').where('email_normalized', '=', 'nobody.new@example.org').execute()).toEqual(
          [],
        )
      } finally {
        await t.settings({ rateLimitPerMinute: 0 })
      }
      // A stranger's page cannot name the article; the publisher's page can.
      await t.postComment(
        'named-elsewhere',
        aComment({ articleTitle: 'Lies about the convoy', articleUrl: 'https://impostor.example/convoy' }),
      )
      expect(
        await t.db.selectFrom('articles').select(['title', 'url']).where('id', '=', 'named-elsewhere').executeTakeFirstOrThrow(),
      ).toEqual({ title: null, url: null })
      // Nor can a request that names the stranger's host as ours (a forged Host header).
      const forged = await t.app.request('http://impostor.example/api/v1/articles/named-by-host/comments', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.70' },
        body: JSON.stringify({
          ...aComment({ articleTitle: 'Lies', articleUrl: 'http://impostor.example/convoy' }),
          formToken: await aFormToken('named-by-host'),
        }),
      })
      expect(forged.status).toBeLessThan(300)
      expect(
        await t.db.selectFrom('articles').select(['title', 'url']).where('id', '=', 'named-by-host').executeTakeFirstOrThrow(),
      ).toEqual({ title: null, url: null })
      await t.postComment('named-here', aComment({ articleTitle: 'Convoy reaches the north', articleUrl: 'https://news.example/convoy' }))
      expect(await t.db.selectFrom('articles').select(['title', 'url']).where('id', '=', 'named-here').executeTakeFirstOrThrow()).toEqual({
        title: 'Convoy reaches the north',
        url: 'https://news.example/convoy',
      })
    })

    it('leaves no trace of an erased commenter in any table: name, email, words, notes, keys (finding 11)', async () => {
      const cookie = await signIn(t, { username: 'desk-admin', password: 'a long enough password' }, '198.18.40.100')
      const who = { name: 'Zaynab Qurashi', email: 'zaynab.unique@example.org' }
      const held = await (
        await t.postComment(
          'erasure',
          aComment({ ...who, body: 'pineapple-quartz-77 only an idiot believes this', idempotencyKey: 'zaynab-key-12345' }),
        )
      ).json()
      await modRequest(t, cookie, 'POST', `/api/v1/mod/comments/${held.comment.id}/reject`, {
        reason: 'abuse',
        note: 'Zaynab Qurashi again',
      })
      await t.settings({ moderationMode: 'post' })
      const published = await (await t.postComment('erasure', aComment({ ...who, body: 'pineapple-quartz-78 a second thought' }))).json()
      await t.settings({ moderationMode: 'pre' })
      await t.json(
        'POST',
        `/api/v1/comments/${published.comment.id}/reports`,
        { reason: 'other', note: 'this is Zaynab Qurashi from the market' },
        { ip: '198.18.40.7' },
      )
      // A verification link asked for (a code and a mail in the outbox): erasure reaches both.
      expect(
        (
          await t.json('POST', '/api/v1/readers/verify', {
            email: who.email,
            articleUrl: 'https://news.example/erasure',
            articleId: 'erasure',
            name: who.name,
          })
        ).status,
      ).toBe(202)
      const commenterId = (
        await t.db.selectFrom('commenters').select('id').where('email_normalized', '=', who.email).executeTakeFirstOrThrow()
      ).id
      expect((await modRequest(t, cookie, 'POST', `/api/v1/mod/commenters/${commenterId}/erase`, { mode: 'tombstone' })).status).toBe(200)

      const tables = (
        await sql<{
          table_name: string
        }>`select table_schema || '.' || table_name as table_name from information_schema.tables where table_schema in (current_schema(), 'pgboss') and table_type = 'BASE TABLE'`.execute(
          t.db,
        )
      ).rows.map((r) => r.table_name)
      expect(tables).toEqual(
        expect.arrayContaining([
          'public.comments',
          'public.commenters',
          'public.moderation_actions',
          'public.reports',
          'public.screening_examples',
          'public.reader_codes',
          'pgboss.job',
          'pgboss.archive',
        ]),
      )
      const traces: string[] = []
      for (const table of tables) {
        for (const needle of ['zaynab', 'qurashi', 'pineapple-quartz', 'zaynab-key']) {
          const found = await sql<{
            n: number
          }>`select count(*)::int as n from ${sql.table(table)} t where row_to_json(t)::text ilike ${`%${needle}%`}`.execute(t.db)
          if (found.rows[0]!.n > 0) traces.push(`${table}: ${needle}`)
        }
      }
      expect(traces).toEqual([])
    })

    it("hides replies under a root readers cannot see, and keeps the article's count to what its list shows (finding 14)", async () => {
      await t.settings({ moderationMode: 'post' })
      try {
        const cookie = await signIn(t, { username: 'desk-admin', password: 'a long enough password' }, '198.18.50.100')
        const post = async (body: Record<string, unknown>) =>
          (await (await t.postComment('threads-hidden', aComment(body))).json()).comment as { id: string }
        const root = await post({ body: 'A root comment about the convoy.' })
        const reply = await post({ body: 'A reply to it.', parentId: root.id })
        const deeper = await post({ body: 'A reply to the reply.', parentId: reply.id })
        await post({ body: 'Another thread.' })
        const view = async () =>
          (await (await t.json('GET', '/api/v1/articles/threads-hidden/comments')).json()) as {
            comments: { id: string }[]
            article: { commentCount: number }
          }
        const counts = async () => (await (await t.json('GET', '/api/v1/counts?articles=threads-hidden')).json()).counts['threads-hidden']
        expect((await view()).article.commentCount).toBe(4)

        expect((await modRequest(t, cookie, 'POST', `/api/v1/mod/comments/${root.id}/reject`, { reason: 'abuse' })).status).toBe(200)
        const after = await view()
        expect(after.comments.map((c) => c.id)).not.toContain(root.id)
        expect(after.article.commentCount).toBe(1)
        expect(await counts()).toBe(1)
        expect((await t.json('GET', `/api/v1/comments/${root.id}/replies`)).status).toBe(404)
        // Nor can anyone reply into the hidden thread.
        expect((await t.postComment('threads-hidden', aComment({ body: 'Still here?', parentId: deeper.id }))).status).toBe(422)

        // Restored, the thread comes back whole.
        expect((await modRequest(t, cookie, 'POST', `/api/v1/mod/comments/${root.id}/approve`)).status).toBe(200)
        expect((await view()).article.commentCount).toBe(4)
      } finally {
        await t.settings({ moderationMode: 'pre' })
      }
    })

    it('shows only workspace notices it knows, never text from the link, and forbids inline scripts (finding 13)', async () => {
      const cookie = await signIn(t, { username: 'desk-admin', password: 'a long enough password' }, '198.18.60.1')
      const forged = await t.app.request('/moderate?notice=Your+session+expired.+Sign+in+at+evil.example&n=<b>9</b>', {
        headers: { cookie },
      })
      const html = await forged.text()
      expect(forged.status).toBe(200)
      expect(html).not.toContain('evil.example')
      expect(html).not.toContain('<b>9</b>')
      const known = await (await t.app.request('/moderate?notice=bulk_rejected&n=7&risk=javascript:', { headers: { cookie } })).text()
      expect(known).toContain('7 comments rejected.')
      const csp = forged.headers.get('content-security-policy')!
      expect(csp).toContain("script-src 'self'")
      expect(csp.split(';').find((d) => d.trim().startsWith('script-src'))).not.toContain('unsafe-inline')
    })

    it('limits the bodies the workspace reads, before reading them (finding 2)', async () => {
      const huge = `username=guard&password=${'x'.repeat(200_000)}`
      const res = await t.app.request('/moderate/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
        body: huge,
      })
      expect(res.status).toBe(413)
      const settings = await t.app.request('/moderate/settings', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
        body: `bannedWords=${'w'.repeat(3 * 1024 * 1024)}`,
      })
      expect(settings.status).toBe(413)
    })

    it('refuses a workspace password longer than the JSON login accepts, without hashing it (finding 2)', async () => {
      const res = await t.app.request('/moderate/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
        body: `username=guard&password=${'x'.repeat(1001)}`,
      })
      expect(res.status).toBe(422)
      expect(await res.text()).toContain('at most 1000')
    })
  })
}
