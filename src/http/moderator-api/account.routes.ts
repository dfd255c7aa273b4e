// GET/PUT /account/mail: the signed-in moderator's own mail preferences, as the workspace's account page
// sets them (where alerts and the daily digest go, and whether they come).
import { Hono } from 'hono'
import { mailPreferences, saveMailPreferences } from '../../auth/auth.users.js'
import type { AppEnv } from '../shared/context.js'
import { mailPreferencesSchema } from '../shared/moderation.schemas.js'
import { SIGNED_IN, doc } from '../shared/openapi.js'
import { validate } from '../shared/validation.js'

export const accountRoutes = new Hono<AppEnv>()
  .get(
    '/mail',
    doc('Your mail preferences: {email, alerts, digest}', { tags: ['Moderators'], ok: { 200: '{mail}' }, errors: SIGNED_IN }),
    async (c) => c.json({ mail: await mailPreferences(c.var.db, c.var.moderator!.id) }),
  )
  .put(
    '/mail',
    doc('Change your mail preferences: any of email (null: no mail), alerts, digest', {
      tags: ['Moderators'],
      ok: { 200: '{mail}' },
      errors: [...SIGNED_IN, 413, 422],
    }),
    validate('json', mailPreferencesSchema),
    async (c) => c.json({ mail: await saveMailPreferences(c.var.db, c.var.moderator!.id, c.req.valid('json')) }),
  )
