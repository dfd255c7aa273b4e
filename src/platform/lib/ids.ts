const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'

/**
 * A 26-character, time-ordered id (ULID layout, lower-case Crockford base32).
 * Ordering by id is ordering by creation time, so keyset pagination needs one column.
 */
export function newId(now = Date.now()): string {
  let time = ''
  let t = now
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32]! + time
    t = Math.floor(t / 32)
  }
  const random = crypto.getRandomValues(new Uint8Array(16))
  let rest = ''
  for (let i = 0; i < 16; i++) rest += ALPHABET[random[i]! % 32]
  return time + rest
}

export const ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{26}$/

/** An unguessable id for things that are never ordered (anonymous reporters). */
export function randomTokenId(): string {
  return newId(0).slice(10)
}
