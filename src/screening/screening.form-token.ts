import { sql } from 'kysely'
import type { Executor } from '../platform/db/database.js'
import { hmacSha256, timingSafeEqual, toBase64Url } from '../platform/lib/crypto.js'

// A form token proves when (and for which article) the widget was served the form,
// so a post arriving faster than a human could type is recognisable without cookies.

async function sign(secret: string, articleId: string, issuedAt: number, nonce: string) {
  return toBase64Url((await hmacSha256(secret, `form-token:${articleId}:${issuedAt}:${nonce}`)).slice(0, 18))
}

/** The nonce makes every token unique: two readers served the same article in the same second get two tokens. */
export async function issueFormToken(secret: string, articleId: string, now: Date): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000)
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(9)))
  return `${issuedAt.toString(36)}.${nonce}.${await sign(secret, articleId, issuedAt, nonce)}`
}

/** A form left open longer than this is stale: its token no longer vouches for anything. */
export const FORM_TOKEN_TTL_SECONDS = 24 * 60 * 60

/** Seconds since the token was issued, or 'invalid' when it was not issued by us for this article. */
export async function formTokenAge(secret: string, articleId: string, token: string, now: Date): Promise<number | 'invalid'> {
  const [stamp, nonce, signature, ...rest] = token.split('.')
  if (!stamp || !nonce || !signature || rest.length > 0 || !/^[0-9a-z]{1,10}$/.test(stamp) || !/^[A-Za-z0-9_-]{12}$/.test(nonce))
    return 'invalid'
  const issuedAt = Number.parseInt(stamp, 36)
  const expected = await sign(secret, articleId, issuedAt, nonce)
  if (!timingSafeEqual(expected, signature)) return 'invalid'
  const age = now.getTime() / 1000 - issuedAt
  return age < -5 ? 'invalid' : Math.max(0, age)
}

/**
 * What a post's form token says about it: its age in seconds, or why it vouches for nothing. Each token
 * is good for one post: the first use is recorded (until the token would expire anyway).
 */
export async function checkFormToken(
  db: Executor,
  secret: string,
  articleId: string,
  token: string | undefined,
  now: Date,
): Promise<number | 'missing' | 'invalid' | 'expired' | 'reused'> {
  const use = await formTokenUse(secret, articleId, token, now)
  if (typeof use !== 'object') return use
  const { hits } = await db
    .insertInto('rate_limits')
    .values({ bucket: use.bucket, hits: 1, expires_at: use.expiresAt })
    .onConflict((oc) => oc.column('bucket').doUpdateSet({ hits: sql`rate_limits.hits + 1` }))
    .returning('hits')
    .executeTakeFirstOrThrow()
  return use.verdict(hits)
}

/**
 * The half of checkFormToken that needs no database: why a token vouches for nothing, or the counter its
 * first use is recorded in (for a caller that records it inside a larger statement) and what a count means.
 */
export async function formTokenUse(
  secret: string,
  articleId: string,
  token: string | undefined,
  now: Date,
): Promise<'missing' | 'invalid' | 'expired' | { bucket: string; expiresAt: Date; verdict: (hits: number) => number | 'reused' }> {
  if (!token) return 'missing'
  const age = await formTokenAge(secret, articleId, token, now)
  if (age === 'invalid') return 'invalid'
  if (age > FORM_TOKEN_TTL_SECONDS) return 'expired'
  return {
    bucket: `form-token:${token}`,
    expiresAt: new Date(now.getTime() + (FORM_TOKEN_TTL_SECONDS - age) * 1000),
    verdict: (hits) => (hits > 1 ? 'reused' : age),
  }
}
