import type { Hono } from 'hono'
import { demoRoutes } from './demo/demo.routes.js'
import type { AppEnv } from './services.js'

/** Routes only the Node server has: the demo article pages for newcomers and the browser tests. */
export function mountNodeExtras(app: Hono<AppEnv>) {
  app.route('/demo', demoRoutes)
}
