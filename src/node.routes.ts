import type { Hono } from 'hono'
import { demoRoutes } from './http/demo/demo.routes.js'
import { liveRoutes } from './http/live/live.routes.js'
import type { NodeLive } from './http/live/live.node.js'
import type { AppEnv } from './http/shared/context.js'
import { type MetricsSource, metricsRoutes } from './http/operations/operations.routes.js'

/**
 * Routes only the Node server has: the live streams (SSE), the demo pages for newcomers and the browser
 * tests, and /metrics when METRICS_TOKEN is set (without it, as on Workers, /metrics is 404).
 */
export function mountNodeExtras(app: Hono<AppEnv>, live: NodeLive, metrics: { source: MetricsSource; token: string } | null) {
  app.route('/api/v1', liveRoutes(live))
  app.route('/demo', demoRoutes)
  if (metrics) app.route('/', metricsRoutes(metrics.source, metrics.token))
}
