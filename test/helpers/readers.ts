import { SignJWT } from 'jose'
import { expect } from 'vitest'
import { codeIn, takeMails } from './outbox.js'
import { PUBLISHER_ORIGIN, type TestApp, aFormToken } from './test-app.js'

export const SSO_SECRET = 'publisher-sso-secret-publisher-sso-secret-0123456789'
/** An article the tests' site knows, with its page on the publisher's site. */
export const KNOWN_ARTICLE = { id: 'identity-article', url: `${PUBLISHER_ORIGIN}/2020/02/29/identity` }

export interface SignedIn {
  readerToken: string
  reader: { id: string; name: string; email: string | null; verified: true }
}

export const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })

/** A publisher's sign-in token as its server would mint it; `lifetime` in seconds from `now`. */
export function ssoToken(now: Date, claims: Record<string, unknown>, options: { lifetime?: number; jti?: string } = {}) {
  const seconds = Math.floor(now.getTime() / 1000)
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(seconds)
    .setExpirationTime(seconds + (options.lifetime ?? 600))
  if (options.jti) jwt.setJti(options.jti)
  return jwt.sign(new TextEncoder().encode(SSO_SECRET))
}

/** Registers KNOWN_ARTICLE, as a first comment or a moderator would have. */
export async function knowArticle(t: TestApp) {
  await t.db
    .insertInto('articles')
    .values({ id: KNOWN_ARTICLE.id, url: KNOWN_ARTICLE.url, title: 'Identity' })
    .onConflict((oc) => oc.doNothing())
    .execute()
}

/** The code a verification request mails, taken from the outbox. */
export async function askForCode(t: TestApp, email: string, extra: Record<string, unknown> = {}, ip?: string): Promise<string> {
  const res = await t.json('POST', '/api/v1/readers/verify', { email, articleUrl: KNOWN_ARTICLE.url, ...extra }, ip ? { ip } : {})
  expect(res.status).toBe(202)
  const [mail] = await takeMails(t.db, 1)
  expect(mail?.to).toBe(email)
  return codeIn(mail!)!
}

/** Verifies a mailbox as a reader does: ask for the link, read the mail, trade the code. */
export async function verifyAs(t: TestApp, email: string, name?: string): Promise<SignedIn> {
  const code = await askForCode(t, email)
  const res = await t.json('POST', '/api/v1/readers/verify/confirm', { code, ...(name ? { name } : {}) })
  expect(res.status).toBe(200)
  return (await res.json()) as SignedIn
}

export async function signInBySso(t: TestApp, now: Date, claims: Record<string, unknown>): Promise<SignedIn> {
  const res = await t.json('POST', '/api/v1/readers/sso', { token: await ssoToken(now, claims) })
  expect(res.status).toBe(200)
  return (await res.json()) as SignedIn
}

/** A post as a signed-in reader, with the form token the widget would hold. */
export async function postAs(t: TestApp, token: string, articleId: string, body: string, now: Date, ip?: string) {
  return t.json(
    'POST',
    `/api/v1/articles/${articleId}/comments`,
    { body, formToken: await aFormToken(articleId, new Date(now.getTime() - 60_000)) },
    { ...bearer(token), ...(ip ? { ip } : {}) },
  )
}

export const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code
