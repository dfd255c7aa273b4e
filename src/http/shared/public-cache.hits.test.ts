import { describe, expect, it } from 'vitest'
import { memoryCache } from '../../platform/cache/cache.store.js'
import type { Services } from './context.js'
import { type CachedHitObserver, cachedHits } from './public-cache.hits.js'

const servicesWith = (publicCache: Services['publicCache']) =>
  ({ publicCache, config: { publicOrigins: ['https://news.example'] } }) as unknown as Services

describe('cachedHits', () => {
  it('answers fresh entries, tells the observer, and leaves everything else to the router', async () => {
    const cache = memoryCache()
    const seen: Parameters<CachedHitObserver>[0][] = []
    const hits = cachedHits(servicesWith(cache), (hit) => seen.push(hit))!
    const entry = { stamp: 's', etag: '"e"', body: '{"counts":{"a":1}}', checkedAt: Date.now() }
    await cache.set('/api/v1/counts?articles=a', entry, ['a'])
    await cache.set('/api/v1/articles/a/comments', entry, ['a'])
    await cache.set('/api/v1/articles/old/comments', { ...entry, checkedAt: 0 }, ['old'])

    const ok = hits(new Request('http://localhost/api/v1/counts?articles=a', { headers: { origin: 'https://news.example' } }), undefined)!
    expect(ok.status).toBe(200)
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://news.example')
    expect(await ok.text()).toBe(entry.body)
    const incoming = { headers: { 'if-none-match': '"e"' } }
    expect(hits(new Request('http://localhost/api/v1/articles/a/comments'), { incoming })!.status).toBe(304)
    expect(seen).toEqual([
      { method: 'GET', route: '/api/v1/counts', status: 200, seconds: expect.any(Number) },
      { method: 'GET', route: '/api/v1/articles/:articleId/comments', status: 304, seconds: expect.any(Number) },
    ])

    expect(hits(new Request('http://localhost/api/v1/articles/old/comments'), undefined)).toBeUndefined()
    expect(hits(new Request('http://localhost/api/v1/articles/b/comments'), undefined)).toBeUndefined()
    expect(hits(new Request('http://localhost/api/v1/counts?articles=a', { method: 'POST' }), undefined)).toBeUndefined()
    expect(seen).toHaveLength(2)
  })

  it('is absent where the cache has no synchronous look-up (Workers)', () => {
    const { peek: _, ...asynchronous } = memoryCache()
    expect(cachedHits(servicesWith(asynchronous), undefined)).toBeUndefined()
  })
})
