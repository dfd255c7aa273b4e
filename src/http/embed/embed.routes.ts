import { Hono } from 'hono'
import { type ScriptSource, bundledScript, serveBundle } from '../shared/bundled-script.js'
import type { AppEnv } from '../shared/context.js'

/** Where the widget bundle comes from: esbuild in memory on Node, a text module on Workers. */
export type WidgetSource = ScriptSource

// Publishers' pages reference /embed.js without a version, so it is cached for an hour and revalidated by
// ETag; /embed.<hash>.js never changes and is cached for a year.
const EMBED_CACHE = 'public, max-age=3600, stale-while-revalidate=86400'

export function embedRoutes(source: WidgetSource) {
  const load = bundledScript(source)
  return new Hono<AppEnv>().get('/:file{embed(\\.[0-9a-f]{16})?\\.js}', async (c) => {
    const requested = c.req.param('file').match(/^embed\.([0-9a-f]{16})\.js$/)?.[1]
    return serveBundle(c, await load(), requested, { cache: EMBED_CACHE, name: 'widget' })
  })
}
