import { sql } from 'kysely'
import type { Executor } from '../db/database.js'

export interface RateLimitResult {
  allowed: boolean
  /** Seconds until the current window ends. */
  retryAfter: number
}

/**
 * A fixed-window counter in PostgreSQL, so the limit holds across replicas and on Workers.
 * Counting happens in one upsert; nothing lives in process memory.
 */
export async function hitRateLimit(db: Executor, key: string, limit: number, windowSeconds: number, now: Date): Promise<RateLimitResult> {
  const window = rateLimitWindow(key, windowSeconds, now)
  const row = await db
    .insertInto('rate_limits')
    .values({ bucket: window.bucket, hits: 1, expires_at: window.expiresAt })
    .onConflict((oc) => oc.column('bucket').doUpdateSet({ hits: sql`rate_limits.hits + 1` }))
    .returning('hits')
    .executeTakeFirstOrThrow()
  // Expired windows are swept by the nightly retention job, off the request path.
  return window.result(row.hits, limit)
}

/**
 * The counter a key counts in now (its fixed window), for callers that count inside a larger statement:
 * the row to upsert, and what a count of `hits` means against `limit`.
 */
export function rateLimitWindow(key: string, windowSeconds: number, now: Date) {
  const nowSeconds = now.getTime() / 1000
  const windowStart = Math.floor(nowSeconds / windowSeconds) * windowSeconds
  const windowEnd = windowStart + windowSeconds
  return {
    bucket: `${key}@${windowStart}`,
    expiresAt: new Date(windowEnd * 1000),
    result: (hits: number, limit: number): RateLimitResult => ({
      allowed: hits <= limit,
      retryAfter: Math.max(1, Math.ceil(windowEnd - nowSeconds)),
    }),
  }
}

/** Takes back one hit of the current window (an attempt that turned out fine need not count). */
export async function releaseRateLimit(db: Executor, key: string, windowSeconds: number, now: Date): Promise<void> {
  const windowStart = Math.floor(now.getTime() / 1000 / windowSeconds) * windowSeconds
  await db.updateTable('rate_limits').set({ hits: sql`greatest(hits - 1, 0)` }).where('bucket', '=', `${key}@${windowStart}`).execute()
}
