import { createModerator } from '../../src/auth/auth.users.js'
import type { TestApp } from './test-app.js'

export const ADMIN = { username: 'editor', password: 'correct horse battery' }
export const MODERATOR = { username: 'mod', password: 'another long password' }

/** Creates the two test accounts and signs both in; returns their cookies. */
export async function signInBoth(t: TestApp) {
  await createModerator(t.db, ADMIN.username, ADMIN.password, 'admin')
  await createModerator(t.db, MODERATOR.username, MODERATOR.password, 'moderator')
  return { admin: await signIn(t, ADMIN), moderator: await signIn(t, MODERATOR) }
}

export async function signIn(t: TestApp, who: { username: string; password: string }, ip = '192.0.2.200'): Promise<string> {
  const res = await t.json('POST', '/api/v1/auth/login', who, { ip })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
  return sessionCookie(res)!
}

export function sessionCookie(res: Response): string | null {
  const header = res.headers.get('set-cookie')
  const match = header?.match(/nc_session=([^;]*)/)
  return match ? `nc_session=${match[1]}` : null
}

/** A moderator request as the browser UI makes it: same-origin, with the cookie. */
export function modRequest(t: TestApp, cookie: string | null, method: string, path: string, body?: unknown) {
  return t.json(method, path, body, { headers: { ...(cookie ? { cookie } : {}), 'sec-fetch-site': 'same-origin' } })
}
