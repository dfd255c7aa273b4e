// POST /comments/:id/undo: a moderator takes back their own approval or rejection of a moment ago.
import { Hono } from 'hono'
import { undoDecision } from '../../moderation/moderation.undo.js'
import type { AppEnv } from '../shared/context.js'
import { published } from '../shared/events.publish.js'
import { idParams } from '../shared/moderation.schemas.js'
import { actorOf } from '../shared/moderator.actions.js'
import { SIGNED_IN, doc } from '../shared/openapi.js'
import { validate } from '../shared/validation.js'

export const undoRoutes = new Hono<AppEnv>().post(
  '/:id/undo',
  doc('Undo your own approval or rejection of the last 10 minutes: the comment returns to the status it had (audit row "undo")', {
    tags: ['Moderation'],
    ok: { 200: '{comment, undone}' },
    errors: [...SIGNED_IN, 404, 409, 422],
  }),
  validate('param', idParams),
  async (c) => {
    const done = published(c, await undoDecision(c.var.db, c.req.valid('param').id, actorOf(c), c.var.services.now()))
    return c.json(done)
  },
)
