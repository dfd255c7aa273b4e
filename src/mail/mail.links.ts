import { hmacSha256, timingSafeEqual, toBase64Url } from '../platform/lib/crypto.js'

// A reader's unsubscribe and preferences links are signed with the server's key: they work without
// signing in (from any mail client), and only for the reader they were made for.
const signature = async (secret: string, commenterId: string) =>
  toBase64Url((await hmacSha256(secret, `mail-preferences:${commenterId}`)).slice(0, 18))

export async function readerLinks(origin: string, secret: string, commenterId: string) {
  const query = `r=${encodeURIComponent(commenterId)}&t=${await signature(secret, commenterId)}`
  return {
    unsubscribeUrl: `${origin}/api/v1/readers/unsubscribe?${query}`,
    preferencesUrl: `${origin}/readers/preferences?${query}`,
  }
}

export async function checkReaderLink(secret: string, commenterId: string, token: string): Promise<boolean> {
  return timingSafeEqual(await signature(secret, commenterId), token)
}
