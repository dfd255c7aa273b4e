// The workspace's pages as a moderator reads them (issue 22): articles named by their titles, headings,
// actions where results are listed, the overview's reasons, and readers' words kept apart in Arabic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PUBLISHER_ORIGIN, type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { signInBoth } from './helpers/moderators.js'
import { dbKinds } from './helpers/test-db.js'

for (const kind of dbKinds()) {
  describe(`the workspace's pages on ${kind}`, () => {
    let t: TestApp
    let cookie: string
    const html = async (path: string) => {
      const res = await t.app.request(path, { headers: { cookie } })
      expect(res.status, path).toBe(200)
      return res.text()
    }

    beforeAll(async () => {
      t = await createTestApp(kind)
      await t.settings({ rateLimitPerMinute: 0, moderationMode: 'pre' })
      cookie = (await signInBoth(t)).moderator
    })
    afterAll(() => t?.close())

    it('fills an article’s title from the first post that carries it, and shows it instead of the id (bug 12)', async () => {
      // The first post names no page (a form without the hidden fields): the article has no title yet.
      await t.postComment('demo-aid-corridor', aComment({ body: 'First, from a plain form.' }))
      expect(
        (await t.db.selectFrom('articles').select('title').where('id', '=', 'demo-aid-corridor').executeTakeFirstOrThrow()).title,
      ).toBe(null)
      // The widget posts data-article-title (else the page's title) and the page's address.
      const page = { articleTitle: 'Aid corridor opens in the north', articleUrl: `${PUBLISHER_ORIGIN}/2026/aid-corridor` }
      await t.postComment('demo-aid-corridor', aComment({ body: 'Second, from the widget.', ...page }))
      // A later post does not rename it; a stranger's page could not either.
      await t.postComment('demo-aid-corridor', aComment({ body: 'Third.', articleTitle: 'Renamed', articleUrl: page.articleUrl }))
      await t.postComment('elsewhere', aComment({ articleTitle: 'A stranger’s title', articleUrl: 'https://evil.example/x' }))
      const rows = await t.db
        .selectFrom('articles')
        .select(['id', 'title', 'url'])
        .where('id', 'in', ['demo-aid-corridor', 'elsewhere'])
        .execute()
      expect(rows.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
        { id: 'demo-aid-corridor', title: 'Aid corridor opens in the north', url: page.articleUrl },
        { id: 'elsewhere', title: null, url: null },
      ])
      const queue = await html('/moderate?queue=pending&articleId=demo-aid-corridor')
      expect(queue).toMatch(/<h1 class="page-title">Pending · <bdi>Aid corridor opens in the north<\/bdi><\/h1>/)
      expect(queue).toContain('Showing the article <strong dir="auto">Aid corridor opens in the north</strong> only.')
      expect(queue).toContain('>Aid corridor opens in the north</a>')
      expect(await html('/moderate/articles')).toContain('Aid corridor opens in the north')
      expect(await html('/moderate/overview')).toContain('Aid corridor opens in the north')
    })

    it('offers decisions and the commenter’s page in search results and on the history page (bug 15)', async () => {
      const { comment } = await (await t.postComment('searched', aComment({ body: 'Remarkable bravery of the rescuers.' }))).json()
      const commenter = (await t.db.selectFrom('comments').select('commenter_id').where('id', '=', comment.id).executeTakeFirstOrThrow())
        .commenter_id
      const results = await html('/moderate/search?q=rescuers')
      const history = await html(`/moderate/comments/${comment.id}`)
      for (const page of [results, history]) {
        expect(page).toContain(`action="/moderate/comments/${comment.id}/approve"`)
        expect(page).toContain(`action="/moderate/comments/${comment.id}/reject"`)
        expect(page).toContain(`href="/moderate/commenters/${commenter}"`)
      }
      // A decision from the results comes back to them, saying what was done.
      const back = results.match(/name="back" value="([^"]+)"/)![1]!.replaceAll('&amp;', '&')
      expect(back).toBe(`/moderate/search?q=rescuers#c-${comment.id}`)
      const res = await t.app.request(`/moderate/comments/${comment.id}/approve`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', cookie },
        body: new URLSearchParams({ back, expect: 'pending' }).toString(),
      })
      expect(res.headers.get('location')).toBe(`/moderate/search?q=rescuers&notice=approved&c=${comment.id}#c-${comment.id}`)
      const after = await html(res.headers.get('location')!)
      expect(after).toContain('<p class="notice" role="status">Approved.</p>')
      expect(after).toContain(`action="/moderate/comments/${comment.id}/feature"`)
    })

    it('sets each Arabic word of a reason chip apart, so quotes and words keep their places (bug 10)', async () => {
      await t.settings({ suspectWords: ['كلب'] })
      try {
        const { comment } = await (await t.postComment('arabic-chips', aComment({ body: 'أنت كلب ولا تفهم شيئا عن القافلة' }))).json()
        const queue = await html('/moderate?queue=pending&articleId=arabic-chips')
        const chips = queue.slice(queue.indexOf(`id="c-${comment.id}"`))
        expect(chips).toContain('“<bdi>كلب</bdi>”')
        // No reader's word stands bare between quotes in a chip.
        expect(chips.match(/<ul class="reasons"[\s\S]*?<\/ul>/)![0]).not.toMatch(/[“"][^<“”"]*[\u0600-\u06ff][^<“”"]*[”"]/)
      } finally {
        await t.settings({ suspectWords: [] })
      }
    })

    it('names every screening rejection on the overview, whole: no “Screening: unknown” (bug 11)', async () => {
      await t.settings({ bannedWords: ['scumbag'] })
      try {
        const { comment } = await (
          await t.postComment('overview-reasons', aComment({ body: 'A first remark.', email: 'shadow@example.org' }))
        ).json()
        const commenter = (await t.db.selectFrom('comments').select('commenter_id').where('id', '=', comment.id).executeTakeFirstOrThrow())
          .commenter_id
        const shadow = await t.app.request(`/moderate/commenters/${commenter}/shadow-ban`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', cookie },
          body: new URLSearchParams({ reason: 'Same bait everywhere' }).toString(),
        })
        expect(shadow.status).toBe(303)
        await t.postComment('overview-reasons', aComment({ body: 'More bait.', email: 'shadow@example.org' }))
        await t.postComment('overview-reasons', aComment({ body: 'What a scumbag' }))
        const overview = await html('/moderate/overview')
        expect(overview).not.toContain('unknown')
        expect(overview).toContain('>Shadow-banned writer</text>')
        expect(overview).toContain('>Screening: banned word</text>')
      } finally {
        await t.settings({ bannedWords: [] })
      }
    })

    it('gives /moderate one h1 naming the queue (bug 20c)', async () => {
      const page = await html('/moderate?queue=flagged')
      expect(page.match(/<h1[ >]/g)).toHaveLength(1)
      expect(page).toContain('<h1 class="page-title">Flagged</h1>')
    })
  })
}
