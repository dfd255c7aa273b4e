import { hmacSha256, timingSafeEqual, toBase64Url } from '../lib/crypto.js'

// A form token proves when (and for which article) the widget was served the form,
// so a post arriving faster than a human could type is recognisable without cookies.

async function sign(secret: string, articleId: string, issuedAt: number) {
  return toBase64Url((await hmacSha256(secret, `form-token:${articleId}:${issuedAt}`)).slice(0, 18))
}

export async function issueFormToken(secret: string, articleId: string, now: Date): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000)
  return `${issuedAt.toString(36)}.${await sign(secret, articleId, issuedAt)}`
}

/** Seconds since the token was issued, or 'invalid' when it was not issued by us for this article. */
export async function formTokenAge(
  secret: string,
  articleId: string,
  token: string,
  now: Date,
): Promise<number | 'invalid'> {
  const [stamp, signature] = token.split('.')
  if (!stamp || !signature || !/^[0-9a-z]{1,10}$/.test(stamp)) return 'invalid'
  const issuedAt = Number.parseInt(stamp, 36)
  const expected = await sign(secret, articleId, issuedAt)
  if (!timingSafeEqual(expected, signature)) return 'invalid'
  const age = now.getTime() / 1000 - issuedAt
  return age < -5 ? 'invalid' : Math.max(0, age)
}
