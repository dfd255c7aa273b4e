import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWidget } from '../widget/build.js'
import { type TestApp, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

// 10 KB until readers could sign in, verify, edit, delete and leave from the widget; the issue allows 12 KB.
const SIZE_BUDGET_GZIP = 12 * 1024

describe('the widget bundle', () => {
  it(`stays within ${SIZE_BUDGET_GZIP} bytes gzipped, with its CSS and both languages inside`, async () => {
    const { code, gzipBytes } = await buildWidget()
    expect(code).toContain('التعليقات')
    expect(code).toContain('Post comment')
    expect(code).toContain(':host')
    expect(gzipBytes).toBeLessThanOrEqual(SIZE_BUDGET_GZIP)
  })

  it('never writes reader text as markup', async () => {
    const { code } = await buildWidget()
    expect(code).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/)
  })
})

describe('serving /embed.js and the demo pages', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(dbKinds()[0]!)
  })
  afterAll(() => t?.close())

  it('serves the bundle with an ETag, a cache lifetime and 304 on revalidation', async () => {
    const res = await t.app.request('/embed.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600, stale-while-revalidate=86400')
    const etag = res.headers.get('etag')!
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/)
    expect(await res.text()).toBe((await buildWidget()).code)
    const again = await t.app.request('/embed.js', { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
  })

  it('serves the content-hashed name as immutable, and 404 for a stale hash', async () => {
    const hash = (await t.app.request('/embed.js')).headers.get('etag')!.slice(1, -1)
    const pinned = await t.app.request(`/embed.${hash}.js`)
    expect(pinned.status).toBe(200)
    expect(pinned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const stale = await t.app.request(`/embed.${'0'.repeat(16)}.js`)
    expect(stale.status).toBe(404)
    expect((await stale.json()).error.code).toBe('not_found')
  })

  it('serves the demo article in English and Arabic with the old form as the no-JS fallback', async () => {
    for (const [path, lang, articleId] of [
      ['/demo', 'en', 'demo-aid-corridor'],
      ['/demo/ar', 'ar', 'demo-aid-corridor-ar'],
    ] as const) {
      const html = await (await t.app.request(path)).text()
      expect(html).toContain(`<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`)
      expect(html).toContain(`data-article-id="${articleId}"`)
      expect(html).toContain(`<form method="post" action="/api/v1/articles/${articleId}/comments">`)
      expect(html).toContain('<script src="/embed.js" async="">')
    }
  })
})
