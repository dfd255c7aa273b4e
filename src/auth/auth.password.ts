import { timingSafeEqual, toBase64Url } from '../platform/lib/crypto.js'

// WebCrypto PBKDF2-SHA256: the same code on Node and Workers (~100 ms per hash at 600k iterations).
// The algorithm and iteration count live in the stored string, so they can be raised later.
export const PBKDF2_ITERATIONS = 600_000
const encoder = new TextEncoder()

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'))
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password.normalize('NFKC')), 'PBKDF2', false, ['deriveBits'])
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256)
  return new Uint8Array(bits)
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  return `pbkdf2-sha256$${iterations}$${toBase64Url(salt)}$${toBase64Url(await derive(password, salt, iterations))}`
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const [algorithm, iterationsText, saltText, hashText] = stored.split('$')
  const iterations = Number(iterationsText)
  if (algorithm !== 'pbkdf2-sha256' || !Number.isInteger(iterations) || iterations < 1 || !saltText || !hashText) return false
  const derived = toBase64Url(await derive(password, fromBase64Url(saltText), iterations))
  return timingSafeEqual(derived, hashText)
}

/** Verified against when the username is unknown, so both cases take the same time. */
let dummyHash: Promise<string> | null = null
export function timingDummyHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password')
  return dummyHash
}
