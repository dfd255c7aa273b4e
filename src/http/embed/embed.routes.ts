import { Hono } from 'hono'
import { sha256Hex } from '../../platform/lib/crypto.js'
import { errorBody } from '../../platform/lib/errors.js'
import { clientHas } from '../shared/headers.js'
import type { AppEnv } from '../shared/context.js'

/** Where the widget bundle comes from: esbuild in memory on Node, a text module on Workers. */
export type WidgetSource = () => Promise<string>

// Publishers' pages reference /embed.js without a version, so it is cached for an hour and revalidated by
// ETag; /embed.<hash>.js never changes and is cached for a year.
const EMBED_CACHE = 'public, max-age=3600, stale-while-revalidate=86400'
const IMMUTABLE = 'public, max-age=31536000, immutable'

export function embedRoutes(source: WidgetSource) {
  let bundle: Promise<{ code: string; hash: string }> | null = null
  const load = () =>
    (bundle ??= source()
      .then(async (code) => ({ code, hash: (await sha256Hex(code)).slice(0, 16) }))
      .catch((error) => {
        bundle = null // a failed build is retried on the next request
        throw error
      }))

  return new Hono<AppEnv>().get('/:file{embed(\\.[0-9a-f]{16})?\\.js}', async (c) => {
    const { code, hash } = await load()
    const requested = c.req.param('file').match(/^embed\.([0-9a-f]{16})\.js$/)?.[1]
    if (requested && requested !== hash) return c.json(errorBody('not_found', 'No such widget version'), 404)
    const etag = `"${hash}"`
    c.header('ETag', etag)
    c.header('Cache-Control', requested ? IMMUTABLE : EMBED_CACHE)
    c.header('Content-Type', 'text/javascript; charset=utf-8')
    if (clientHas(c, etag)) return c.body(null, 304)
    return c.body(code)
  })
}
