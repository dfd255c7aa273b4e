import { hmacSha256, timingSafeEqual, toBase64Url } from '../platform/lib/crypto.js'

// A receipt is handed to the writer with their comment: only its holder may ask where the comment
// stands, so a list of ids tells a stranger nothing about other people's comments.

export async function commentReceipt(secret: string, commentId: string): Promise<string> {
  return toBase64Url((await hmacSha256(secret, `receipt:${commentId}`)).slice(0, 12))
}

export async function holdsReceipt(secret: string, commentId: string, receipt: string): Promise<boolean> {
  return timingSafeEqual(await commentReceipt(secret, commentId), receipt)
}
