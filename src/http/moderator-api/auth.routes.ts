import { doc } from '../shared/openapi.js'
import { Hono } from 'hono'
import { z } from 'zod'
import { AppError } from '../../platform/lib/errors.js'
import { hitRateLimit, releaseRateLimit } from '../../platform/lib/rate-limit.js'
import { validate } from '../shared/validation.js'
import type { AppEnv } from '../shared/context.js'
import { endSession, startSession } from '../../auth/auth.lucia.js'
import { moderatorSession, sameOriginOnly, secureCookies } from '../shared/auth.middleware.js'
import { timingDummyHash, verifyPassword } from '../../auth/auth.password.js'
import type { Context } from 'hono'

export const loginSchema = z.object({
  username: z.string().trim().toLowerCase().min(1, 'Username is required').max(100, 'A username has at most 100 characters'),
  password: z.string().min(1, 'Password is required').max(1000, 'A password has at most 1000 characters'),
})

const LOGIN_LIMITS = { perIp: { limit: 20, windowSeconds: 600 }, perUser: { limit: 10, windowSeconds: 900 } }

/**
 * Checks credentials with the same work for unknown users. Attempts count against the username from
 * this address, and against the address; once either reaches its limit, even the right password waits.
 */
export async function checkCredentials(c: Context<AppEnv>, username: string, password: string) {
  const { db, services } = c.var
  const now = services.now()
  const address = await services.addressHash(services.clientIp(c))
  // An account is limited per address, never on its own: a stranger's failures elsewhere must not lock
  // a moderator out. Guessing across addresses still meets each address's own limit.
  const limits = [
    { key: `login:user:${await services.keyedHash(`user:${username}`)}:${address ?? 'unknown'}`, ...LOGIN_LIMITS.perUser },
    ...(address ? [{ key: `login:ip:${address}`, ...LOGIN_LIMITS.perIp }] : []),
  ]
  // Each attempt is counted before the ~150 ms hash, in one atomic upsert: parallel attempts cannot all
  // read "under the limit" and then all be checked. A success gives its count back.
  for (const { key, limit, windowSeconds } of limits) {
    const counted = await hitRateLimit(db, key, limit, windowSeconds, now)
    if (!counted.allowed) {
      throw new AppError(429, 'rate_limited', `Too many sign-in attempts; try again in ${counted.retryAfter} seconds`, undefined, {
        'Retry-After': String(counted.retryAfter),
      })
    }
  }
  const user = await db
    .selectFrom('moderators')
    .select(['id', 'username', 'role', 'password_hash', 'disabled'])
    .where('username', '=', username)
    .executeTakeFirst()
  const valid = await verifyPassword(user?.password_hash ?? (await timingDummyHash()), password)
  if (!user || user.disabled || !valid) throw new AppError(401, 'invalid_credentials', 'Wrong username or password')
  for (const { key, windowSeconds } of limits) await releaseRateLimit(db, key, windowSeconds, now)
  return { id: user.id, username: user.username, role: user.role }
}

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
