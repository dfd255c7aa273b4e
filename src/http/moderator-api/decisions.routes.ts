// POST /comments/:id/approve, /reject, /feature, /unfeature and GET /comments/:id/history: a moderator's
// decisions on one comment, and the record of them.
import { Hono } from 'hono'
import { commentHistory, commentRevisions, featureComment, rejectComment } from '../../moderation/moderation.decisions.js'
import type { AppEnv } from '../shared/context.js'
import { published } from '../shared/events.publish.js'
import { approveSchema, idParams, rejectSchema } from '../shared/moderation.schemas.js'
import { actorOf, approveAs } from '../shared/moderator.actions.js'
import { SIGNED_IN, doc } from '../shared/openapi.js'
import { optionalJson, validate } from '../shared/validation.js'

const idParam = validate('param', idParams)

export const decisionRoutes = new Hono<AppEnv>()
  .post(
    '/:id/approve',
    doc('Approve (publish, or keep and dismiss reports); with expectStatus, 409 when a colleague decided first', {
      tags: ['Moderation'],
      ok: { 200: '{comment}' },
      errors: [...SIGNED_IN, 404, 409, 422],
    }),
    idParam,
    optionalJson(approveSchema),
    async (c) => {
      const id = c.req.valid('param').id
      return c.json({ comment: (await approveAs(c, id, { expectStatus: c.req.valid('json').expectStatus })).comment })
    },
  )
  .post(
    '/:id/reject',
    doc('Reject with a reason; with expectStatus, 409 when a colleague decided first', {
      tags: ['Moderation'],
      ok: { 200: '{comment}' },
      errors: [...SIGNED_IN, 404, 409, 413, 422],
    }),
    idParam,
    optionalJson(rejectSchema),
    async (c) => {
      const id = c.req.valid('param').id
      const { expectStatus, ...reason } = c.req.valid('json')
      return c.json({ comment: published(c, await rejectComment(c.var.db, id, actorOf(c), reason, expectStatus)) })
    },
  )
  .post(
    '/:id/feature',
    doc('Feature', { tags: ['Moderation'], ok: { 200: '{comment}' }, errors: [...SIGNED_IN, 404, 422] }),
    idParam,
    async (c) => c.json({ comment: published(c, await featureComment(c.var.db, c.req.valid('param').id, actorOf(c), true)) }),
  )
  .post(
    '/:id/unfeature',
    doc('Unfeature', { tags: ['Moderation'], ok: { 200: '{comment}' }, errors: [...SIGNED_IN, 404, 422] }),
    idParam,
    async (c) => c.json({ comment: published(c, await featureComment(c.var.db, c.req.valid('param').id, actorOf(c), false)) }),
  )
  .get(
    '/:id/history',
    doc("A comment's audit log, and the earlier texts its writer replaced", {
      tags: ['Moderation'],
      ok: { 200: '{actions, revisions}' },
      errors: [...SIGNED_IN, 404, 422],
    }),
    idParam,
    async (c) => {
      const id = c.req.valid('param').id
      return c.json({ actions: await commentHistory(c.var.db, id), revisions: await commentRevisions(c.var.db, id) })
    },
  )
