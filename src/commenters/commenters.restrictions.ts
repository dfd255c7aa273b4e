// Restrictions that outlive the account they were put on. Erasing a banned, suspended or shadow-banned
// commenter (their own "delete my account" included) keeps one row per restriction: a keyed hash of who
// they were, the restriction and its end. Nothing else: no name, no email, no words. A new account that
// proves the same mailbox or the same publisher's user id gets the restriction back; a guest post with
// that mailbox, or from an address the banned commenter used, is held as it would have been.
import { sql } from 'kysely'
import type { CommenterRow, Db, Executor, KeptRestrictionTable, Tx } from '../platform/db/database.js'
import { SYSTEM, writeAudit } from '../audit/audit.log.js'
import { canonicalEmail } from './commenters.repository.js'

/** The server's keyed hash (Services.keyedHash): the only form in which an erased commenter's identity is kept. */
export type KeyedHash = (value: string) => Promise<string>

type Kind = KeptRestrictionTable['kind']

const DAY_MS = 86_400_000
/** How long an address a banned commenter posted from stays suspect. */
export const BANNED_ADDRESS_DAYS = 30

/** Who a commenter is, in the forms a new account of theirs shows again: the mailbox, the publisher's user id. */
function identityHashes(hash: KeyedHash, who: Pick<CommenterRow, 'email' | 'sso_subject'>): Promise<string[]> {
  const subjects = [who.email ? `email:${canonicalEmail(who.email)}` : null, who.sso_subject ? `sso:${who.sso_subject}` : null]
  return Promise.all(subjects.filter((s) => s !== null).map((s) => hash(`restriction:${s}`)))
}

const addressHash = (hash: KeyedHash, ipHash: string) => hash(`restriction:address:${ipHash}`)

const inForce = (now: Date) => sql<boolean>`(ends_at is null or ends_at > ${now})`

/**
 * Keeps what restricts a commenter about to be erased; the caller erases them in the same transaction.
 * A ban also keeps the addresses they posted from in the last BANNED_ADDRESS_DAYS, each for as long as
 * it would have stayed suspect.
 */
export async function keepRestrictions(trx: Tx, hash: KeyedHash, commenter: CommenterRow, now: Date): Promise<void> {
  const kinds: { kind: Kind; ends_at: Date | null }[] = []
  if (commenter.status === 'banned') kinds.push({ kind: 'ban', ends_at: null })
  if (commenter.suspended_until && commenter.suspended_until > now) kinds.push({ kind: 'suspend', ends_at: commenter.suspended_until })
  if (commenter.shadow_banned) kinds.push({ kind: 'shadow_ban', ends_at: null })
  if (kinds.length === 0) return
  const rows = (await identityHashes(hash, commenter)).flatMap((subject_hash) => kinds.map((k) => ({ subject_hash, ...k })))
  if (commenter.status === 'banned') {
    const addresses = await trx
      .selectFrom('comments')
      .select(['ip_hash', (eb) => eb.fn.max('created_at').as('last')])
      .where('commenter_id', '=', commenter.id)
      .where('ip_hash', 'is not', null)
      .where('created_at', '>', new Date(now.getTime() - BANNED_ADDRESS_DAYS * DAY_MS))
      .groupBy('ip_hash')
      .execute()
    for (const a of addresses)
      rows.push({
        subject_hash: await addressHash(hash, a.ip_hash!),
        kind: 'ban',
        ends_at: new Date(new Date(a.last).getTime() + BANNED_ADDRESS_DAYS * DAY_MS),
      })
  }
  if (rows.length === 0) return
  await trx
    .insertInto('kept_restrictions')
    .values(rows)
    // Kept twice (two accounts of one mailbox): the longer holds, and "until lifted" is the longest.
    .onConflict((oc) =>
      oc.columns(['subject_hash', 'kind']).doUpdateSet({
        ends_at: sql`case when kept_restrictions.ends_at is null or excluded.ends_at is null then null else greatest(kept_restrictions.ends_at, excluded.ends_at) end`,
      }),
    )
    .execute()
  // Ended ones go as new ones come.
  await trx.deleteFrom('kept_restrictions').where('ends_at', '<', now).execute()
}

/**
 * Gives a commenter back what was kept from an erased account of theirs: called when a reader proves a
 * mailbox or trades a publisher's token. Returns the commenter as they now stand.
 */
export async function restoreRestrictions(db: Db, hash: KeyedHash, commenter: CommenterRow, now: Date): Promise<CommenterRow> {
  const subjects = await identityHashes(hash, commenter)
  if (subjects.length === 0) return commenter
  const kept = await db
    .selectFrom('kept_restrictions')
    .select(['kind', 'ends_at'])
    .where('subject_hash', 'in', subjects)
    .where(inForce(now))
    .execute()
  const ban = kept.some((k) => k.kind === 'ban') && commenter.status !== 'banned'
  const suspendedUntil = kept
    .filter((k) => k.kind === 'suspend' && k.ends_at)
    .reduce<Date | null>((latest, k) => (!latest || k.ends_at! > latest ? k.ends_at : latest), null)
  const suspend = suspendedUntil !== null && (!commenter.suspended_until || commenter.suspended_until < suspendedUntil)
  const shadow = kept.some((k) => k.kind === 'shadow_ban') && !commenter.shadow_banned
  if (!ban && !suspend && !shadow) return commenter
  return db.transaction().execute(async (trx) => {
    const restored = await trx
      .updateTable('commenters')
      .set({
        ...(ban && { status: 'banned' as const }),
        ...(suspend && { suspended_until: suspendedUntil }),
        ...(shadow && { shadow_banned: true }),
        updated_at: now,
      })
      .where('id', '=', commenter.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    const what = [ban && 'ban', suspend && `suspension until ${suspendedUntil!.toISOString()}`, shadow && 'shadow-ban']
      .filter(Boolean)
      .join(', ')
    await writeAudit(trx, {
      commenterId: commenter.id,
      actor: SYSTEM,
      action: 'restriction_kept',
      from: commenter.status,
      to: restored.status,
      reason: `${what}, kept from an erased account`,
    })
    return restored
  })
}

/** A moderator lifted restrictions: what was kept for this commenter's identities goes too. */
export async function forgetRestrictions(
  trx: Tx,
  hash: KeyedHash,
  commenter: Pick<CommenterRow, 'email' | 'sso_subject'>,
  kinds: Kind[],
): Promise<void> {
  const subjects = await identityHashes(hash, commenter)
  if (subjects.length === 0 || kinds.length === 0) return
  await trx.deleteFrom('kept_restrictions').where('subject_hash', 'in', subjects).where('kind', 'in', kinds).execute()
}

/**
 * Whether a post comes from a banned commenter under any spelling of their email, or from an address
 * a banned commenter posted from in the last BANNED_ADDRESS_DAYS; erased banned commenters included.
 * Either way the post is held, never refused: nobody can prove they own an email yet, so an answer must
 * not tell a stranger that an email is banned.
 */
export async function banSignal(
  db: Executor,
  hash: KeyedHash,
  about: { email: string | null; ipHash: string | null },
  now: Date,
): Promise<'email' | 'address' | null> {
  // Every commenter with an email has its canonical form (set on insert, back-filled by the migration).
  const byEmail =
    about.email === null
      ? null
      : await db
          .selectFrom('commenters')
          .select('id')
          .where('status', '=', 'banned')
          .where('email_canonical', '=', canonicalEmail(about.email))
          .executeTakeFirst()
  if (byEmail) return 'email'
  const byAddress =
    about.ipHash === null
      ? null
      : await db
          .selectFrom('comments as c')
          .innerJoin('commenters as m', 'm.id', 'c.commenter_id')
          .select('c.id')
          .where('c.ip_hash', '=', about.ipHash)
          .where('c.created_at', '>', new Date(now.getTime() - BANNED_ADDRESS_DAYS * DAY_MS))
          .where('m.status', '=', 'banned')
          .limit(1)
          .executeTakeFirst()
  if (byAddress) return 'address'
  return keptBan(db, hash, about, now)
}

/** The same, for commenters erased while banned: what keepRestrictions kept of them. */
async function keptBan(
  db: Executor,
  hash: KeyedHash,
  about: { email: string | null; ipHash: string | null },
  now: Date,
): Promise<'email' | 'address' | null> {
  const { email, address } = await keptBanSubjects(hash, about)
  const subjects = [email, address].filter((s) => s !== null)
  if (subjects.length === 0) return null
  const rows = await db
    .selectFrom('kept_restrictions')
    .select('subject_hash')
    .where('subject_hash', 'in', subjects)
    .where('kind', '=', 'ban')
    .where(inForce(now))
    .execute()
  if (rows.some((r) => r.subject_hash === email)) return 'email'
  return rows.length > 0 ? 'address' : null
}

/** What a post's email and address are kept as, once their commenter is erased (the rows keptBan looks for). */
export async function keptBanSubjects(hash: KeyedHash, about: { email: string | null; ipHash: string | null }) {
  return {
    email: about.email ? (await identityHashes(hash, { email: about.email, sso_subject: null }))[0]! : null,
    address: about.ipHash ? await addressHash(hash, about.ipHash) : null,
  }
}
