// A commenter's data download (GDPR art. 15): everything stored about them and their comments, and every
// decision taken about them with its reason code. Not who decided (moderators' names and ids), not what
// moderators wrote to each other (a ban's reason, a note), not screening's internals (matched words,
// scores, the model's weights): those are about the site's moderation, and would teach evasion.
import type { Db, ScreeningRecord } from '../platform/db/database.js'
import { toPublicComment } from '../comments/comments.mapper.js'
import { SELF_SERVICE, WRITER } from '../audit/audit.log.js'
import { splitRejectReason } from '../comments/comments.statuses.js'
import { notFound } from '../platform/lib/errors.js'
import { toCommenterView } from '../commenters/commenters.mapper.js'

/** Why a comment was turned down, as a code: spam, abuse, off_topic, misinformation, other, commenter_banned. */
function rejectionCode(reason: string | null): string {
  return reason === 'commenter banned' ? 'commenter_banned' : splitRejectReason(reason).reason
}

/** What screening decided and by which rules; never the words it matched or how sure it was. */
function screeningOutcome(record: ScreeningRecord) {
  return { verdict: record.verdict ?? null, rules: [...new Set((record.reasons ?? []).map((r) => r.rule))] }
}

/** Who took a decision, without naming a moderator: a moderator, the automatic screening, or the reader. */
function decidedBy(actor: { actor_id: string | null; actor_name: string }): 'moderator' | 'automatic' | 'you' {
  if (actor.actor_id !== null) return 'moderator'
  return actor.actor_name === SELF_SERVICE.name || actor.actor_name === WRITER.name ? 'you' : 'automatic'
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null)

/** Everything stored about one commenter, as they may read it: their own data download, or an admin's answer to their request. */
export async function exportCommenter(db: Db, id: string, now = new Date()) {
  const row = await db.selectFrom('commenters').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('Commenter')
  const comments = await db
    .selectFrom('comments')
    .select([
      'id',
      'article_id',
      'parent_id',
      'author_name',
      'body',
      'status',
      'featured',
      'verified',
      'edited_at',
      'deleted',
      'respect_count',
      'created_at',
      'updated_at',
      'screening',
      'reject_reason',
    ])
    .where('commenter_id', '=', id)
    .orderBy('id')
    .execute()
  const decisions = await db
    .selectFrom('moderation_actions')
    .select(['action', 'actor_id', 'actor_name', 'reason', 'from_status', 'to_status', 'created_at', 'comment_id'])
    .where('commenter_id', '=', id)
    .orderBy('id')
    .execute()
  return {
    exportedAt: now.toISOString(),
    commenter: toCommenterView(row),
    mail: { language: row.lang, notifications: row.notify, verifiedAt: iso(row.verified_at) },
    comments: comments.map((c) => ({
      ...toPublicComment(c, c.status),
      updatedAt: iso(c.updated_at),
      screening: screeningOutcome(c.screening),
      rejectReason: c.status === 'rejected' ? rejectionCode(c.reject_reason) : null,
    })),
    // Earlier texts of comments they edited.
    revisions: await db
      .selectFrom('comment_revisions as r')
      .innerJoin('comments as c', 'c.id', 'r.comment_id')
      .select(['r.comment_id as commentId', 'r.body', 'r.created_at as replacedAt'])
      .where('c.commenter_id', '=', id)
      .orderBy('r.id')
      .execute(),
    moderation: decisions.map((d) => ({
      action: d.action,
      by: decidedBy(d),
      from: d.from_status,
      to: d.to_status,
      // Screening's reasons are the comment's `screening.rules`; its words for moderators stay with them.
      reason: d.to_status === 'rejected' && d.action !== 'screened' ? rejectionCode(d.reason) : null,
      at: iso(d.created_at),
      commentId: d.comment_id,
    })),
    // The comments they gave a respect to (counts are public; who gave them is not).
    respected: (
      await db.selectFrom('comment_reactions').select('comment_id').where('reactor', '=', `r:${id}`).orderBy('comment_id').execute()
    ).map((r) => r.comment_id),
    note: 'IP addresses are never stored; only a keyed hash is kept for rate limiting and abuse control. Decisions show who took them (a moderator, the automatic screening, or you) and their reason code; moderators’ names and internal notes are not part of your data.',
  }
}
