// Issue 22, readers without JavaScript and the demo pages: the demo's forms carry the fields the README
// asks for, every refusal comes in the reader's language, the answer page says only what is true, the
// server renders the first comments into the fallback, and no page load asks for a missing file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { takeMails } from './helpers/outbox.js'
import { PUBLISHER_ORIGIN, restoreSettingsAfterEach, type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { PUBLIC_CACHE_CONTROL } from '../src/http/shared/public-cache.js'

for (const kind of dbKinds()) {
  describe(`the no-JavaScript path and the demo pages on ${kind} (issue 22)`, () => {
    let t: TestApp
    beforeAll(async () => {
      t = await createTestApp(kind)
      await t.settings({ rateLimitPerMinute: 0, premodNewCommenters: 0, minSecondsToPost: 0, moderationMode: 'post' })
    })
    afterAll(() => t?.close())
    restoreSettingsAfterEach(() => t)

    /** The demo page's own form, filled in and sent as a browser without JavaScript sends it. */
    const sendDemoForm = async (path: string, typed: Record<string, string>, ip: string) => {
      const page = await (await t.app.request(path)).text()
      const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(page)!
      const hidden = Object.fromEntries(
        [...form[2]!.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)].map(([, name, value]) => [
          name!,
          value!.replace(/&amp;/g, '&'),
        ]),
      )
      return t.app.request(form[1]!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'x-forwarded-for': ip },
        body: new URLSearchParams({ ...hidden, ...typed }).toString(),
      })
    }

    it('gives the demo’s forms the language and article address, and answers every refusal in Arabic (bug 5)', async () => {
      const page = await (await t.app.request('http://localhost/demo/ar')).text()
      expect(page).toContain('<input type="hidden" name="lang" value="ar"/>')
      expect(page).toContain('<input type="hidden" name="articleUrl" value="http://localhost/demo/ar"/>')

      // A field left empty: the answer names it in Arabic, not in the schema's English.
      const invalid = await sendDemoForm('/demo/ar', { name: '', email: 'form-ar@example.org', body: 'تعليق من دون اسم.' }, '192.0.2.81')
      expect(invalid.status).toBe(422)
      const invalidPage = await invalid.text()
      expect(invalidPage).toContain('lang="ar"')
      expect(invalidPage).toContain('هذا الحقل مطلوب.')
      expect(invalidPage).not.toMatch(/Name is required|Some fields/)

      // The per-minute limit, in Arabic too.
      await t.settings({ rateLimitPerMinute: 1 })
      const first = await sendDemoForm('/demo/ar', { name: 'سلمى', email: 'salma@example.org', body: 'تعليق أول.' }, '192.0.2.82')
      expect(first.status).toBeLessThan(300)
      expect(await first.text()).toContain('lang="ar"')
      const second = await sendDemoForm('/demo/ar', { name: 'سلمى', email: 'salma@example.org', body: 'تعليق ثانٍ.' }, '192.0.2.82')
      expect(second.status).toBe(429)
      const limited = await second.text()
      expect(limited).toMatch(/أنت تعلّق بسرعة كبيرة\. انتظر \d+ ثانية/)
      expect(limited).not.toMatch(/Too many|try again/)
    })

    it('tells a writer without JavaScript where their waiting comment will appear, not that only they can see it (bug 6)', async () => {
      await t.settings({ moderationMode: 'pre' })
      for (const [path, end, untrue] of [
        ['/demo', 'It will appear under the article once a moderator approves it.', 'Only you can see it'],
        ['/demo/ar', 'سيظهر تحت المقال بعد أن يوافق عليه أحد المشرفين.', 'لا يراه أحد غيرك'],
      ] as const) {
        const res = await sendDemoForm(
          path,
          { name: 'Form Reader', email: 'no-js@example.org', body: `Waiting, sent from ${path}.` },
          '192.0.2.83',
        )
        expect(res.status).toBe(202)
        const answer = await res.text()
        expect(answer).toContain(end)
        expect(answer).not.toContain(untrue)
      }
    })

    it('renders the first comments into the fallback, as text, and says what the demo does today (bugs 7 and 19)', async () => {
      await t.postComment('demo-aid-corridor', aComment({ name: 'Rami', body: 'Server-rendered <b>for readers</b> without scripts.' }))
      const page = await (await t.app.request('/demo')).text()
      const fallback = /<div data-nc-fallback=""[^>]*>([\s\S]*?)<\/div>/.exec(page)?.[1]
      expect(fallback).toContain('Server-rendered &lt;b&gt;for readers&lt;/b&gt; without scripts.')
      expect(fallback).toContain('Rami')
      expect(page).not.toContain('then reload')
      expect(page).toContain('A civil comment is published at once')
      expect(await (await t.app.request('/demo/ar')).text()).not.toContain('ثم أعد تحميل الصفحة')
    })

    it("serves an article's first comments as an HTML fragment for a publisher's page, as text, published ones only", async () => {
      const thread = await (
        await t.postComment(
          'fragment',
          aComment({ name: 'Lina <i>', email: 'lina-fragment@example.org', body: 'First <script>alert(1)</script>' }),
        )
      ).json()
      await t.postComment('fragment', aComment({ name: 'Omar', body: 'A reply, nested under it.', parentId: thread.comment.id }))
      await t.settings({ moderationMode: 'pre' })
      await t.postComment('fragment', aComment({ name: 'Waiting', body: 'Not published yet, so not in the fragment.' }))

      const res = await t.app.request('/api/v1/articles/fragment/fallback?lang=ar')
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/html/)
      expect(res.headers.get('cache-control')).toBe(PUBLIC_CACHE_CONTROL)
      const html = await res.text()
      expect(html).toMatch(/^<div data-nc-fallback="" lang="ar" dir="rtl"><h2>التعليقات حتى الآن<\/h2><ol>/)
      expect(html).toContain('First &lt;script&gt;alert(1)&lt;/script&gt;')
      expect(html).toContain('Lina &lt;i&gt;')
      expect(html).not.toMatch(/<script|<i>/)
      expect(html).toMatch(
        /First [\s\S]*<ol><li><strong dir="auto">Omar<\/strong><p dir="auto">A reply, nested under it\.<\/p><\/li><\/ol>/,
      )
      expect(html).not.toContain('Not published yet')
      expect(html).not.toContain('lina-fragment@example.org')

      // Cached and revalidated as the list is: a 304 for the same ETag, and a takedown shows at once.
      const etag = res.headers.get('etag')!
      expect((await t.app.request('/api/v1/articles/fragment/fallback?lang=ar', { headers: { 'if-none-match': etag } })).status).toBe(304)
      const { admin } = await signInBoth(t)
      expect((await modRequest(t, admin, 'POST', `/api/v1/mod/comments/${thread.comment.id}/reject`, { reason: 'abuse' })).status).toBe(200)
      const after = await t.app.request('/api/v1/articles/fragment/fallback?lang=ar', { headers: { 'if-none-match': etag } })
      expect(after.status).toBe(200)
      expect(await after.text()).not.toContain('alert(1)')

      expect(await (await t.app.request('/api/v1/articles/no-comments-yet/fallback')).text()).toBe(
        '<div data-nc-fallback="" lang="en" dir="ltr"></div>',
      )
      const wrong = await t.app.request('/api/v1/articles/fragment/fallback?lang=fr')
      expect(wrong.status).toBe(422)
      expect((await wrong.json()).error).toMatchObject({ code: 'validation_failed', fields: { lang: expect.any(String) } })
    })

    it('names the article and a site that never named itself by its address in the sign-in mail, with no isolates printed (bug 18)', async () => {
      const articleUrl = `${PUBLISHER_ORIGIN}/2026/aid-corridor`
      await t.postComment('mail-article', aComment({ articleUrl, articleTitle: 'Aid lorries wait at the border' }))
      await t.db.updateTable('articles').set({ title: 'Aid lorries wait at the border' }).where('id', '=', 'mail-article').execute()
      const res = await t.json('POST', '/api/v1/readers/verify', { email: 'mail-22@example.org', articleUrl, articleId: 'mail-article' })
      expect(res.status).toBe(202)
      const [mail] = await takeMails(t.db, 1)
      const host = new URL(PUBLISHER_ORIGIN).host
      expect(mail!.subject).toBe(`Confirm your email to comment on ${host}`)
      expect(mail!.text).toContain(`To comment on “Aid lorries wait at the border” at ${host}, confirm your email address`)
      expect(`${mail!.subject}${mail!.text}`).not.toMatch(/[\u2068\u2069]|on Comments/)
    })

    it('serves a favicon, the file every browser asks for on every page (bug 20)', async () => {
      const res = await t.app.request('/favicon.ico')
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('image/svg+xml')
      expect(await res.text()).toMatch(/^<svg /)
    })
  })
}
