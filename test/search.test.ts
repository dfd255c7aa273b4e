import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

interface Found {
  id: string
  body: string
  status: string
  authorName: string
  commenter: { email: string | null } | null
  article: { id: string; title: string | null }
}

for (const kind of dbKinds()) {
  describe(`moderator search on ${kind}`, () => {
    let t: TestApp
    let cookie: string
    const ids: Record<string, string> = {}
    const search = async (params: Record<string, string>) => {
      const res = await modRequest(t, cookie, 'GET', `/api/v1/mod/search?${new URLSearchParams(params)}`)
      expect(res.status, await res.clone().text()).toBe(200)
      return (await res.json()) as { items: Found[]; nextCursor: string | null }
    }
    const foundIds = async (params: Record<string, string>) => (await search(params)).items.map((i) => i.id)
    const post = async (name: string, articleId: string, fields: Record<string, unknown>) => {
      const res = await t.postComment(articleId, aComment(fields))
      expect(res.status).toBe(202)
      ids[name] = (await res.json()).comment.id
    }

    beforeAll(async () => {
      t = await createTestApp(kind)
      // Pre-moderated: everything waits, and each test moves what it needs into another queue.
      await t.settings({ rateLimitPerMinute: 0, moderationMode: 'pre' })
      cookie = (await signInBoth(t)).moderator
      await post('convoy', 'search-floods', {
        name: 'Margaret Thornbury',
        email: 'margaret.t@newsdesk.example',
        body: 'The convoy finally reached the northern villages at dawn.',
      })
      // Written with tashkeel, tatweel, hamza on the alef and taa marbuta; searched for without them.
      await post('arabic', 'search-floods', {
        name: 'خالد العمري',
        email: 'khaled@example.net',
        body: 'وَصَلَتِ القـــافلةُ إلى حَلَب صباح اليوم',
      })
      await post('cafe', 'search-budget', { name: 'Zoë Ångström', email: 'zoe.a@mail.example', body: 'Meet me at the Café on Main Street' })
      await post('approved', 'search-budget', {
        name: 'Priya Raman',
        email: 'priya@example.org',
        body: 'A convoy of trucks blocked the bridge.',
      })
      await post('rejected', 'search-budget', {
        name: 'Tom Noakes',
        email: 'tom@example.org',
        body: 'Another convoy story, another cover-up.',
      })
      await t.db.updateTable('articles').set({ title: 'Floods in the north' }).where('id', '=', 'search-floods').execute()
      await t.db.updateTable('articles').set({ title: 'The city budget' }).where('id', '=', 'search-budget').execute()
      expect((await modRequest(t, cookie, 'POST', `/api/v1/mod/comments/${ids.approved}/approve`, {})).status).toBe(200)
      expect((await modRequest(t, cookie, 'POST', `/api/v1/mod/comments/${ids.rejected}/reject`, { reason: 'spam' })).status).toBe(200)
    })
    afterAll(() => t?.close())

    it('finds comments by a word, in any queue, newest first, with status, author, email and article', async () => {
      const { items, nextCursor } = await search({ q: 'convoy' })
      expect(items.map((i) => i.id)).toEqual([ids.rejected, ids.approved, ids.convoy])
      expect(nextCursor).toBeNull()
      expect(items.map((i) => i.status)).toEqual(['rejected', 'approved', 'pending'])
      expect(items[2]).toMatchObject({
        authorName: 'Margaret Thornbury',
        commenter: { email: 'margaret.t@newsdesk.example' },
        article: { id: 'search-floods', title: 'Floods in the north' },
      })
      expect(await foundIds({ q: 'CONVOY' })).toHaveLength(3)
      // Words, not substrings: "con" is no word of theirs.
      expect(await foundIds({ q: 'con' })).toEqual([])
    })

    it('finds Arabic words whatever their diacritics, tatweel, hamza or taa marbuta', async () => {
      for (const q of ['القافلة', 'القافله', 'القـافلة', 'الى', 'إلى', 'حلب', 'حَلَب']) expect(await foundIds({ q }), q).toEqual([ids.arabic])
    })

    it('finds accented Latin words typed without accents, and phrases in order only', async () => {
      expect(await foundIds({ q: 'cafe' })).toEqual([ids.cafe])
      expect(await foundIds({ q: '"main street"' })).toEqual([ids.cafe])
      expect(await foundIds({ q: '"street main"' })).toEqual([])
    })

    it("finds by a fragment of the author's name or email", async () => {
      expect(await foundIds({ q: 'thornb' })).toEqual([ids.convoy])
      expect(await foundIds({ q: 'العمر' })).toEqual([ids.arabic])
      expect(await foundIds({ q: 'angstr' })).toEqual([ids.cafe])
      expect(await foundIds({ q: 'newsdesk.ex' })).toEqual([ids.convoy])
      expect(await foundIds({ q: 'khaled@' })).toEqual([ids.arabic])
      // LIKE's wildcards are letters like any other here.
      expect(await foundIds({ q: 'k%d' })).toEqual([])
      expect(await foundIds({ q: 'pri_a' })).toEqual([])
    })

    it('finds a comment filed under no writer (imported without an email) by its own name', async () => {
      await t.db
        .insertInto('comments')
        .values({
          id: '01kzzzzzzzzzzzzzzzzzzzzzz0',
          article_id: 'search-budget',
          author_name: 'Wilhelmina Unsigned',
          body: 'No address given',
          status: 'pending',
          screening: '{}',
        })
        .execute()
      expect(await foundIds({ q: 'wilhelm' })).toEqual(['01kzzzzzzzzzzzzzzzzzzzzzz0'])
      await t.db.deleteFrom('comments').where('id', '=', '01kzzzzzzzzzzzzzzzzzzzzzz0').execute()
    })

    it('finds by article: a fragment of its title, its id, or the articleId filter', async () => {
      expect((await foundIds({ q: 'floods' })).sort()).toEqual([ids.convoy, ids.arabic].sort())
      expect((await foundIds({ q: 'search-budget' })).sort()).toEqual([ids.cafe, ids.approved, ids.rejected].sort())
      expect(await foundIds({ articleId: 'search-floods' })).toEqual([ids.arabic, ids.convoy])
      expect(await foundIds({ q: 'convoy', articleId: 'search-budget' })).toEqual([ids.rejected, ids.approved])
    })

    it('keeps to a queue when asked', async () => {
      expect(await foundIds({ q: 'convoy', queue: 'pending' })).toEqual([ids.convoy])
      expect(await foundIds({ q: 'convoy', queue: 'approved' })).toEqual([ids.approved])
      expect(await foundIds({ q: 'convoy', queue: 'rejected' })).toEqual([ids.rejected])
      expect(await foundIds({ q: 'convoy', queue: 'featured' })).toEqual([])
    })

    it('pages with a cursor, each comment once', async () => {
      for (let i = 0; i < 5; i++) await post(`zebra${i}`, 'search-paging', { body: `The zebra crossing number ${i} is unsafe.` })
      const seen: string[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const page: { items: Found[]; nextCursor: string | null } = await search({ q: 'zebra', limit: '2', ...(cursor ? { cursor } : {}) })
        seen.push(...page.items.map((i) => i.id))
        cursor = page.nextCursor
        pages++
      } while (cursor)
      expect(pages).toBe(3)
      expect(seen).toEqual([4, 3, 2, 1, 0].map((i) => ids[`zebra${i}`]))
    })

    it('answers only signed-in moderators', async () => {
      expect((await modRequest(t, null, 'GET', '/api/v1/mod/search?q=convoy')).status).toBe(401)
      expect((await t.json('GET', '/api/v1/mod/search?q=convoy')).status).toBe(401)
    })

    it('refuses a query it cannot run, saying which field', async () => {
      for (const [params, field] of [
        ['q=a', 'q'],
        ['', 'q'],
        [`q=${'x'.repeat(201)}`, 'q'],
        ['q=convoy&queue=everything', 'queue'],
        ['q=convoy&cursor=not-a-cursor', 'cursor'],
        ['q=convoy&limit=1000', 'limit'],
      ] as const) {
        const res = await modRequest(t, cookie, 'GET', `/api/v1/mod/search?${params}`)
        expect(res.status, params).toBe(422)
        const body = await res.json()
        expect(body.error).toMatchObject({ code: 'validation_failed', message: expect.any(String) })
        expect(Object.keys(body.error.fields), params).toContain(field)
      }
    })

    it('a query of punctuation finds nothing, and fails nowhere', async () => {
      expect(await foundIds({ q: '!!!' })).toEqual([])
      expect(await foundIds({ q: '\'"&|:*' })).toEqual([])
    })

    it('never shows an email or a waiting comment on the public side', async () => {
      const res = await t.json('GET', '/api/v1/articles/search-budget/comments?limit=100')
      expect(res.status).toBe(200)
      const text = await res.text()
      expect(text).toContain(ids.approved)
      expect(text).not.toContain('priya@example.org')
      expect(text).not.toContain(ids.cafe)
      expect((await t.json('GET', '/api/v1/search?q=convoy')).status).toBe(404)
    })
  })
}
