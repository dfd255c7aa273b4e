import { seedArticle } from '../bench/seed.js'
import { getSiteSettings } from '../src/settings/settings.repository.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PUBLISHER_ORIGIN, type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

for (const kind of dbKinds()) {
  describe(`reader API on ${kind}`, () => {
    let t: TestApp
    beforeAll(async () => {
      t = await createTestApp(kind)
      // These flows need comments that wait: the file runs pre-moderated, and the default policy has its own test.
      await t.settings({ rateLimitPerMinute: 0, premodNewCommenters: 0, moderationMode: 'pre' })
    })
    afterAll(() => t?.close())

    const approveAll = async (articleId: string) => {
      // The moderator API is tested elsewhere; here a post-moderated article publishes directly.
      await t.db.updateTable('articles').set({ moderation_mode: 'post' }).where('id', '=', articleId).execute()
    }

    describe('posting', () => {
      it('runs a fresh install post-moderated with screening: a clean comment publishes, an abusive one waits', async () => {
        const fresh = await createTestApp(kind)
        try {
          expect(await getSiteSettings(fresh.db)).toMatchObject({
            moderationMode: 'post',
            premodNewCommenters: 0,
            modelEnabled: true,
            modelHoldThreshold: 0.5,
            modelRejectThreshold: null,
          })
          const clean = await fresh.postComment('fresh', aComment({ body: 'Thank you for reporting from Saraqeb when so few still do.' }))
          expect(clean.status).toBe(201)
          const abusive = await fresh.postComment('fresh', aComment({ body: 'Only a pathetic clown would write this garbage, you liar' }))
          expect(abusive.status).toBe(202)
          const row = await fresh.db
            .selectFrom('comments')
            .select(['risk', 'flagged', 'screening'])
            .where('id', '=', (await abusive.json()).comment.id)
            .executeTakeFirstOrThrow()
          expect(row.flagged).toBe(true)
          expect(row.risk).toBeGreaterThanOrEqual(0.5)
          expect(row.screening.reasons).toContainEqual(
            expect.objectContaining({
              rule: 'model_abuse',
              verdict: 'hold',
              message: expect.stringMatching(/^Likely abusive \(\d\.\d\d\)$/),
            }),
          )
        } finally {
          await fresh.close()
        }
      })

      it('holds a comment for review under pre-moderation and answers 202', async () => {
        const res = await t.postComment(
          'pre-article',
          aComment({ articleTitle: 'Shelling near Saraqeb', articleUrl: `${PUBLISHER_ORIGIN}/a/1` }),
        )
        expect(res.status).toBe(202)
        const { comment } = await res.json()
        expect(comment).toMatchObject({ articleId: 'pre-article', parentId: null, status: 'pending', featured: false })
        expect(comment.id).toMatch(/^[0-9a-z]{26}$/)
        const list = await (await t.json('GET', '/api/v1/articles/pre-article/comments')).json()
        expect(list.comments).toEqual([])
        expect(list.article).toMatchObject({
          id: 'pre-article',
          title: 'Shelling near Saraqeb',
          url: `${PUBLISHER_ORIGIN}/a/1`,
          commentsOpen: true,
          commentCount: 0,
        })
      })

      it('publishes at once under post-moderation and answers 201', async () => {
        await t.postComment('post-article', aComment())
        await approveAll('post-article')
        const res = await t.postComment('post-article', aComment({ body: 'Published straight away' }))
        expect(res.status).toBe(201)
        const { comment } = await res.json()
        expect(comment.status).toBe('approved')
        const list = await (await t.json('GET', '/api/v1/articles/post-article/comments')).json()
        expect(list.comments.map((c: { body: string }) => c.body)).toEqual(['Published straight away'])
        expect(list.article.commentCount).toBe(1)
      })

      it('switches site-wide to post-moderation through the settings', async () => {
        await t.settings({ moderationMode: 'post' })
        try {
          expect((await t.postComment('site-post', aComment())).status).toBe(201)
        } finally {
          await t.settings({ moderationMode: 'pre' })
        }
        expect((await t.postComment('site-post-2', aComment())).status).toBe(202)
      })

      it('stores each screened comment with one audit row and the commenter and article counters in step', async () => {
        await t.postComment('counted', aComment())
        await approveAll('counted')
        const email = `counted-${Date.now()}@example.org`
        const published = (await (await t.postComment('counted', aComment({ email, body: 'Counted once' }))).json()).comment
        await t.settings({ bannedWords: ['scumbag'] })
        try {
          expect((await t.postComment('counted', aComment({ email, body: 'What a scumbag' }))).status).toBe(422)
        } finally {
          await t.settings({ bannedWords: [] })
        }
        const commenter = await t.db
          .selectFrom('commenters')
          .select(['approved_count', 'rejected_count'])
          .where('email_normalized', '=', email)
          .executeTakeFirstOrThrow()
        expect(commenter).toEqual({ approved_count: 1, rejected_count: 1 })
        const article = await t.db.selectFrom('articles').select(['approved_count']).where('id', '=', 'counted').executeTakeFirstOrThrow()
        expect(article.approved_count).toBe(1)
        const audit = await t.db
          .selectFrom('moderation_actions')
          .select(['action', 'actor_name', 'from_status', 'to_status'])
          .where('comment_id', '=', published.id)
          .execute()
        expect(audit).toEqual([{ action: 'screened', actor_name: 'system', from_status: null, to_status: 'approved' }])
      })

      it('trims and NFC-normalises text', async () => {
        const res = await t.postComment('nfc', aComment({ name: '  Re\u0301my  ', body: '  Cafe\u0301 in Ari\u0301ha \n' }))
        const { comment } = await res.json()
        expect(comment.authorName).toBe('Rémy')
        expect(comment.body).toBe('Café in Aríha')
      })

      it('keeps newlines and tabs in the body, and turns CRLF into LF', async () => {
        const { comment } = await (await t.postComment('newlines', aComment({ body: 'line one\r\nline\ttwo' }))).json()
        expect(comment.body).toBe('line one\nline\ttwo')
      })
    })

    describe('validation', () => {
      const cases: [string, Record<string, unknown>, string][] = [
        ['empty name', { name: '   ' }, 'name'],
        ['missing name', { name: undefined }, 'name'],
        ['name over 80 characters', { name: 'n'.repeat(81) }, 'name'],
        ['newline in the name', { name: 'Sam\nSmith' }, 'name'],
        ['invalid email', { email: 'not-an-email' }, 'email'],
        ['missing email', { email: undefined }, 'email'],
        ['email over 254 characters', { email: `${'a'.repeat(250)}@example.org` }, 'email'],
        ['empty body', { body: '' }, 'body'],
        ['whitespace-only body', { body: ' \n\t ' }, 'body'],
        ['body over 5,000 characters', { body: 'b'.repeat(5001) }, 'body'],
        ['NUL in the body', { body: 'hello\u0000world' }, 'body'],
        ['control character in the body', { body: 'bell\u0007' }, 'body'],
        ['C1 control in the name', { name: 'Sam\u0085' }, 'name'],
        ['lone surrogate in the body', { body: 'broken \uD800 text' }, 'body'],
        ['lone low surrogate in the name', { name: 'x\uDC00' }, 'name'],
        ['body of the wrong type', { body: 42 }, 'body'],
        ['malformed parentId', { parentId: 'nope' }, 'parentId'],
        ['unknown parentId', { parentId: '01m89ddvxfeb1b2zdpbv420b6e' }, 'parentId'],
        ['bad idempotencyKey', { idempotencyKey: 'a b' }, 'idempotencyKey'],
        ['bad articleUrl', { articleUrl: 'javascript:alert(1)' }, 'articleUrl'],
      ]
      for (const [label, patch, field] of cases) {
        it(`refuses ${label} with 422 naming ${field}`, async () => {
          const body = aComment(patch)
          for (const [k, v] of Object.entries(patch)) if (v === undefined) delete body[k]
          const res = await t.postComment('validation', body)
          expect(res.status).toBe(422)
          const { error } = await res.json()
          expect(error.code).toBe('validation_failed')
          expect(typeof error.message).toBe('string')
          expect(Object.keys(error.fields)).toContain(field)
        })
      }

      it('accepts a 5,000-character body counted in characters, not UTF-16 units', async () => {
        const res = await t.postComment('validation', aComment({ body: '😀'.repeat(5000) }))
        expect(res.status).toBe(202)
      })

      it('stores nothing for a refused post', async () => {
        const before = await t.db.selectFrom('comments').select(t.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
        await t.postComment('validation-nothing', aComment({ email: 'broken' }))
        const after = await t.db.selectFrom('comments').select(t.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
        expect(Number(after.n)).toBe(Number(before.n))
        expect(await t.db.selectFrom('articles').selectAll().where('id', '=', 'validation-nothing').executeTakeFirst()).toBeUndefined()
      })

      it('answers malformed JSON with 400 and a JSON error', async () => {
        const res = await t.app.request('/api/v1/articles/x/comments', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"name":',
        })
        expect(res.status).toBe(400)
        expect((await res.json()).error.code).toBe('invalid_json')
      })

      it('answers a JSON array body with 422', async () => {
        const res = await t.app.request('/api/v1/articles/x/comments', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '[1,2]',
        })
        expect(res.status).toBe(422)
      })

      it('answers an unsupported content type with 415', async () => {
        const res = await t.app.request('/api/v1/articles/x/comments', {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: 'hello',
        })
        expect(res.status).toBe(415)
        expect((await res.json()).error.code).toBe('unsupported_media_type')
      })

      it('answers a body over 32 KB with 413', async () => {
        const res = await t.postComment('big', aComment({ body: 'x'.repeat(40_000) }))
        expect(res.status).toBe(413)
        expect((await res.json()).error.code).toBe('payload_too_large')
      })

      it('validates list parameters', async () => {
        for (const query of ['limit=101', 'limit=0', 'limit=abc', 'sort=random', 'cursor=xyz']) {
          const res = await t.json('GET', `/api/v1/articles/a/comments?${query}`)
          expect(res.status, query).toBe(422)
          expect((await res.json()).error.fields).toBeTruthy()
        }
      })
    })

    describe('reading', () => {
      const articleId = 'paged-article'
      const ids: string[] = []
      beforeAll(async () => {
        await t.postComment(articleId, aComment()) // creates the article; this first one stays pending
        await approveAll(articleId)
        for (let i = 0; i < 45; i++) {
          const res = await t.postComment(articleId, aComment({ body: `Top-level ${i}` }))
          ids.push((await res.json()).comment.id)
        }
      })

      async function walk(sort: 'newest' | 'oldest', limit: number) {
        const seen: string[] = []
        let cursor: string | null = null
        let pages = 0
        do {
          const query: string = `sort=${sort}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`
          const res = await t.json('GET', `/api/v1/articles/${articleId}/comments?${query}`)
          expect(res.status).toBe(200)
          const page = await res.json()
          expect(page.comments.length).toBeLessThanOrEqual(limit)
          seen.push(...page.comments.map((c: { id: string }) => c.id))
          cursor = page.nextCursor
          pages++
        } while (cursor && pages < 100)
        return { seen, pages }
      }

      it('pages newest first with no duplicate and no gap', async () => {
        const { seen, pages } = await walk('newest', 10)
        const published = await t.db
          .selectFrom('comments')
          .select('id')
          .where('article_id', '=', articleId)
          .where('status', '=', 'approved')
          .where('parent_id', 'is', null)
          .orderBy('id', 'desc')
          .execute()
        expect(seen).toEqual(published.map((r) => r.id))
        expect(new Set(seen).size).toBe(seen.length)
        expect(pages).toBe(Math.ceil(published.length / 10))
        for (const id of ids) expect(seen).toContain(id)
      })

      it('pages oldest first in the opposite order', async () => {
        const newest = (await walk('newest', 7)).seen
        const oldest = (await walk('oldest', 7)).seen
        expect(oldest).toEqual([...newest].reverse())
      })

      it('defaults to 20 per page and caps at 100', async () => {
        const page = await (await t.json('GET', `/api/v1/articles/${articleId}/comments`)).json()
        expect(page.comments).toHaveLength(20)
        expect(page.nextCursor).toBe(page.comments[19].id)
        // More than a hundred top-level comments, so the cap is what stops the page.
        await seedArticle(t.db, 'capped-article', 130, 0)
        const capped = await (await t.json('GET', '/api/v1/articles/capped-article/comments?limit=100')).json()
        expect(capped.comments).toHaveLength(100)
        expect(capped.nextCursor).toBe(capped.comments[99].id)
        const over = await t.json('GET', '/api/v1/articles/capped-article/comments?limit=101')
        expect(over.status).toBe(422)
        expect((await over.json()).error.fields).toHaveProperty('limit')
      })

      it('nests approved replies under their thread, oldest first, with parentId', async () => {
        const threadArticle = 'thread-article'
        await t.postComment(threadArticle, aComment())
        await approveAll(threadArticle)
        const root = (await (await t.postComment(threadArticle, aComment({ body: 'root' }))).json()).comment
        const r1 = (await (await t.postComment(threadArticle, aComment({ body: 'reply 1', parentId: root.id }))).json()).comment
        const r2 = (await (await t.postComment(threadArticle, aComment({ body: 'reply to reply', parentId: r1.id }))).json()).comment
        // a held reply stays out of the public thread
        await t.db.updateTable('articles').set({ moderation_mode: 'pre' }).where('id', '=', threadArticle).execute()
        const held = await t.postComment(threadArticle, aComment({ body: 'held reply', parentId: root.id }))
        expect(held.status).toBe(202)

        const page = await (await t.json('GET', `/api/v1/articles/${threadArticle}/comments`)).json()
        const thread = page.comments.find((c: { id: string }) => c.id === root.id)
        expect(thread.replies.map((r: { body: string; parentId: string }) => [r.body, r.parentId])).toEqual([
          ['reply 1', root.id],
          ['reply to reply', r1.id],
        ])
        expect(page.comments.some((c: { id: string }) => c.id === r1.id || c.id === r2.id)).toBe(false)
        expect(page.article.commentCount).toBe(3) // root and two replies; the first post and the held reply wait
      })

      it('refuses a reply to a comment of another article or one not yet published', async () => {
        const other = (await (await t.postComment('other-article', aComment())).json()).comment
        const pendingParent = await t.postComment(articleId, aComment({ parentId: other.id }))
        expect(pendingParent.status).toBe(422)
        const published = (await (await t.json('GET', `/api/v1/articles/${articleId}/comments?limit=1`)).json()).comments[0]
        const crossArticle = await t.postComment('other-article', aComment({ parentId: published.id }))
        expect(crossArticle.status).toBe(422)
        expect((await crossArticle.json()).error.fields.parentId).toBeTruthy()
      })

      it('answers an unknown article with an empty, open thread', async () => {
        const res = await t.json('GET', '/api/v1/articles/never-seen/comments')
        expect(res.status).toBe(200)
        expect(await res.json()).toMatchObject({
          article: { id: 'never-seen', commentsOpen: true, commentCount: 0 },
          comments: [],
          nextCursor: null,
        })
      })

      it('tells a writer where their own comments stand, by receipt, without caching (issue 10, finding 14)', async () => {
        const heldAnswer = await (await t.postComment('status-article', aComment({ body: 'Held for now' }))).json()
        await approveAll('status-article')
        const publishedAnswer = await (await t.postComment('status-article', aComment({ body: 'Out at once' }))).json()
        const held = heldAnswer.comment
        const published = publishedAnswer.comment
        expect(heldAnswer.receipt).toMatch(/^[A-Za-z0-9_-]{16}$/)
        await t.db
          .updateTable('comments')
          .set({ status: 'rejected', reject_reason: 'off_topic: please stay on the convoy' })
          .where('id', '=', held.id)
          .execute()
        const res = await t.json(
          'GET',
          `/api/v1/comments/status?ids=${held.id}.${heldAnswer.receipt},${published.id}.${publishedAnswer.receipt},${'0'.repeat(26)}`,
        )
        expect(res.headers.get('cache-control')).toBe('no-store')
        // A turned-down comment's reason goes to its writer as a code; the moderator's note does not (issue 14).
        expect(await res.json()).toEqual({
          statuses: { [held.id]: 'rejected', [published.id]: 'approved' },
          reasons: { [held.id]: 'off_topic' },
        })
        // Without its receipt, or with another comment's, an id tells nothing.
        const stranger = await t.json('GET', `/api/v1/comments/status?ids=${held.id},${published.id}.${heldAnswer.receipt}`)
        expect(await stranger.json()).toEqual({ statuses: {}, reasons: {} })
        expect((await t.json('GET', '/api/v1/comments/status?ids=nope')).status).toBe(422)
      })

      it('counts approved comments for several articles in one request', async () => {
        const res = await t.json('GET', `/api/v1/counts?articles=${articleId},never-seen,post-article`)
        expect(await res.json()).toEqual({ counts: { [articleId]: 45, 'never-seen': 0, 'post-article': 1 } })
        expect((await t.json('GET', '/api/v1/counts')).status).toBe(422)
        expect((await t.json('GET', `/api/v1/counts?articles=${Array.from({ length: 101 }, (_, i) => `a${i}`).join(',')}`)).status).toBe(
          422,
        )
        const proto = await (await t.json('GET', '/api/v1/counts?articles=__proto__,constructor')).json()
        expect(proto).toEqual({ counts: { ['__proto__']: 0, constructor: 0 } })
      })
    })

    describe('closed articles', () => {
      it('answers 403 to a post on a closed article and says so in the list', async () => {
        await t.postComment('closed-article', aComment())
        await t.db.updateTable('articles').set({ comments_open: false }).where('id', '=', 'closed-article').execute()
        const res = await t.postComment('closed-article', aComment())
        expect(res.status).toBe(403)
        expect((await res.json()).error.code).toBe('comments_closed')
        const list = await (await t.json('GET', '/api/v1/articles/closed-article/comments')).json()
        expect(list.article.commentsOpen).toBe(false)
      })

      it('closes articles older than closeAfterDays', async () => {
        await t.postComment('old-article', aComment())
        await t.db
          .updateTable('articles')
          .set({ created_at: new Date(Date.now() - 40 * 86_400_000) } as never)
          .where('id', '=', 'old-article')
          .execute()
        await t.settings({ closeAfterDays: 30 })
        try {
          expect((await t.postComment('old-article', aComment())).status).toBe(403)
        } finally {
          await t.settings({ closeAfterDays: null })
        }
      })
    })

    describe('idempotency and concurrency', () => {
      it('answers the same idempotencyKey with the same comment and status', async () => {
        const body = aComment({ idempotencyKey: 'retry-key-0001' })
        const first = await t.postComment('idem', body)
        const second = await t.postComment('idem', body)
        expect(second.status).toBe(first.status)
        expect(await second.json()).toEqual(await first.json())
        const rows = await t.db.selectFrom('comments').select('id').where('idempotency_key', '=', 'retry-key-0001').execute()
        expect(rows).toHaveLength(1)
      })

      it('stores 50 parallel posts exactly once each', async () => {
        const bodies = Array.from({ length: 50 }, (_, i) => aComment({ body: `parallel ${i}`, idempotencyKey: `parallel-${i}-key` }))
        const responses = await Promise.all(bodies.map((b) => t.postComment('parallel', b)))
        expect(responses.map((r) => r.status)).toEqual(Array(50).fill(202))
        const ids = await Promise.all(responses.map(async (r) => (await r.json()).comment.id))
        expect(new Set(ids).size).toBe(50)
        const rows = await t.db.selectFrom('comments').select('body').where('article_id', '=', 'parallel').execute()
        expect(rows.map((r) => r.body).sort()).toEqual(bodies.map((b) => b.body as string).sort())
      })

      it('stores one comment when the same key arrives 10 times at once', async () => {
        const body = aComment({ idempotencyKey: 'same-key-at-once' })
        const responses = await Promise.all(Array.from({ length: 10 }, () => t.postComment('same-key', body)))
        const ids = await Promise.all(responses.map(async (r) => (await r.json()).comment.id))
        expect(new Set(ids).size).toBe(1)
        const rows = await t.db.selectFrom('comments').select('id').where('article_id', '=', 'same-key').execute()
        expect(rows).toHaveLength(1)
      })
    })

    describe('privacy', () => {
      it('never returns the email or IP hash in public responses', async () => {
        const email = 'private.person@example.org'
        const ip = '198.51.100.23'
        await t.postComment('privacy', aComment({ email }), ip)
        await approveAll('privacy')
        const posted = await t.postComment('privacy', aComment({ email, body: 'second' }), ip)
        const ipHash = (await t.db.selectFrom('comments').select('ip_hash').where('article_id', '=', 'privacy').executeTakeFirstOrThrow())
          .ip_hash
        expect(ipHash).toMatch(/^[0-9a-f]{32}$/)
        const bodies = [
          await posted.text(),
          await (await t.json('GET', '/api/v1/articles/privacy/comments')).text(),
          await (await t.json('GET', '/api/v1/counts?articles=privacy')).text(),
        ]
        for (const text of bodies) {
          expect(text).not.toContain(email)
          expect(text).not.toContain(ip)
          expect(text).not.toContain(ipHash)
          expect(text).not.toContain('ip_hash')
          expect(text).not.toContain('email')
        }
        const stored = await t.db.selectFrom('comments').select('ip_hash').where('article_id', '=', 'privacy').execute()
        for (const row of stored) expect(row.ip_hash).not.toContain(ip)
      })
    })

    describe('no-JS form post', () => {
      const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
        t.app.request('/api/v1/articles/form-article/comments', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.50', ...headers },
          body: new URLSearchParams(fields).toString(),
        })

      it('answers 303 back to the article with the outcome in the fragment', async () => {
        const res = await form({
          name: 'Form Reader',
          email: 'form@example.org',
          body: 'Posted without JavaScript',
          articleUrl: `${PUBLISHER_ORIGIN}/2020/idlib`,
        })
        expect(res.status).toBe(303)
        const location = new URL(res.headers.get('location')!)
        expect(`${location.origin}${location.pathname}`).toBe(`${PUBLISHER_ORIGIN}/2020/idlib`)
        const fragment = new URLSearchParams(location.hash.replace(/^#comments-/, ''))
        expect(fragment.get('result')).toBe('pending')
        expect(fragment.get('id')).toMatch(/^[0-9a-z]{26}$/)
      })

      it('reports field errors in the fragment', async () => {
        const res = await form({ name: '', email: 'x', body: 'hi' }, { referer: `${PUBLISHER_ORIGIN}/2020/idlib?x=1` })
        expect(res.status).toBe(303)
        const location = new URL(res.headers.get('location')!)
        const fragment = new URLSearchParams(location.hash.replace(/^#comments-/, ''))
        expect(fragment.get('result')).toBe('invalid')
        expect(fragment.get('fields')?.split(',').sort()).toEqual(['email', 'name'])
      })

      it('answers a browser with a page that says what happened, in the article’s language (issue 14, bug 2)', async () => {
        const asBrowser = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }
        const ok = await form(
          {
            name: 'Page Reader',
            email: 'page@example.org',
            body: 'Posted from a page without scripts.',
            articleUrl: `${PUBLISHER_ORIGIN}/2020/idlib`,
          },
          asBrowser,
        )
        expect([201, 202]).toContain(ok.status)
        expect(ok.headers.get('content-type')).toContain('text/html')
        const page = await ok.text()
        expect(page).toMatch(/Your comment is published|awaits moderation/)
        expect(page).toContain(`href="${PUBLISHER_ORIGIN}/2020/idlib"`)

        const bad = await form({ name: '', email: 'not-an-email', body: 'Kept <b>as typed</b>', lang: 'ar' }, asBrowser)
        expect(bad.status).toBe(422)
        const again = await bad.text()
        expect(again).toContain('lang="ar"')
        expect(again).toContain('يرجى تصحيح الحقول')
        expect(again).toContain('Kept &lt;b&gt;as typed&lt;/b&gt;') // kept, and never markup
        expect(again).toContain('value="not-an-email"')
        expect(again).toMatch(/name="email"[\s\S]*role="alert"/)
      })

      it('never redirects to an origin that is not a publisher', async () => {
        const res = await form(
          { name: 'A', email: 'a@example.org', body: 'x', articleUrl: 'https://evil.example/phish' },
          { referer: 'https://evil.example/phish' },
        )
        // The article already has a publisher URL from the first post, so the redirect goes there.
        expect(res.status).toBe(303)
        expect(res.headers.get('location')!.startsWith(`${PUBLISHER_ORIGIN}/`)).toBe(true)
        const fresh = await t.app.request('/api/v1/articles/form-evil/comments', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', referer: 'https://evil.example/' },
          body: new URLSearchParams({ name: 'A', email: 'b@example.org', body: 'y', articleUrl: 'https://evil.example/p' }).toString(),
        })
        expect(fresh.status).toBe(200)
        expect(fresh.headers.get('location')).toBeNull()
      })
    })

    describe('reports', () => {
      it('accepts a report on a published comment with 202, and 404 otherwise', async () => {
        await t.postComment('report-article', aComment())
        await approveAll('report-article')
        const { comment } = await (await t.postComment('report-article', aComment())).json()
        const res = await t.json('POST', `/api/v1/comments/${comment.id}/reports`, { reason: 'abuse', note: 'insulting' })
        expect(res.status).toBe(202)
        expect((await t.json('POST', '/api/v1/comments/01m89ddvxfeb1b2zdpbv420b6e/reports', { reason: 'spam' })).status).toBe(404)
        const bad = await t.json('POST', `/api/v1/comments/${comment.id}/reports`, { reason: 'boring' })
        expect(bad.status).toBe(422)
        expect((await bad.json()).error.fields.reason).toBeTruthy()
      })

      it('holds a published comment once reportThreshold readers report it', async () => {
        await t.postComment('report-hold', aComment())
        await approveAll('report-hold')
        const { comment } = await (await t.postComment('report-hold', aComment())).json()
        const report = (ip: string) => t.json('POST', `/api/v1/comments/${comment.id}/reports`, { reason: 'abuse' }, { ip })
        await report('10.0.0.1')
        await report('10.0.0.1') // the same reader twice counts once
        await report('10.0.0.2')
        let row = await t.db
          .selectFrom('comments')
          .select(['status', 'open_reports'])
          .where('id', '=', comment.id)
          .executeTakeFirstOrThrow()
        expect(row).toEqual({ status: 'approved', open_reports: 2 })
        await report('10.0.0.3')
        row = await t.db.selectFrom('comments').select(['status', 'open_reports']).where('id', '=', comment.id).executeTakeFirstOrThrow()
        expect(row).toEqual({ status: 'pending', open_reports: 3 })
        const list = await (await t.json('GET', '/api/v1/articles/report-hold/comments')).json()
        expect(list.comments.map((c: { id: string }) => c.id)).not.toContain(comment.id)
      })
    })

    describe('edges', () => {
      it('answers unknown routes with a JSON 404', async () => {
        const res = await t.json('GET', '/api/v1/nothing-here')
        expect(res.status).toBe(404)
        expect((await res.json()).error.code).toBe('not_found')
      })

      it('reports health once the database answers', async () => {
        const res = await t.json('GET', '/health')
        expect(res.status).toBe(200)
        expect(await res.json()).toEqual({ ok: true })
      })

      it('sends the security headers on answers and on errors alike', async () => {
        for (const res of [
          await t.json('GET', '/api/v1/counts?articles=a'),
          await t.json('GET', '/nowhere'),
          await t.postComment('h', { name: '' }),
        ]) {
          expect(res.headers.get('x-content-type-options')).toBe('nosniff')
          expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
          expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
          expect(res.headers.get('strict-transport-security')).toContain('max-age=')
        }
      })

      it('allows CORS for publisher origins only', async () => {
        const allowed = await t.json('GET', '/api/v1/counts?articles=a', undefined, { headers: { origin: PUBLISHER_ORIGIN } })
        expect(allowed.headers.get('access-control-allow-origin')).toBe(PUBLISHER_ORIGIN)
        const other = await t.json('GET', '/api/v1/counts?articles=a', undefined, { headers: { origin: 'https://elsewhere.example' } })
        expect(other.headers.get('access-control-allow-origin')).toBeNull()
        const preflight = await t.app.request('/api/v1/articles/a/comments', {
          method: 'OPTIONS',
          headers: { origin: PUBLISHER_ORIGIN, 'access-control-request-method': 'POST' },
        })
        expect(preflight.status).toBe(204)
        expect(preflight.headers.get('access-control-allow-origin')).toBe(PUBLISHER_ORIGIN)
        expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, PATCH, DELETE')
        expect(allowed.headers.get('vary')).toContain('Origin')
        const strangerPreflight = await t.app.request('/api/v1/articles/a/comments', {
          method: 'OPTIONS',
          headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
        })
        expect(strangerPreflight.headers.get('access-control-allow-origin')).toBeNull()
      })
    })
  })
}
