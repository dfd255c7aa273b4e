// The moderators' JSON API at /api/v1/mod: one router per resource, mounted here behind the session.
import { Hono } from 'hono'
import { moderatorSession, requireModerator, sameOriginOnly } from '../shared/auth.middleware.js'
import type { AppEnv } from '../shared/context.js'
import { accountRoutes } from './account.routes.js'
import { commenterRoutes } from './commenters.routes.js'
import { decisionRoutes } from './decisions.routes.js'
import { queueRoutes } from './queue.routes.js'
import { screeningRoutes } from './screening.routes.js'
import { siteRuleRoutes } from './site-rules.routes.js'
import { undoRoutes } from './undo.routes.js'
import { userRoutes } from './users.routes.js'
import { webhookRoutes } from './webhooks.routes.js'

/** Routes only administrators may call (behind `adminOnly`); the authorisation test reads this list. */
export const ADMIN_ONLY = new Set([
  'PUT /settings',
  'GET /commenters/:id/export',
  'POST /commenters/:id/erase',
  'GET /screening/examples',
  'POST /screening/retrain',
  'GET /screening/models',
  'POST /screening/models/:version/activate',
  'GET /users',
  'POST /users',
  'POST /users/:id/disable',
  'POST /users/:id/enable',
  'GET /webhooks/deliveries',
])

export const moderationRoutes = new Hono<AppEnv>()
  .use(sameOriginOnly(), moderatorSession(), requireModerator())
  .route('/', queueRoutes)
  .route('/comments', decisionRoutes)
  .route('/comments', undoRoutes)
  .route('/commenters', commenterRoutes)
  .route('/', siteRuleRoutes)
  .route('/users', userRoutes)
  .route('/screening', screeningRoutes)
  .route('/webhooks', webhookRoutes)
  .route('/account', accountRoutes)
