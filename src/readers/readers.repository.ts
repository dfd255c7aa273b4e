// Reader identities: one-time email codes, reader tokens and the commenters they stand for. Codes and
// tokens are stored only as hashes, so a copy of the database signs nobody in.
import type { CommenterRow, Db, Executor } from '../platform/db/database.js'
import { randomToken, sha256Hex, timingSafeEqual } from '../platform/lib/crypto.js'
import { newId } from '../platform/lib/ids.js'
import { canonicalEmail, normalizeEmail } from '../commenters/commenters.repository.js'
import { NOTICES } from '../platform/i18n/i18n.reader.js'
import { pickLanguage } from '../platform/i18n/i18n.js'

export const VERIFY_CODE_MINUTES = 30
/**
 * A reader stays signed in on a device while they use it: a token lasts READER_TOKEN_IDLE_DAYS from its
 * last use, and READER_TOKEN_MAX_DAYS at most, or until they sign out (on this device, or everywhere).
 */
export const READER_TOKEN_IDLE_DAYS = 30
export const READER_TOKEN_MAX_DAYS = 180
const DAY_MS = 86_400_000

export async function createVerifyCode(
  db: Db,
  input: { email: string; lang: string | null; nonce: string | null },
  now: Date,
): Promise<string> {
  const code = randomToken(24)
  await db
    .insertInto('reader_codes')
    .values({
      code_hash: await sha256Hex(code),
      email: input.email,
      lang: input.lang,
      nonce_hash: input.nonce === null ? null : await sha256Hex(`nonce:${input.nonce}`),
      expires_at: new Date(now.getTime() + VERIFY_CODE_MINUTES * 60_000),
    })
    .execute()
  // Codes a day past their end are pruned by the nightly retention job.
  return code
}

/**
 * Spends a code: it works once, within its 30 minutes, and a code asked for with a nonce only with that
 * nonce. A try without it spends the code too: a code seen by another browser than the one that asked
 * for it has leaked, and must not wait for whoever else saw it.
 */
export async function spendVerifyCode(db: Db, code: string, nonce: string | null, now: Date) {
  const spent = await db
    .updateTable('reader_codes')
    .set({ used_at: now })
    .where('code_hash', '=', await sha256Hex(code))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['email', 'lang', 'nonce_hash'])
    .executeTakeFirst()
  if (!spent) return undefined
  if (spent.nonce_hash !== null && (nonce === null || !timingSafeEqual(await sha256Hex(`nonce:${nonce}`), spent.nonce_hash)))
    return undefined
  return { email: spent.email, lang: spent.lang }
}

/**
 * The verified reader of a mailbox, created on its first proof. Their name is the one typed in the browser
 * that opened the link, or a neutral one (never the mailbox's local part: moderator@… is no moderator);
 * it is theirs to change, and no guest post ever renames them.
 */
export async function verifiedEmailReader(
  db: Executor,
  input: { email: string; name: string | null; lang: string | null },
  now: Date,
): Promise<CommenterRow> {
  const email = input.email.trim()
  const name = input.name ?? NOTICES[pickLanguage(input.lang)].unnamed
  return db
    .insertInto('commenters')
    .values({
      id: newId(),
      kind: 'email',
      email,
      email_normalized: normalizeEmail(email),
      email_canonical: canonicalEmail(email),
      name,
      lang: input.lang,
      verified_at: now,
    })
    .onConflict((oc) => oc.column('email_normalized').where('kind', '=', 'email').doUpdateSet({ verified_at: now, updated_at: now }))
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The reader a publisher's sign-in vouches for; the publisher stays the authority on their name and email. */
export async function ssoReader(
  db: Executor,
  claims: { subject: string; name: string; email: string | null },
  now: Date,
): Promise<CommenterRow> {
  const email = claims.email
  const identity = {
    name: claims.name,
    email,
    email_normalized: email ? normalizeEmail(email) : null,
    email_canonical: email ? canonicalEmail(email) : null,
  }
  return db
    .insertInto('commenters')
    .values({ id: newId(), kind: 'sso', sso_subject: claims.subject, verified_at: now, ...identity })
    .onConflict((oc) =>
      oc
        .column('sso_subject')
        .where('kind', '=', 'sso')
        .doUpdateSet({ ...identity, verified_at: now, updated_at: now }),
    )
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Spends a publisher's token that carries an id (jti): true the first time, false for a replay. */
export async function spendSsoToken(db: Executor, tokenId: string, expiresAt: Date, now: Date): Promise<boolean> {
  const spent = await db
    .insertInto('sso_token_uses')
    .values({ jti_hash: await sha256Hex(tokenId), expires_at: expiresAt })
    .onConflict((oc) => oc.column('jti_hash').doNothing())
    .returning('jti_hash')
    .executeTakeFirst()
  // An id is remembered only while its token could still be traded.
  await db.deleteFrom('sso_token_uses').where('expires_at', '<', now).execute()
  return spent !== undefined
}

/** A new reader token; `endsAt` shortens its life (an SSO sign-in lasts no longer than the publisher's token). */
export async function issueReaderToken(db: Executor, commenterId: string, now: Date, endsAt?: Date): Promise<string> {
  const token = randomToken(32)
  const longest = new Date(now.getTime() + READER_TOKEN_MAX_DAYS * DAY_MS)
  const ends = endsAt && endsAt < longest ? endsAt : longest
  const idle = new Date(now.getTime() + READER_TOKEN_IDLE_DAYS * DAY_MS)
  await db
    .insertInto('reader_tokens')
    .values({ token_hash: await sha256Hex(token), commenter_id: commenterId, expires_at: idle < ends ? idle : ends, ends_at: ends })
    .execute()
  // Tokens a day past their end are pruned by the nightly retention job.
  return token
}

/**
 * The verified reader a bearer token stands for, or null when it is unknown, expired or revoked. Using a
 * token moves its end to READER_TOKEN_IDLE_DAYS from now (up to its cap), once a day at most: one write a
 * day per device, not one per request.
 */
export async function readerByToken(db: Executor, token: string, now: Date): Promise<(CommenterRow & { token_hash: string }) | null> {
  const row = await db
    .selectFrom('reader_tokens as t')
    .innerJoin('commenters as c', 'c.id', 't.commenter_id')
    .selectAll('c')
    .select(['t.token_hash', 't.expires_at as token_expires_at', 't.ends_at as token_ends_at'])
    .where('t.token_hash', '=', await sha256Hex(token))
    .where('t.revoked_at', 'is', null)
    .where('t.expires_at', '>', now)
    .where('c.kind', '!=', 'guest')
    .executeTakeFirst()
  if (!row) return null
  const { token_expires_at: expiresAt, token_ends_at: endsAt, ...reader } = row
  const cap = new Date(endsAt).getTime()
  const slid = Math.min(now.getTime() + READER_TOKEN_IDLE_DAYS * DAY_MS, cap)
  const gain = slid - new Date(expiresAt).getTime()
  if (gain >= DAY_MS || (gain > 0 && slid === cap)) {
    await db
      .updateTable('reader_tokens')
      .set({ expires_at: new Date(slid) })
      .where('token_hash', '=', reader.token_hash)
      .execute()
  }
  return reader
}

export async function revokeReaderToken(db: Executor, tokenHash: string, now: Date) {
  await db.updateTable('reader_tokens').set({ revoked_at: now }).where('token_hash', '=', tokenHash).execute()
}

/** Signs a reader out everywhere: every token of theirs, on every device, ends now. Returns how many. */
export async function revokeReaderTokens(db: Executor, commenterId: string, now: Date): Promise<number> {
  const revoked = await db
    .updateTable('reader_tokens')
    .set({ revoked_at: now })
    .where('commenter_id', '=', commenterId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return Number(revoked.numUpdatedRows)
}
