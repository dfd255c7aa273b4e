import type { Hono } from 'hono'
import { demoRoutes } from './http/demo/demo.routes.js'
import { liveRoutes } from './http/live/live.routes.js'
import type { NodeLive } from './http/live/live.node.js'
import type { AppEnv } from './http/shared/context.js'

/** Routes only the Node server has: the live streams (SSE), and the demo pages for newcomers and the browser tests. */
export function mountNodeExtras(app: Hono<AppEnv>, live: NodeLive) {
  app.route('/api/v1', liveRoutes(live))
  app.route('/demo', demoRoutes)
}
