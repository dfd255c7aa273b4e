// GET /screening/examples (admin): moderators' decisions, the material a site's model is retrained on.
import { Hono } from 'hono'
import { exampleLabel } from '../../screening/screening.examples.js'
import { adminOnly } from '../shared/auth.middleware.js'
import type { AppEnv } from '../shared/context.js'
import { SIGNED_IN, doc } from '../shared/openapi.js'

export const screeningRoutes = new Hono<AppEnv>().get(
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
