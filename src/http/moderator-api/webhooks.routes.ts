// GET /webhooks/deliveries: the site's last webhook deliveries and where each stands (admin).
import { Hono } from 'hono'
import { listWebhookDeliveries } from '../../moderation/moderation.webhooks.js'
import { adminOnly } from '../shared/auth.middleware.js'
import type { AppEnv } from '../shared/context.js'
import { SIGNED_IN, doc } from '../shared/openapi.js'

export const webhookRoutes = new Hono<AppEnv>().get(
  '/deliveries',
  doc('The last 100 webhook deliveries, newest first, with their status and attempts (admin)', {
    tags: ['Settings'],
    ok: { 200: '{deliveries}' },
    errors: SIGNED_IN,
  }),
  adminOnly,
  async (c) => c.json({ deliveries: await listWebhookDeliveries(c.var.db) }),
)
