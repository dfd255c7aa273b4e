import type { Context, MiddlewareHandler } from 'hono'
import { clientHas } from './headers.js'
import type { AppEnv } from './context.js'
import type { CachedResponse, PublicCache } from '../../platform/cache/cache.store.js'
import { type Subscriber, articlesChangedBy } from '../../events/events.js'

// Public reads (comment lists, counts) are served from a cache keyed by the request and checked
// against a version stamp from the database. Within FRESH_MS an entry is served without touching
// the database at all; after that one cheap version query decides whether it still holds.
// Only public data is ever stored, so a replica's cache never decides anything that matters for
// correctness: at worst it serves a page up to FRESH_MS + max-age old.

export const FRESH_MS = 1000
export const PUBLIC_CACHE_CONTROL = 'public, max-age=4, stale-while-revalidate=30'

function fnv1a(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(36)
}

/**
 * Entries are keyed by the request's path and query as sent. Only requests that passed validation are
 * ever stored, so a later request with the same text is valid too and can be answered before routing.
 */
const cacheKey = (c: Context): string => cacheKeyOf(c.req.url)

/** The path and query of an absolute URL, as sent. */
export const cacheKeyOf = (url: string): string => url.slice(url.indexOf('/', url.indexOf('//') + 2))

/** Answers a fresh cached read before validation and the route: the hot path of a viral article. */
export const servePublicFromCache: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== 'GET') return next()
  const cached = await c.get('services').publicCache.get(cacheKey(c))
  if (cached && Date.now() - cached.checkedAt < FRESH_MS) return respond(c, cached)
  return next()
}

function respond(c: Context<AppEnv>, entry: CachedResponse) {
  c.header('ETag', entry.etag)
  c.header('Cache-Control', PUBLIC_CACHE_CONTROL)
  if (clientHas(c, entry.etag)) return c.body(null, 304)
  c.header('Content-Type', entry.contentType ?? 'application/json')
  return c.body(entry.body)
}

/**
 * Answers a public read from the cache when its version stamp still holds, else builds it.
 * The stamp is read before the body, so a change racing the build leaves a newer stamp behind
 * and the next request rebuilds: an entry can be early, never late.
 */
export async function cachedPublicRead(
  c: Context<AppEnv>,
  articleIds: string[],
  readStamp: () => Promise<string>,
  build: () => Promise<unknown>,
  /** `html`: `build` gives markup, answered as it is (the no-JavaScript fragment). */
  format: 'json' | 'html' = 'json',
): Promise<Response> {
  const cache = c.get('services').publicCache
  const key = cacheKey(c)
  const now = Date.now()
  const cached = await cache.get(key)
  if (cached && now - cached.checkedAt < FRESH_MS) return respond(c, cached)
  const stamp = await readStamp()
  if (cached && cached.stamp === stamp) {
    const entry = { ...cached, checkedAt: now }
    c.get('services').defer(c, cache.set(key, entry, articleIds))
    return respond(c, entry)
  }
  const built = await build()
  const entry: CachedResponse = {
    stamp,
    etag: `"${fnv1a(stamp)}-${fnv1a(key)}"`,
    body: format === 'html' ? String(built) : JSON.stringify(built),
    checkedAt: now,
    ...(format === 'html' ? { contentType: 'text/html; charset=UTF-8' } : {}),
  }
  c.get('services').defer(c, cache.set(key, entry, articleIds))
  return respond(c, entry)
}

/**
 * The public cache drops, on this replica and at once, the articles an event changed; other replicas
 * see the new article version within a second.
 */
export const publicCacheSubscriber =
  (cache: PublicCache): Subscriber =>
  (event) => {
    const articles = articlesChangedBy(event)
    if (articles === null) cache.forget(null)
    else for (const articleId of articles) cache.forget(articleId)
    return undefined
  }
