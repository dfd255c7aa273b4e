import { Hono } from 'hono'
import { endSession, startSession } from '../../auth/auth.lucia.js'
import { AppError } from '../../platform/lib/errors.js'
import { moderatorSession, sameOriginOnly, secureCookies } from '../shared/auth.middleware.js'
import type { AppEnv } from '../shared/context.js'
import { doc } from '../shared/openapi.js'
import { checkCredentials, loginSchema } from '../shared/sign-in.js'
import { validate } from '../shared/validation.js'

export const authRoutes = new Hono<AppEnv>()
  .use(sameOriginOnly(), moderatorSession())
  .post(
    '/login',
    doc('Sign in as a moderator', { tags: ['Moderators'], ok: { 200: 'Signed in: a session cookie' }, errors: [401, 403, 413, 422, 429] }),
    validate('json', loginSchema),
    async (c) => {
      const { username, password } = c.req.valid('json')
      const moderator = await checkCredentials(c, username, password)
      c.header('Set-Cookie', await startSession(c.var.db, moderator.id, secureCookies(c)), { append: true })
      return c.json({ moderator })
    },
  )
  .post('/logout', doc('Sign out', { tags: ['Moderators'], ok: { 200: 'Signed out' }, errors: [403] }), async (c) => {
    c.header('Set-Cookie', await endSession(c.var.db, c.req.header('cookie'), secureCookies(c)), { append: true })
    return c.json({ ok: true })
  })
  .get('/me', doc('Who is signed in', { tags: ['Moderators'], ok: { 200: '{moderator}' }, errors: [401] }), (c) => {
    const moderator = c.var.moderator
    if (!moderator) throw new AppError(401, 'unauthenticated', 'Not signed in')
    return c.json({ moderator })
  })
