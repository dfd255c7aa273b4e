// GET /screening/examples (admin): moderators' decisions, the material a site's model is retrained on.
// POST /screening/retrain, GET /screening/models, POST /screening/models/:version/activate (admin): the
// site model the desk teaches, its versions, and rolling back or forward.
import { Hono } from 'hono'
import { z } from 'zod'
import { activateModel, modelsOverview, requestTraining } from '../../moderation/moderation.learning.js'
import { exampleLabel } from '../../screening/screening.examples.js'
import { adminOnly } from '../shared/auth.middleware.js'
import type { AppEnv } from '../shared/context.js'
import { published } from '../shared/events.publish.js'
import { modelVersionParams } from '../shared/moderation.schemas.js'
import { actorOf } from '../shared/moderator.actions.js'
import { SIGNED_IN, doc } from '../shared/openapi.js'
import { validate } from '../shared/validation.js'

const retrainSchema = z.object({}).strict()

export const screeningRoutes = new Hono<AppEnv>()
  .get(
    '/examples',
    doc("Moderators' decisions as JSON lines, for retraining (admin)", {
      tags: ['Screening'],
      ok: { 200: 'application/x-ndjson' },
      errors: SIGNED_IN,
    }),
    adminOnly,
    async (c) => {
      // Moderators' decisions as JSON lines, the format `npm run train:screening` and most trainers read;
      // `label` is null for rejections that were not about abuse (spam, off-topic, bans).
      const rows = await c.var.db.selectFrom('screening_examples').selectAll().orderBy('decided_at').orderBy('comment_id').execute()
      const lines = rows.map((r) =>
        JSON.stringify({
          text: r.text,
          label: exampleLabel(r.decision, r.reason),
          lang: r.language,
          source: 'site_decisions',
          decision: r.decision,
          reason: r.reason,
          risk: r.risk,
          decidedAt: new Date(r.decided_at).toISOString(),
        }),
      )
      c.header('Content-Type', 'application/x-ndjson; charset=utf-8')
      c.header('Content-Disposition', 'attachment; filename="screening-examples.jsonl"')
      return c.body(lines.length ? `${lines.join('\n')}\n` : '')
    },
  )
  .post(
    '/retrain',
    doc("Train a site model from this site's decisions, off the request path (admin)", {
      tags: ['Screening'],
      ok: { 202: '{training:{state:"queued"}}' },
      errors: [...SIGNED_IN, 409, 413, 422],
      description:
        'The new version is promoted only if it holds more abuse on the newest decisions, held back, without publishing fewer clean comments.',
    }),
    adminOnly,
    validate('json', retrainSchema),
    async (c) => {
      await requestTraining(c.var.db, { startedBy: c.var.moderator!.username })
      return c.json({ training: { state: 'queued' as const } }, 202)
    },
  )
  .get(
    '/models',
    doc('The active screening model, where training stands, and the newest 60 versions kept, with the active one (admin)', {
      tags: ['Screening'],
      ok: { 200: '{active, training:{state, last}, versions}' },
      errors: SIGNED_IN,
    }),
    adminOnly,
    async (c) => c.json(await modelsOverview(c.var.db)),
  )
  .post(
    '/models/:version/activate',
    doc("Make a kept version the active one: roll back or forward (the shipped model's version returns to it) (admin)", {
      tags: ['Screening'],
      ok: { 200: '{active}' },
      errors: [...SIGNED_IN, 404, 409, 422],
      description: '409: the version was stacked on another shipped model than the one running, and cannot screen.',
    }),
    adminOnly,
    validate('param', modelVersionParams),
    async (c) => {
      const { services } = c.var
      const done = await activateModel(c.var.db, c.req.valid('param').version, actorOf(c), { now: services.now, models: services.models })
      return c.json({ active: published(c, done) })
    },
  )
