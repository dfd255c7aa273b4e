import { Hono } from 'hono'
import { type ScriptSource, bundledScript, serveBundle } from '../shared/bundled-script.js'
import type { AppEnv } from '../shared/context.js'

/** Where the widget bundle comes from: esbuild in memory on Node, a text module on Workers. */
export type WidgetSource = ScriptSource

// Publishers' pages reference /embed.js without a version, so it is cached for an hour and revalidated by
// ETag; /embed.<hash>.js never changes and is cached for a year.
const EMBED_CACHE = 'public, max-age=3600, stale-while-revalidate=86400'

/**
 * Browsers ask every origin for /favicon.ico, whatever the page says: without it each page of ours (the
 * demo, the workspace, the readers' pages) logged a 404. A speech bubble, in the widget's accent colour.
 */
const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path fill="#0b5cad" d="M2 2h12a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H7l-4 3v-3H2a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1z"/></svg>'

export function embedRoutes(source: WidgetSource) {
  const load = bundledScript(source)
  return new Hono<AppEnv>()
    .get('/:file{embed(\\.[0-9a-f]{16})?\\.js}', async (c) => {
      const requested = c.req.param('file').match(/^embed\.([0-9a-f]{16})\.js$/)?.[1]
      return serveBundle(c, await load(), requested, { cache: EMBED_CACHE, name: 'widget' })
    })
    .get('/favicon.ico', (c) => c.body(FAVICON, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }))
}
