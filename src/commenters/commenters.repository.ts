import { type RawBuilder, sql } from 'kysely'
import type { CommenterRow, Db, Executor } from '../platform/db/database.js'
import { newId } from '../platform/lib/ids.js'

/** One commenter per email, whatever its case or surrounding spaces. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase()

const DOTLESS_DOMAINS = new Set(['gmail.com', 'googlemail.com'])

/**
 * The mailbox behind an address, for ban checks: "+tags" dropped everywhere, and dots too where the
 * provider ignores them ("tr.oll+x@gmail.com" is troll@gmail.com).
 */
export function canonicalEmail(email: string): string {
  const normalized = normalizeEmail(email)
  const at = normalized.lastIndexOf('@')
  if (at < 0) return normalized
  let local = normalized.slice(0, at).replace(/\+.*$/, '')
  let domain = normalized.slice(at + 1)
  if (DOTLESS_DOMAINS.has(domain)) {
    local = local.replaceAll('.', '')
    domain = 'gmail.com'
  }
  return `${local}@${domain}`
}

/**
 * The guest behind a typed email, created on their first comment. A later post never renames them: anyone
 * can type an email, and the comment keeps the name it was posted under. A verified reader of the same
 * mailbox is another row, which no guest post touches.
 */
export async function upsertGuest(db: Db, email: string, name: string): Promise<CommenterRow> {
  return db
    .insertInto('commenters')
    .values({ id: newId(), kind: 'guest', email_normalized: normalizeEmail(email), email_canonical: canonicalEmail(email), email, name })
    .onConflict((oc) =>
      oc
        .column('email_normalized')
        .where('kind', '=', 'guest')
        .doUpdateSet({ email_canonical: canonicalEmail(email), updated_at: new Date() }),
    )
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** A commenter's comments, every status, newest first: their page in the workspace. */
export async function commenterComments(db: Executor, commenterId: string, page: { cursor?: string | undefined; limit: number }) {
  let query = db
    .selectFrom('comments as c')
    .leftJoin('articles as a', 'a.id', 'c.article_id')
    .select([
      'c.id',
      'c.article_id',
      'c.body',
      'c.status',
      'c.shadow',
      'c.featured',
      'c.deleted',
      'c.reject_reason',
      'c.open_reports',
      'c.created_at',
      'a.title as article_title',
    ])
    .where('c.commenter_id', '=', commenterId)
  if (page.cursor) query = query.where('c.id', '<', page.cursor)
  const rows = await query
    .orderBy('c.id', 'desc')
    .limit(page.limit + 1)
    .execute()
  const hasMore = rows.length > page.limit
  const slice = hasMore ? rows.slice(0, page.limit) : rows
  return { comments: slice, nextCursor: hasMore ? slice.at(-1)!.id : null }
}

export function commenterNotes(db: Executor, commenterId: string) {
  return db
    .selectFrom('commenter_notes')
    .select(['id', 'moderator_name', 'body', 'created_at'])
    .where('commenter_id', '=', commenterId)
    .orderBy('id', 'desc')
    .execute()
}

/**
 * Commenters' approved and rejected tallies recounted from their comments (tombstones aside), after
 * changes too many to follow one by one (an import); status changes keep them in step one at a time.
 */
export async function recountTallies(db: Executor, commenterIds: RawBuilder<unknown>): Promise<void> {
  await sql`
    update commenters m set approved_count = x.approved, rejected_count = x.rejected
    from (
      select commenter_id,
             (count(*) filter (where status = 'approved' and not deleted))::int as approved,
             (count(*) filter (where status = 'rejected' and not deleted))::int as rejected
      from comments
      where commenter_id in (${commenterIds})
      group by commenter_id
    ) x
    where m.id = x.commenter_id and (m.approved_count <> x.approved or m.rejected_count <> x.rejected)`.execute(db)
}
