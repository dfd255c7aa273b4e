import type { CachedResponse } from '../../platform/cache/cache.store.js'
import type { Services } from './context.js'
import { BASE_HEADERS, CORS_EXPOSED, corsAllows, listsEtag } from './headers.js'
import { FRESH_MS, PUBLIC_CACHE_CONTROL, cacheKeyOf } from './public-cache.js'

// The hot path of a viral article: a fresh cached list or count, answered before Hono builds a context, runs
// its middleware or routes. What a hit does is look the bytes up and write them with the headers the routed
// path would have sent (the security headers of every API answer, CORS, the ETag and its 304): the
// middleware in src/app.ts and servePublicFromCache do the same for everything else, and on Workers, whose
// cache cannot be read without a promise.
//
// Checked by test/read-cache.test.ts: a hit answers what the routed path answers, header for header.

/** Told, synchronously, of each request answered here; the middleware never sees these requests. */
export type CachedHitObserver = (hit: { method: 'GET'; route: string; status: 200 | 304; seconds: number }) => void

const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.fromEntries(BASE_HEADERS)
const COUNTS_ROUTE = '/api/v1/counts'
const COMMENTS_ROUTE = '/api/v1/articles/:articleId/comments'
const FALLBACK_ROUTE = '/api/v1/articles/:articleId/fallback'

/** The route pattern a cached key was stored by: the counts, or an article's list or fragment (its id is encoded, so the last segment names the route). */
const routeOf = (key: string) =>
  key.startsWith(COUNTS_ROUTE) ? COUNTS_ROUTE : key.split('?', 1)[0]!.endsWith('/fallback') ? FALLBACK_ROUTE : COMMENTS_ROUTE

/**
 * What a hit writes for an entry, prepared once: its body as bytes (no encoding per request) and, for a
 * request without an Origin (the same-origin and server-to-server ones), its whole header set.
 */
interface Prepared {
  bytes: Uint8Array<ArrayBuffer>
  ok: Readonly<Record<string, string>>
  notModified: Readonly<Record<string, string>>
}
const prepared = new WeakMap<CachedResponse, Prepared>()

function prepare(entry: CachedResponse): Prepared {
  let ready = prepared.get(entry)
  if (!ready) {
    const notModified = { ...SECURITY_HEADERS, Vary: 'Origin', ETag: entry.etag, 'Cache-Control': PUBLIC_CACHE_CONTROL }
    const ok = { ...notModified, 'Content-Type': entry.contentType ?? 'application/json' }
    ready = { bytes: new TextEncoder().encode(entry.body), ok, notModified }
    prepared.set(entry, ready)
  }
  return ready
}

/** Node's own request, handed on by @hono/node-server as the env's `incoming`: its headers are parsed already. */
type NodeEnv = { incoming?: { headers: Record<string, string | string[] | undefined> } } | undefined

/** A request header without building a `Headers` (which the Node adapter would fill from every header sent). */
function header(request: Request, env: unknown, name: string): string | undefined {
  const incoming = (env as NodeEnv)?.incoming
  if (incoming) {
    const value = incoming.headers[name]
    return Array.isArray(value) ? value.join(', ') : value
  }
  return request.headers.get(name) ?? undefined
}

/**
 * Answers a GET whose path and query name a fresh public cache entry, without a promise (so the Node
 * adapter writes it at once); undefined sends the request on to the router. Undefined as a whole where the
 * cache has no synchronous look-up.
 */
export function cachedHits(services: Services, observe?: CachedHitObserver) {
  const { publicCache } = services
  const peek = publicCache.peek?.bind(publicCache)
  if (!peek) return undefined
  return (request: Request, env: unknown): Response | undefined => {
    if (request.method !== 'GET') return undefined
    const start = performance.now()
    const url = request.url
    const key = cacheKeyOf(url)
    // Only requests that passed the routes' validation are ever stored: the same text is valid again.
    const entry = peek(key)
    if (!entry || Date.now() - entry.checkedAt >= FRESH_MS) return undefined
    const ready = prepare(entry)
    const notModified = listsEtag(header(request, env, 'if-none-match'), entry.etag)
    let headers = notModified ? ready.notModified : ready.ok
    const origin = header(request, env, 'origin')
    if (corsAllows(services.config.publicOrigins, origin, url)) {
      headers = { ...headers, 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': CORS_EXPOSED }
    }
    observe?.({
      method: 'GET',
      route: routeOf(key),
      status: notModified ? 304 : 200,
      seconds: (performance.now() - start) / 1000,
    })
    return notModified ? new Response(null, { status: 304, headers }) : new Response(ready.bytes, { status: 200, headers })
  }
}
