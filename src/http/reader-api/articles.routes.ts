import { doc } from '../shared/openapi.js'
import { Hono } from 'hono'
import { validate } from '../shared/validation.js'
import type { AppEnv } from '../shared/context.js'
import { countsQuerySchema } from '../../comments/comments.schema.js'
import { cachedPublicRead } from '../shared/public-cache.js'
import { approvedCounts, countsStamp } from '../../articles/articles.repository.js'

export const articleRoutes = new Hono<AppEnv>().get(
  '/counts',
  doc('Published comment counts for several articles', {
    tags: ['Readers'],
    ok: { 200: '{counts}', 304: 'Not modified since the ETag sent' },
    errors: [422],
  }),
  validate('query', countsQuerySchema),
  async (c) => {
    const { articles } = c.req.valid('query')
    return cachedPublicRead(
      c,
      articles,
      () => countsStamp(c.var.db, articles),
      async () => ({ counts: await approvedCounts(c.var.db, articles) }),
    )
  },
)
