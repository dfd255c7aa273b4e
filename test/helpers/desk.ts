import type { Db } from '../../src/platform/db/database.js'
import type { SiteExample } from '../../src/screening/screening.site-train.js'

let seeded = 0

/**
 * A desk's past decisions, as approving and rejecting would have left them: each a comment on one article
 * (approved, or rejected for abuse) and its example, decided at the example's time. Thousands of decisions
 * through the API would take minutes; what the job reads is these two tables.
 */
export async function seedDecisions(db: Db, examples: readonly SiteExample[]): Promise<void> {
  const article = `desk-${++seeded}`
  await db.insertInto('articles').values({ id: article, url: null, title: 'The desk' }).execute()
  const commenter = `desk-commenter-${seeded}`
  await db
    .insertInto('commenters')
    .values({
      id: commenter,
      email_normalized: null,
      email_canonical: null,
      email: null,
      name: 'Reader',
      sso_subject: null,
      verified_at: null,
      lang: null,
      suspended_until: null,
    })
    .execute()
  for (let i = 0; i < examples.length; i += 250) {
    const batch = examples.slice(i, i + 250)
    await db
      .insertInto('comments')
      .values(
        batch.map((e) => ({
          id: `${article}-${e.id}`,
          article_id: article,
          parent_id: null,
          root_id: null,
          commenter_id: commenter,
          author_name: 'Reader',
          body: e.text,
          status: e.label === 'abusive' ? ('rejected' as const) : ('approved' as const),
          screening: '{}',
          ip_hash: null,
          idempotency_key: null,
          reject_reason: e.label === 'abusive' ? 'abuse' : null,
          edited_at: null,
          first_decided_at: new Date(e.decidedAt),
          created_at: new Date(new Date(e.decidedAt).getTime() - 60_000),
        })),
      )
      .execute()
    await db
      .insertInto('screening_examples')
      .values(
        batch.map((e) => ({
          comment_id: `${article}-${e.id}`,
          text: e.text,
          language: e.language,
          decision: e.label === 'abusive' ? ('rejected' as const) : ('approved' as const),
          reason: e.label === 'abusive' ? 'abuse' : null,
          risk: 0,
          decided_at: new Date(e.decidedAt),
        })),
      )
      .execute()
  }
}
