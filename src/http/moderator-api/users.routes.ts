// /users (admin): moderators' accounts, created, disabled and enabled again.
import { Hono } from 'hono'
import { createModerator, listModerators, setModeratorDisabled } from '../../auth/auth.users.js'
import { adminOnly } from '../shared/auth.middleware.js'
import type { AppEnv } from '../shared/context.js'
import { idParams, newModeratorSchema } from '../shared/moderation.schemas.js'
import { moderatorUsername } from '../shared/moderator.actions.js'
import { SIGNED_IN, doc } from '../shared/openapi.js'
import { validate } from '../shared/validation.js'

const idParam = validate('param', idParams)

export const userRoutes = new Hono<AppEnv>()
  .use(adminOnly)
  .get('/', doc('Moderator accounts (admin)', { tags: ['Moderators'], ok: { 200: '{users}' }, errors: SIGNED_IN }), async (c) =>
    c.json({ users: await listModerators(c.var.db) }),
  )
  .post(
    '/',
    doc('Create a moderator account (admin)', { tags: ['Moderators'], ok: { 201: '{user}' }, errors: [...SIGNED_IN, 409, 413, 422] }),
    validate('json', newModeratorSchema),
    async (c) => {
      const { username, password, role } = c.req.valid('json')
      return c.json({ user: await createModerator(c.var.db, username, password, role) }, 201)
    },
  )
  .post(
    '/:id/disable',
    doc('Disable a moderator account (admin)', { tags: ['Moderators'], ok: { 200: '{user}' }, errors: [...SIGNED_IN, 404, 422] }),
    idParam,
    async (c) => {
      await setModeratorDisabled(c.var.db, await moderatorUsername(c.var.db, c.req.valid('param').id), true)
      return c.json({ ok: true })
    },
  )
  .post(
    '/:id/enable',
    doc('Enable a moderator account (admin)', { tags: ['Moderators'], ok: { 200: '{user}' }, errors: [...SIGNED_IN, 404, 422] }),
    idParam,
    async (c) => {
      await setModeratorDisabled(c.var.db, await moderatorUsername(c.var.db, c.req.valid('param').id), false)
      return c.json({ ok: true })
    },
  )
