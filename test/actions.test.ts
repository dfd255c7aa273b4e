// One place per action: the JSON API, the workspace and its bulk form reach the same action, so they
// leave the same audit row, send the same webhook and drop the same cached page; article rules changed
// anywhere reach every replica.
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const HOOK = 'https://hooks.news.example/comments'
const webhooks = setupServer()
const received: { type: string; comment: { id: string } }[] = []
beforeAll(() => {
  webhooks.listen({ onUnhandledRequest: 'error' })
  webhooks.use(
    http.post(HOOK, async ({ request }) => {
      received.push((await request.json()) as (typeof received)[number])
      return HttpResponse.json({ ok: true })
    }),
  )
})
afterAll(() => webhooks.close())

for (const kind of dbKinds()) {
  describe(`actions on ${kind}`, () => {
    let t: TestApp
    let cookies: { admin: string; moderator: string }
    const form = (path: string, fields: Record<string, string | string[]>) => {
      const body = new URLSearchParams()
      for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v)
      return t.app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', cookie: cookies.moderator },
        body: body.toString(),
      })
    }
    const publicList = async (app: TestApp['app'], articleId: string) =>
      (await (await app.request(`/api/v1/articles/${articleId}/comments`)).json()) as {
        comments: { id: string }[]
        article: { commentsOpen: boolean }
      }

    beforeAll(async () => {
      t = await createTestApp(kind)
      await t.settings({ rateLimitPerMinute: 0, moderationMode: 'pre', webhookUrl: HOOK })
      cookies = await signInBoth(t)
    })
    afterAll(() => t?.close())

    it('approving from the API, from /moderate and in bulk leaves the same audit row, sends the same webhook and drops the same cached page', async () => {
      const paths = {
        api: (id: string) => modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/comments/${id}/approve`),
        workspace: (id: string) => form(`/moderate/comments/${id}/approve`, { back: '/moderate' }),
        bulk: (id: string) => form('/moderate/bulk', { back: '/moderate', action: 'approve', ids: [id] }),
      }
      const outcomes: Record<string, unknown> = {}
      for (const [name, approve] of Object.entries(paths)) {
        const articleId = `approve-by-${name}-${kind}`
        const { comment } = await (await t.postComment(articleId, aComment())).json()
        // Cached while empty: within the freshness window only a dropped entry shows the approval.
        expect((await publicList(t.app, articleId)).comments).toEqual([])
        const res = await approve(comment.id)
        expect(res.status).toBeLessThan(400)
        expect((await publicList(t.app, articleId)).comments.map((c) => c.id)).toEqual([comment.id])
        await expect.poll(() => received.filter((r) => r.comment.id === comment.id).map((r) => r.type)).toContain('comment.published')
        const audit = await t.db
          .selectFrom('moderation_actions')
          .select(['action', 'actor_name', 'from_status', 'to_status', 'reason'])
          .where('comment_id', '=', comment.id)
          .orderBy('id')
          .execute()
        outcomes[name] = { audit, webhooks: received.filter((r) => r.comment.id === comment.id).map((r) => r.type) }
      }
      expect(outcomes.workspace).toEqual(outcomes.api)
      expect(outcomes.bulk).toEqual(outcomes.api)
      expect(outcomes.api).toEqual({
        audit: [
          // Screening's own decision says why in the history, as a person's does (issue 14).
          {
            action: 'screened',
            actor_name: 'system',
            from_status: null,
            to_status: 'pending',
            reason: 'Pre-moderation: every comment is reviewed',
          },
          { action: 'approve', actor_name: 'mod', from_status: 'pending', to_status: 'approved', reason: null },
        ],
        webhooks: ['comment.held', 'comment.published'],
      })
    })

    it('closing an article from /moderate is seen as closed by another replica within a second, and audited', async () => {
      const articleId = `closing-${kind}`
      await t.postComment(articleId, aComment())
      const replica = t.replica()
      expect((await publicList(replica, articleId)).article.commentsOpen).toBe(true)
      const started = Date.now()
      const res = await form(`/moderate/articles/${articleId}`, { moderationMode: 'inherit' })
      expect(res.status).toBe(303)
      await expect
        .poll(async () => (await publicList(replica, articleId)).article.commentsOpen, { timeout: 1500, interval: 50 })
        .toBe(false)
      expect(Date.now() - started).toBeLessThanOrEqual(1200)
      const audit = await t.db
        .selectFrom('moderation_actions')
        .select(['action', 'actor_name', 'article_id'])
        .where('article_id', '=', articleId)
        .where('action', '=', 'article_rules')
        .execute()
      expect(audit).toEqual([{ action: 'article_rules', actor_name: 'mod', article_id: articleId }])
    })

    it('audits a change of the site rules with the names of the fields that changed, not their values', async () => {
      const res = await modRequest(t, cookies.admin, 'PUT', '/api/v1/mod/settings', {
        webhookSecret: 'a-secret-nobody-should-read',
        maxLinks: 4,
      })
      expect(res.status).toBe(200)
      const [row] = await t.db
        .selectFrom('moderation_actions')
        .select(['action', 'actor_name', 'reason'])
        .where('action', '=', 'site_rules')
        .orderBy('id', 'desc')
        .limit(1)
        .execute()
      expect(row).toEqual({ action: 'site_rules', actor_name: 'editor', reason: 'maxLinks, webhookSecret' })
    })
  })
}
