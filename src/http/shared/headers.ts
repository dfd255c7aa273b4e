import type { Context, MiddlewareHandler } from 'hono'

// Both middlewares set their headers *before* the handler runs. Hono's secureHeaders and cors set
// them afterwards on c.res.headers, which makes the Node adapter turn its lightweight response into
// a full Response object: on these machines hono/cors alone took a bare Hono route from ~35,000 to
// ~9,000 requests/s. Headers set up front are merged when the handler builds its response.

/** Every answer: what matters for JSON and scripts as much as for pages. */
export const BASE_HEADERS: [string, string][] = [
  ['Cross-Origin-Resource-Policy', 'cross-origin'], // the widget and the API are fetched from publishers' pages
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
]

/** HTML documents (the moderation workspace, the demo) also get the rest of hono/secure-headers' defaults. */
const DOCUMENT_HEADERS: [string, string][] = [
  ['X-Frame-Options', 'SAMEORIGIN'], // no other site may frame the moderation buttons
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
]

export const securityHeaders: MiddlewareHandler = (c, next) => {
  for (const [name, value] of BASE_HEADERS) c.header(name, value)
  // JSON answers skip the document-only headers: on the hot read path each header costs measurably.
  if (!c.req.path.startsWith('/api/')) for (const [name, value] of DOCUMENT_HEADERS) c.header(name, value)
  return next()
}

/** Which origins the reader API answers: publishers' and our own (the request's), nothing else. */
export const corsAllows = (allowedOrigins: readonly string[], origin: string | undefined, requestUrl: string): origin is string =>
  origin !== undefined && (allowedOrigins.includes(origin) || origin === new URL(requestUrl).origin)

/** What a reader's page may read of an answer, beside the safelisted headers. */
export const CORS_EXPOSED = 'Retry-After, ETag'

/** CORS for the reader API: publishers' origins and our own, nothing else, no credentials. */
export function publisherCors(allowedOrigins: () => readonly string[]): MiddlewareHandler {
  const allowed = (c: Context, origin: string | undefined) => corsAllows(allowedOrigins(), origin, c.req.url)
  return async (c, next) => {
    const origin = c.req.header('origin')
    c.header('Vary', 'Origin')
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      if (!allowed(c, origin)) return c.body(null, 204)
      c.header('Access-Control-Allow-Origin', origin!)
      c.header('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE')
      // Authorization carries a reader token (bearer, never a cookie: the widget runs on another site).
      c.header('Access-Control-Allow-Headers', 'Content-Type, If-None-Match, Authorization')
      c.header('Access-Control-Max-Age', '600')
      return c.body(null, 204)
    }
    if (allowed(c, origin)) {
      c.header('Access-Control-Allow-Origin', origin!)
      c.header('Access-Control-Expose-Headers', CORS_EXPOSED)
    }
    return next()
  }
}

/** Whether the request already holds this representation (If-None-Match lists it). */
export const clientHas = (c: Context, etag: string): boolean => listsEtag(c.req.header('if-none-match'), etag)

/** Whether an If-None-Match header lists this ETag. */
export const listsEtag = (ifNoneMatch: string | undefined, etag: string): boolean => ifNoneMatch?.split(/\s*,\s*/).includes(etag) ?? false
