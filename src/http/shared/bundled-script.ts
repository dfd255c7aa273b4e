// A script we bundle and serve ourselves (the widget at /embed.js, the workspace's keyboard script): built
// once, named by a hash of its content, cached for a year under that name and revalidated by ETag under
// the plain one.
import type { Context } from 'hono'
import { sha256Hex } from '../../platform/lib/crypto.js'
import { errorBody } from '../../platform/lib/errors.js'
import type { AppEnv } from './context.js'
import { clientHas } from './headers.js'

/** Where a bundle comes from: esbuild in memory on Node, a text module on Workers. */
export type ScriptSource = () => Promise<string>

export interface Bundle {
  code: string
  /** The first 16 hex digits of its SHA-256: the name under which it never changes. */
  hash: string
}

const IMMUTABLE = 'public, max-age=31536000, immutable'

/** The bundle, built at the first call; a failed build is tried again at the next. */
export function bundledScript(source: ScriptSource): () => Promise<Bundle> {
  let bundle: Promise<Bundle> | null = null
  return () =>
    (bundle ??= source()
      .then(async (code) => ({ code, hash: (await sha256Hex(code)).slice(0, 16) }))
      .catch((error) => {
        bundle = null
        throw error
      }))
}

/**
 * Answers a request for the bundle: `requested` is the hash in the name asked for (none for the plain
 * name, which is cached for `plain.cache`). An old hash is a 404: that version is gone.
 */
export function serveBundle(
  c: Context<AppEnv>,
  { code, hash }: Bundle,
  requested: string | undefined,
  plain: { cache: string; name: string },
) {
  if (requested && requested !== hash) return c.json(errorBody('not_found', `No such ${plain.name} version`), 404)
  const etag = `"${hash}"`
  c.header('ETag', etag)
  c.header('Cache-Control', requested ? IMMUTABLE : plain.cache)
  c.header('Content-Type', 'text/javascript; charset=utf-8')
  if (clientHas(c, etag)) return c.body(null, 304)
  return c.body(code)
}
