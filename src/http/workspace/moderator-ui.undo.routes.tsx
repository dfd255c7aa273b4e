// POST /moderate/comments/:id/undo: the queue's Undo, without JavaScript (with it, the page calls the API's
// own undo and stays where it is).
import { Hono } from 'hono'
import { undoDecision } from '../../moderation/moderation.undo.js'
import type { AppEnv } from '../shared/context.js'
import { published } from '../shared/events.publish.js'
import { actorOf } from '../shared/moderator.actions.js'
import { validate } from '../shared/validation.js'
import { decisionForm, idParam } from './moderator-ui.forms.js'
import { backWithNotice } from './moderator-ui.respond.js'

export const undoRoutes = new Hono<AppEnv>().post('/comments/:id/undo', idParam('Comment'), validate('form', decisionForm), async (c) => {
  const id = c.req.valid('param').id
  published(c, await undoDecision(c.var.db, id, actorOf(c), c.var.services.now()))
  return backWithNotice(c, c.req.valid('form').back, 'undone')
})
