// The moderation workspace at /moderate: server-drawn pages over the same core actions and the same input
// schemas as the moderators' API. One router per resource, mounted here behind the session.
import { Hono } from 'hono'
import { moderatorSession, sameOriginOnly } from '../shared/auth.middleware.js'
import { type ScriptSource, bundledScript, serveBundle } from '../shared/bundled-script.js'
import type { AppEnv } from '../shared/context.js'
import { accountRoutes } from './moderator-ui.accounts.routes.js'
import { STYLES } from './moderator-ui.assets.js'
import { commenterRoutes } from './moderator-ui.commenters.routes.js'
import { decisionRoutes } from './moderator-ui.decisions.routes.js'
import { queueRoutes } from './moderator-ui.queue.routes.js'
import { refusalPage } from './moderator-ui.respond.js'
import { screeningRoutes } from './moderator-ui.screening.routes.js'
import { sessionRoutes } from './moderator-ui.session.routes.js'
import { siteRuleRoutes } from './moderator-ui.site-rules.routes.js'
import { undoRoutes } from './moderator-ui.undo.routes.js'

const WORKSPACE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ')

/** The pages ask for keys.<hash>.js, cached for a year; the plain name is revalidated by ETag after an hour. */
const KEYS_CACHE = 'public, max-age=3600'

/** `keyboard` is where the queue's keyboard script comes from (keyboard/keyboard.build.ts builds it). */
export function workspaceRoutes(keyboard: ScriptSource) {
  const keys = bundledScript(keyboard)
  const workspace = new Hono<AppEnv>()
    .get('/assets/styles.css', (c) =>
      c.body(STYLES, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }),
    )
    .get('/assets/:file{keys(\\.[0-9a-f]{16})?\\.js}', async (c) => {
      const requested = c.req.param('file').match(/^keys\.([0-9a-f]{16})\.js$/)?.[1]
      return serveBundle(c, await keys(), requested, { cache: KEYS_CACHE, name: 'script' })
    })
    .use(sameOriginOnly(), moderatorSession())
    .use(async function noStore(c, next) {
      await next()
      c.header('Cache-Control', 'no-store')
      // Scripts only from this origin, never inline: an injected script would not run here.
      c.header('Content-Security-Policy', WORKSPACE_CSP)
    })
    .route('/', sessionRoutes)
    .use(async function signedIn(c, next) {
      if (!c.var.moderator) return c.redirect('/moderate/login', 303)
      await next()
    })
    .route('/', queueRoutes(keys))
    .route('/', decisionRoutes)
    .route('/', undoRoutes)
    .route('/', commenterRoutes)
    .route('/', siteRuleRoutes)
    .route('/', accountRoutes)
    .route('/', screeningRoutes)
  // The workspace answers its own refusals (not an administrator, not found, bad input) as pages, not JSON.
  workspace.onError(refusalPage)
  return workspace
}
