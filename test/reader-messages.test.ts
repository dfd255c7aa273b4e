// Issue 14: what a reader reads about their own comment (why it waits, which rule refused it, in the
// article's language), links in comments, and editors' picks leading their threads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInBoth, modRequest } from './helpers/moderators.js'
import { type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const ABUSE = 'Only a pathetic clown would write this garbage, you liar'

for (const kind of dbKinds()) {
  describe(`reader messages, links and picks on ${kind}`, () => {
    let t: TestApp
    let moderator: string
    beforeAll(async () => {
      t = await createTestApp(kind)
      await t.settings({ rateLimitPerMinute: 0, premodNewCommenters: 0, moderationMode: 'post', bannedWords: ['scumbag'] })
      moderator = (await signInBoth(t)).moderator
    })
    afterAll(() => t?.close())

    const post = async (articleId: string, fields: Record<string, unknown> = {}) => {
      const res = await t.postComment(articleId, aComment(fields))
      return { status: res.status, body: (await res.json()) as any }
    }
    const list = async (articleId: string, query = '') =>
      (await (await t.json('GET', `/api/v1/articles/${articleId}/comments${query}`)).json()) as any

    describe('why a comment waits', () => {
      it('names pre-moderation, a new commenter, a link or an automatic check, in English and in Arabic, without a score', async () => {
        await t.settings({ moderationMode: 'pre' })
        let answer = await post('why-pre')
        expect(answer.status).toBe(202)
        expect(answer.body.notice).toBe(
          'Your comment awaits moderation: on this article a moderator reads every comment before it appears. Only you can see it until then.',
        )
        answer = await post('why-pre', { lang: 'ar' })
        expect(answer.body.notice).toMatch(/^تعليقك بانتظار المراجعة: في هذا المقال يقرأ مشرف كل تعليق/)

        await t.settings({ moderationMode: 'post', premodNewCommenters: 2 })
        expect((await post('why-new')).body.notice).toMatch(/the first comments of each new commenter/)

        await t.settings({ premodNewCommenters: 0, holdLinks: true })
        expect(
          (await post('why-links', { body: 'The ministry’s statement is at https://example.org/statement today.' })).body.notice,
        ).toMatch(/comments with links/)
        await t.settings({ holdLinks: false })

        answer = await post('why-review', { body: ABUSE })
        expect(answer.status).toBe(202)
        expect(answer.body.notice).toMatch(/our automatic check asked a moderator/)
        expect(answer.body.notice).not.toMatch(/\d/) // no score, no threshold
        // A published comment needs no explanation.
        const published = await post('why-review')
        expect(published.status).toBe(201)
        expect(published.body.notice).toBeUndefined()
      })

      it('tells the no-JavaScript writer the same reason on its answer page', async () => {
        await t.settings({ moderationMode: 'pre' })
        try {
          const res = await t.app.request('/api/v1/articles/why-form/comments', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'x-forwarded-for': '192.0.2.61' },
            body: new URLSearchParams({
              name: 'Form Reader',
              email: 'why-form@example.org',
              body: 'Posted without JavaScript, in Arabic.',
              lang: 'ar',
            }).toString(),
          })
          expect(res.status).toBe(202)
          expect(await res.text()).toContain('في هذا المقال يقرأ مشرف كل تعليق قبل ظهوره')
        } finally {
          await t.settings({ moderationMode: 'post' })
        }
      })
    })

    describe('why a comment was refused', () => {
      it('names the rule in plain words and in the article’s language, never the word that matched', async () => {
        let answer = await post('refused', { body: 'The minister is a scumbag and everyone knows it.' })
        expect(answer.status).toBe(422)
        expect(answer.body.error).toMatchObject({
          code: 'rejected_content',
          message: 'Your comment uses language this site does not publish. Please rephrase it.',
        })
        expect(answer.body.error.fields.body).toBe(answer.body.error.message)
        expect(answer.body.error.message).not.toContain('scumbag')
        answer = await post('refused', { body: 'The minister is a scumbag and everyone knows it.', lang: 'ar' })
        expect(answer.body.error.message).toBe('يحتوي تعليقك على ألفاظ لا ينشرها هذا الموقع. يرجى إعادة صياغته.')

        await t.settings({ modelRejectThreshold: 0.5 })
        try {
          answer = await post('refused', { body: ABUSE })
          expect(answer.status).toBe(422)
          expect(answer.body.error.message).toBe('Your comment reads as abusive, which this site does not publish. Please rephrase it.')
        } finally {
          await t.settings({ modelRejectThreshold: null })
        }
      })

      it('says a thread is closed, a duplicate and a ban in the article’s language', async () => {
        const first = aComment({ lang: 'ar' })
        expect((await t.postComment('closing', first)).status).toBe(201)
        const again = await t.postComment('closing', { ...first, idempotencyKey: undefined })
        expect(((await again.json()) as any).error).toMatchObject({ code: 'duplicate_comment', message: 'لقد نشرت هذا التعليق من قبل.' })
        await t.db.updateTable('articles').set({ comments_open: false }).where('id', '=', 'closing').execute()
        const closed = await post('closing', { lang: 'ar' })
        expect(closed.status).toBe(403)
        expect(closed.body.error).toMatchObject({ code: 'comments_closed', message: 'التعليقات على هذا المقال مغلقة.' })
        expect((await post('closing')).body.error.message).toBe('Comments on this article are closed.')
      })
    })

    describe('links', () => {
      it('marks the web addresses in a comment, and only those, for readers’ screens to link', async () => {
        const body =
          'Two sources:\nhttps://example.org/report?id=7 and www.bbc.co.uk/news.\nNot links: file.txt, Mr.Smith, javascript:alert(1).'
        const answer = await post('links', { body })
        expect(answer.status).toBe(201)
        const [comment] = (await list('links')).comments
        expect(comment.body).toBe(body)
        expect(comment.links).toEqual([
          { start: body.indexOf('https://'), end: body.indexOf(' and'), href: 'https://example.org/report?id=7' },
          { start: body.indexOf('www.'), end: body.indexOf('.\nNot'), href: 'http://www.bbc.co.uk/news' },
        ])
        expect(answer.body.comment.links).toEqual(comment.links)
        expect((await post('links', { body: 'No address in this one, only words.' })).body.comment.links).toBeUndefined()
      })
    })

    describe('editors’ picks', () => {
      it('leads the first page with picked threads and each thread with its picked replies, and leaves them off later pages', async () => {
        const ids: string[] = []
        for (let i = 0; i < 5; i++) ids.push((await post('picks')).body.comment.id)
        const replies: string[] = []
        for (let i = 0; i < 3; i++) replies.push((await post('picks', { parentId: ids[4] })).body.comment.id)
        const feature = (id: string) => modRequest(t, moderator, 'POST', `/api/v1/mod/comments/${id}/feature`)
        expect((await feature(ids[1]!)).status).toBe(200)
        await feature(replies[2]!)

        let page = await list('picks', '?limit=2')
        expect(page.article.picks).toBe(2)
        // Newest first, but the pick leads; then the newest two others.
        expect(page.comments.map((c: any) => c.id)).toEqual([ids[1], ids[4], ids[3]])
        expect(page.comments[1].replies.map((c: any) => c.id)).toEqual([replies[2], replies[0], replies[1]])
        const rest: string[] = []
        while (page.nextCursor) {
          page = await list('picks', `?limit=2&cursor=${page.nextCursor}`)
          rest.push(...page.comments.map((c: any) => c.id))
        }
        expect(rest).toEqual([ids[2], ids[0]])
        // Oldest first, the pick still leads.
        expect((await list('picks', '?sort=oldest&limit=2')).comments.map((c: any) => c.id)).toEqual([ids[1], ids[0], ids[2]])
        // The rest of a thread leaves out the reply already shown first.
        const more = (await (await t.json('GET', `/api/v1/comments/${ids[4]}/replies?cursor=${replies[0]}`)).json()) as any
        expect(more.replies.map((c: any) => c.id)).toEqual([replies[1]])

        const picks = await list('picks', '?view=picks')
        expect(picks.comments.map((c: any) => c.id)).toEqual([replies[2], ids[1]])
        expect(picks.comments.every((c: any) => c.featured)).toBe(true)

        // A picked reply whose thread readers can no longer see leaves the picks with it.
        await modRequest(t, moderator, 'POST', `/api/v1/mod/comments/${ids[4]}/reject`, { reason: 'off_topic' })
        expect((await list('picks', '?view=picks')).comments.map((c: any) => c.id)).toEqual([ids[1]])
        expect((await list('picks')).article.picks).toBe(1)
        await modRequest(t, moderator, 'POST', `/api/v1/mod/comments/${ids[4]}/approve`)

        await modRequest(t, moderator, 'POST', `/api/v1/mod/comments/${ids[1]}/unfeature`)
        page = await list('picks', '?limit=2')
        expect(page.article.picks).toBe(1)
        expect(page.comments.map((c: any) => c.id)).toEqual([ids[4], ids[3]])
      })

      it('refuses an unknown view', async () => {
        const res = await t.json('GET', '/api/v1/articles/picks/comments?view=favourites')
        expect(res.status).toBe(422)
        expect(((await res.json()) as any).error.fields.view).toBeTruthy()
      })
    })
  })
}
