// Signing a moderator in, the same at both doors: the JSON login and the workspace's form.
import type { Context } from 'hono'
import { z } from 'zod'
import { timingDummyHash, verifyPassword } from '../../auth/auth.password.js'
import { AppError } from '../../platform/lib/errors.js'
import { hitRateLimit, releaseRateLimit } from '../../platform/lib/rate-limit.js'
import type { AppEnv } from './context.js'

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
