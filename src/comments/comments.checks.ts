// What the write path asks the database before screening, in one statement: a first post with the same
// idempotency key, the article, the per-minute counters, the form token's first use, the bans, the thread
// a reply joins, the guest behind the typed email and what they posted lately. One round trip instead of
// nine: each statement costs the server's main thread more than the database's work does.
import { sql } from 'kysely'
import { normalizeEmail } from '../commenters/commenters.repository.js'
import { BANNED_ADDRESS_DAYS, type KeyedHash, keptBanSubjects } from '../commenters/commenters.restrictions.js'
import { canonicalEmail } from '../commenters/commenters.repository.js'
import type { ArticleRow, CommenterRow, Db } from '../platform/db/database.js'
import { type RateLimitResult, rateLimitWindow } from '../platform/lib/rate-limit.js'
import { formTokenUse } from '../screening/screening.form-token.js'
import type { ScreeningContext } from '../screening/screening.types.js'
import type { Writer } from './comments.writer.js'

/** Bodies posted again within this window by the same commenter are refused (the `duplicate` rule). */
export const REPEAT_WINDOW_MS = 10 * 60_000
const DAY_MS = 86_400_000

export interface CheckRequest {
  articleId: string
  writer: Writer
  idempotencyKey: string | undefined
  parentId: string | undefined
  formToken: string | undefined
  addressHash: string | null
  /** The site's per-minute limit; 0 counts nothing. */
  perMinute: number
  secret: string
  keyedHash: KeyedHash
  now: Date
}

export type ThreadMember = { status: string; shadow: boolean; commenter_id: string | null }
/** The guest a typed email stands for, as screening and the holds need them. */
export type GuestRow = Pick<CommenterRow, 'id' | 'status' | 'approved_count' | 'rejected_count' | 'suspended_until' | 'shadow_banned'>

export interface PostFacts {
  /** A comment with this idempotency key is stored already: the post is a retry (nothing was counted). */
  replay: boolean
  article: Pick<ArticleRow, 'comments_open' | 'created_at' | 'moderation_mode' | 'url' | 'title'> | undefined
  /** Each counter the post counted in, in order (the address's, then the writer's). */
  limits: RateLimitResult[]
  formAge: ScreeningContext['formAge']
  banned: 'email' | 'address' | null
  parent: (ThreadMember & { id: string; root_id: string | null; article_id: string }) | null
  root: ThreadMember | null
  /** Null for a verified reader, or a guest posting for the first time. */
  guest: GuestRow | null
  recentBodies: string[]
}

type Row = {
  replay: boolean
  article: (Omit<ArticleRow, 'created_at'> & { created_at: string }) | null
  ip_hits: number | null
  writer_hits: number | null
  token_hits: number | null
  banned_email: boolean
  banned_address: boolean
  kept: string[] | null
  parent: PostFacts['parent']
  root: ThreadMember | null
  guest: (Omit<GuestRow, 'suspended_until'> & { suspended_until: string | null }) | null
  recent: string[] | null
}

export async function checkPost(db: Db, r: CheckRequest): Promise<PostFacts> {
  const { writer, now } = r
  const writerKey = writer.reader ? `reader:${writer.reader.id}` : `email:${await r.keyedHash(`email:${normalizeEmail(writer.email)}`)}`
  const count = r.perMinute > 0
  const ipWindow = count && r.addressHash ? rateLimitWindow(`post:ip:${r.addressHash}`, 60, now) : null
  const writerWindow = count ? rateLimitWindow(`post:${writerKey}`, 60, now) : null
  const token = await formTokenUse(r.secret, r.articleId, r.formToken, now)
  const tokenUse = typeof token === 'object' ? token : null
  const kept = await keptBanSubjects(r.keyedHash, { email: writer.email, ipHash: r.addressHash })
  const guestEmail = writer.reader ? null : normalizeEmail(writer.email)
  const key = r.idempotencyKey ?? null
  const buckets = [ipWindow, writerWindow].filter((w) => w !== null)
  const counters = buckets.length
    ? sql`insert into rate_limits (bucket, hits, expires_at)
          select b, 1, ${buckets[0]!.expiresAt}::timestamptz from unnest(${buckets.map((w) => w.bucket)}::text[]) as b
          where not exists (select 1 from prev)
          on conflict (bucket) do update set hits = rate_limits.hits + 1
          returning bucket, hits`
    : sql`select null::text as bucket, null::int as hits where false`
  const { rows } = await sql<Row>`
    with prev as (
      select 1 from comments where article_id = ${r.articleId} and idempotency_key = ${key}::text
    ), counted as (${counters}
    ), token as (
      insert into rate_limits (bucket, hits, expires_at)
      select ${tokenUse?.bucket ?? null}::text, 1, ${tokenUse?.expiresAt ?? null}::timestamptz
      where ${tokenUse !== null}::boolean and not exists (select 1 from prev)
      on conflict (bucket) do update set hits = rate_limits.hits + 1
      returning hits
    ), guest as (
      select id, status, approved_count, rejected_count, suspended_until, shadow_banned
      from commenters where kind = 'guest' and email_normalized = ${guestEmail}::text
    ), parent as (
      select id, root_id, article_id, status, shadow, commenter_id from comments where id = ${r.parentId ?? null}::text
    )
    select
      exists (select 1 from prev) as replay,
      (select to_jsonb(a) from (select comments_open, created_at, moderation_mode, url, title from articles where id = ${r.articleId}) a) as article,
      (select hits from counted where bucket = ${ipWindow?.bucket ?? null}::text) as ip_hits,
      (select hits from counted where bucket = ${writerWindow?.bucket ?? null}::text) as writer_hits,
      (select hits from token) as token_hits,
      exists (select 1 from commenters where status = 'banned' and email_canonical = ${writer.email ? canonicalEmail(writer.email) : null}::text) as banned_email,
      -- From the few banned commenters to their recent comments, not from every comment of the address.
      exists (
        select 1 from commenters m
        where m.status = 'banned' and ${r.addressHash}::text is not null and exists (
          select 1 from comments c
          where c.commenter_id = m.id and c.ip_hash = ${r.addressHash}::text
            and c.created_at > ${new Date(now.getTime() - BANNED_ADDRESS_DAYS * DAY_MS)}::timestamptz
        )
      ) as banned_address,
      (select array_agg(subject_hash) from kept_restrictions
        where subject_hash in (${kept.email}::text, ${kept.address}::text) and kind = 'ban' and (ends_at is null or ends_at > ${now}::timestamptz)) as kept,
      (select to_jsonb(p) from parent p) as parent,
      (select to_jsonb(t) from (select status, shadow, commenter_id from comments where id = (select root_id from parent)) t) as root,
      (select to_jsonb(g) from guest g) as guest,
      (select array_agg(body) from (
        select body from comments
        where commenter_id = coalesce(${writer.reader?.id ?? null}::text, (select id from guest))
          and created_at > ${new Date(now.getTime() - REPEAT_WINDOW_MS)}::timestamptz
          and (${key}::text is null or idempotency_key is null or idempotency_key <> ${key}::text)
        order by created_at desc limit 20
      ) b) as recent`.execute(db)
  const row = rows[0]!
  const keptHashes = row.kept ?? []
  const limits: RateLimitResult[] = []
  if (ipWindow && row.ip_hits !== null) limits.push(ipWindow.result(row.ip_hits, r.perMinute))
  if (writerWindow && row.writer_hits !== null) limits.push(writerWindow.result(row.writer_hits, r.perMinute))
  return {
    replay: row.replay,
    article: row.article ? { ...row.article, created_at: new Date(row.article.created_at) } : undefined,
    limits,
    formAge: tokenUse
      ? row.token_hits === null
        ? 'reused'
        : tokenUse.verdict(row.token_hits)
      : (token as 'missing' | 'invalid' | 'expired'),
    // The order banSignal checks in: a living commenter's ban first, then what was kept of erased ones.
    banned: row.banned_email
      ? 'email'
      : row.banned_address
        ? 'address'
        : kept.email !== null && keptHashes.includes(kept.email)
          ? 'email'
          : keptHashes.length > 0
            ? 'address'
            : null,
    parent: row.parent,
    root: row.root,
    guest: row.guest ? { ...row.guest, suspended_until: row.guest.suspended_until ? new Date(row.guest.suspended_until) : null } : null,
    recentBodies: row.recent ?? [],
  }
}
