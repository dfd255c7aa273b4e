// /commenters/:id: a commenter's page, the standing moderators give them (ban, trust, reset, suspend,
// shadow-ban), notes between colleagues, and an administrator's export and erasure.
import { Hono } from 'hono'
import { commenterPage } from '../../commenters/commenters.page.js'
import { exportCommenter } from '../../moderation/moderation.commenter-export.js'
import { addCommenterNote, restrictCommenter, setCommenterStatus } from '../../moderation/moderation.commenters.js'
import { eraseCommenter } from '../../moderation/moderation.erasure.js'
import { adminOnly } from '../shared/auth.middleware.js'
import type { AppEnv } from '../shared/context.js'
import { published } from '../shared/events.publish.js'
import {
  banSchema,
  commenterPageQuery,
  commenterReasonSchema,
  eraseSchema,
  idParams,
  noteSchema,
  shadowBanSchema,
  suspendSchema,
} from '../shared/moderation.schemas.js'
import { actorOf } from '../shared/moderator.actions.js'
import { SIGNED_IN, doc } from '../shared/openapi.js'
import { optionalJson, validate } from '../shared/validation.js'

const idParam = validate('param', idParams)
const STANDINGS = { ban: 'banned', trust: 'trusted', reset: 'normal' } as const

export const commenterRoutes = new Hono<AppEnv>()
  .post(
    '/:id/ban',
    doc('Ban a commenter (optionally rejecting what waits)', {
      tags: ['Commenters'],
      ok: { 200: '{commenter}' },
      errors: [...SIGNED_IN, 404, 413, 422],
    }),
    idParam,
    optionalJson(banSchema),
    async (c) => {
      const done = await setCommenterStatus(c.var.db, c.req.valid('param').id, STANDINGS.ban, actorOf(c), {
        ...c.req.valid('json'),
        keyedHash: c.var.services.keyedHash,
      })
      return c.json({ commenter: published(c, done) })
    },
  )
  .post(
    '/:id/trust',
    doc('Trust a commenter', { tags: ['Commenters'], ok: { 200: '{commenter}' }, errors: [...SIGNED_IN, 404, 422] }),
    idParam,
    optionalJson(commenterReasonSchema),
    async (c) => {
      const done = await setCommenterStatus(c.var.db, c.req.valid('param').id, STANDINGS.trust, actorOf(c), {
        ...c.req.valid('json'),
        keyedHash: c.var.services.keyedHash,
      })
      return c.json({ commenter: published(c, done) })
    },
  )
  .post(
    '/:id/reset',
    doc('Back to normal: lifts a ban, a suspension and a shadow-ban, and ends trust', {
      tags: ['Commenters'],
      ok: { 200: '{commenter}' },
      errors: [...SIGNED_IN, 404, 422],
    }),
    idParam,
    optionalJson(commenterReasonSchema),
    async (c) => {
      const done = await setCommenterStatus(c.var.db, c.req.valid('param').id, STANDINGS.reset, actorOf(c), {
        ...c.req.valid('json'),
        keyedHash: c.var.services.keyedHash,
      })
      return c.json({ commenter: published(c, done) })
    },
  )
  .post(
    '/:id/suspend',
    doc('Suspend for 1, 7 or 30 days, with a reason: posts are refused until then, and the refusal says until when', {
      tags: ['Commenters'],
      ok: { 200: '{commenter}' },
      errors: [...SIGNED_IN, 404, 413, 422],
    }),
    idParam,
    validate('json', suspendSchema),
    async (c) => {
      const { days, reason } = c.req.valid('json')
      const restriction = { kind: 'suspend', days } as const
      const done = await restrictCommenter(c.var.db, c.req.valid('param').id, restriction, actorOf(c), reason, c.var.services.now())
      return c.json({ commenter: published(c, done) })
    },
  )
  .post(
    '/:id/shadow-ban',
    doc('Shadow-ban, with a reason: their comments look published to them and reach nobody else', {
      tags: ['Commenters'],
      ok: { 200: '{commenter}' },
      errors: [...SIGNED_IN, 404, 413, 422],
    }),
    idParam,
    validate('json', shadowBanSchema),
    async (c) => {
      const restriction = { kind: 'shadow_ban' } as const
      const { reason } = c.req.valid('json')
      const done = await restrictCommenter(c.var.db, c.req.valid('param').id, restriction, actorOf(c), reason, c.var.services.now())
      return c.json({ commenter: published(c, done) })
    },
  )
  .get(
    '/:id',
    doc("A commenter: who they are, their restrictions, their comments (every status, newest first) and moderators' notes", {
      tags: ['Commenters'],
      ok: { 200: '{commenter, comments, nextCursor, notes}' },
      errors: [...SIGNED_IN, 404, 422],
    }),
    idParam,
    validate('query', commenterPageQuery),
    async (c) => c.json(await commenterPage(c.var.db, c.req.valid('param').id, c.req.valid('query'))),
  )
  .post(
    '/:id/notes',
    doc('Note something about a commenter for colleagues', {
      tags: ['Commenters'],
      ok: { 201: '{note}' },
      errors: [...SIGNED_IN, 404, 413, 422],
    }),
    idParam,
    validate('json', noteSchema),
    async (c) => {
      const done = await addCommenterNote(c.var.db, c.req.valid('param').id, actorOf(c), c.req.valid('json').body)
      return c.json({ note: published(c, done) }, 201)
    },
  )
  .get(
    '/:id/export',
    doc(
      "Everything stored about a commenter, as they get it when they ask for their data: decisions with reason codes, not who decided or moderators' notes (admin)",
      { tags: ['Commenters'], ok: { 200: 'JSON export' }, errors: [...SIGNED_IN, 404, 422] },
    ),
    adminOnly,
    idParam,
    async (c) => {
      const id = c.req.valid('param').id
      c.header('Content-Disposition', `attachment; filename="commenter-${id}.json"`)
      return c.json(await exportCommenter(c.var.db, id, c.var.services.now()))
    },
  )
  .post(
    '/:id/erase',
    doc('Erase a commenter (admin)', {
      tags: ['Commenters'],
      ok: { 200: '{erased, mode, comments}' },
      errors: [...SIGNED_IN, 404, 413, 422],
    }),
    adminOnly,
    idParam,
    validate('json', eraseSchema),
    async (c) => {
      const { keyedHash, now } = c.var.services
      const done = await eraseCommenter(c.var.db, c.req.valid('param').id, actorOf(c), c.req.valid('json').mode, keyedHash, now())
      return c.json(published(c, done))
    },
  )
