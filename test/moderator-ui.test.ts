import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createModerator } from '../src/auth/auth.users.js'
import { sessionCookie } from './helpers/moderators.js'
import { type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

describe('the moderation workspace over HTTP', () => {
  let t: TestApp
  let cookie: string
  const form = (path: string, fields: Record<string, string>) =>
    t.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', cookie },
      body: new URLSearchParams(fields).toString(),
    })

  beforeAll(async () => {
    t = await createTestApp(dbKinds()[0]!)
    await createModerator(t.db, 'desk', 'a long enough password', 'moderator')
    cookie = ''
    cookie = sessionCookie(await form('/moderate/login', { username: 'desk', password: 'a long enough password' }))!
  })
  afterAll(() => t?.close())

  it('may not be framed by another site', async () => {
    const res = await t.app.request('/moderate/login')
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('returns after an action only to a page inside the workspace', async () => {
    const { comment } = await (await t.postComment('ui-article', aComment())).json()
    for (const [back, expected] of [
      ['/moderate?queue=flagged', '/moderate?queue=flagged&notice=Approved.'],
      ['/moderate/../..//evil.example/x', '/moderate?notice=Approved.'],
      ['//evil.example/moderate', '/moderate?notice=Approved.'],
      ['https://evil.example/moderate', '/moderate?notice=Approved.'],
      ['/moderate/\\evil.example', '/moderate//evil.example?notice=Approved.'], // a path on this host
    ]) {
      const res = await form(`/moderate/comments/${comment.id}/approve`, { back: back! })
      expect(res.status).toBe(303)
      expect(res.headers.get('location'), back).toBe(expected)
    }
  })
})
