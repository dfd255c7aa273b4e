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

    it('gives /moderate one h1 naming the queue (bug 20c)', async () => {
      const page = await html('/moderate?queue=flagged')
      expect(page.match(/<h1[ >]/g)).toHaveLength(1)
      expect(page).toContain('<h1 class="page-title">Flagged</h1>')
    })
  })
}
