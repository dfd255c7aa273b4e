import { Hono } from 'hono'
import { z } from 'zod'
import { articleIdSchema } from '../../comments/comments.schema.js'
import { AppError } from '../../platform/lib/errors.js'
import { doc } from '../shared/openapi.js'
import { validate } from '../shared/validation.js'
import type { AppEnv } from '../shared/context.js'
import { MODERATOR_CHANNEL, articleChannel } from '../../live/live.events.js'
import type { NodeLive } from './live.node.js'

const STREAM_DOC = 'Server-Sent Events; `Last-Event-ID` resumes within five minutes; 503 with Retry-After when the server is at its limit'

/** The live streams Node serves (Workers use a Durable Object per article instead). */
export function liveRoutes(live: NodeLive) {
  return new Hono<AppEnv>()
    .get(
      '/articles/:articleId/stream',
      doc("An article's live stream: comments published, edited or hidden", {
        tags: ['Readers'],
        ok: { 200: STREAM_DOC },
        errors: [422, 429, 503],
      }),
      validate('param', z.object({ articleId: articleIdSchema })),
      async (c) => {
        const origin = c.req.header('origin')
        const allowed =
          origin && (c.var.services.config.publicOrigins.includes(origin) || origin === new URL(c.req.url).origin) ? origin : null
        return live.stream(c, articleChannel(c.req.valid('param').articleId), allowed)
      },
    )
    .get(
      '/mod/stream',
      doc("The moderators' live stream: the queue's changes, decisions and who is looking at what", {
        tags: ['Moderation'],
        ok: { 200: STREAM_DOC },
        errors: [401, 429, 503],
      }),
      async (c) => {
        if (!c.var.moderator) throw new AppError(401, 'unauthenticated', 'Sign in as a moderator first')
        return live.stream(c, MODERATOR_CHANNEL, null)
      },
    )
}
