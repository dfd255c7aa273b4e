// GET /queue, /search, /overview and POST /presence: what waits, what was said, how the desk is doing,
// and who has which comment open.
import { Hono } from 'hono'
import { loadOverview, overviewQuerySchema } from '../../moderation/moderation.overview.js'
import { listQueue, queueCounts } from '../../moderation/moderation.queue.js'
import { searchComments, searchQuerySchema } from '../../moderation/moderation.search.js'
import { newId } from '../../platform/lib/ids.js'
import { notify } from '../../platform/live/live.bus.js'
import type { AppEnv } from '../shared/context.js'
import { presenceSchema, queueQuerySchema } from '../shared/moderation.schemas.js'
import { SIGNED_IN, doc } from '../shared/openapi.js'
import { validate } from '../shared/validation.js'

export const queueRoutes = new Hono<AppEnv>()
  .get(
    '/queue',
    doc('A moderation queue, riskiest first for waiting comments', {
      tags: ['Moderation'],
      ok: { 200: '{items, nextCursor, counts}' },
      errors: [...SIGNED_IN, 422],
    }),
    validate('query', queueQuerySchema),
    async (c) => {
      const query = c.req.valid('query')
      const [page, counts] = await Promise.all([listQueue(c.var.db, query), queueCounts(c.var.db, query.articleId)])
      return c.json({ ...page, counts })
    },
  )
  .get(
    '/search',
    doc('Search comments in any queue by words, author name, email or article, newest first', {
      tags: ['Moderation'],
      ok: { 200: '{items, nextCursor}' },
      errors: [...SIGNED_IN, 422],
    }),
    validate('query', searchQuerySchema),
    async (c) => c.json(await searchComments(c.var.db, c.req.valid('query'))),
  )
  .get(
    '/overview',
    doc("The overview: comments per day by status, waiting times, rejections by reason, busiest articles, screening's share", {
      tags: ['Moderation'],
      ok: { 200: 'Overview' },
      errors: [...SIGNED_IN, 422],
    }),
    validate('query', overviewQuerySchema),
    async (c) => c.json(await loadOverview(c.var.db, { days: c.req.valid('query').days, now: c.var.services.now() })),
  )
  .post(
    '/presence',
    doc('Say which comment this moderator has open ("open by NAME" for the others)', {
      tags: ['Moderation'],
      ok: { 204: 'Announced' },
      errors: [...SIGNED_IN, 422],
    }),
    validate('json', presenceSchema),
    async (c) => {
      await notify(c.var.db, { id: newId(), type: 'viewing', commentId: c.req.valid('json').commentId, by: c.var.moderator!.username })
      return c.body(null, 204)
    },
  )
