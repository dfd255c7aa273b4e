// What the desk taught, as training examples: every approval and every rejection for abuse
// (screening_examples), and the implicit approvals: comments the screening published at least a day
// before training starts, still published, never held, rejected or reported. An erased commenter's
// comments are in neither: erasure deletes their examples and blanks their comments.
import { sql } from 'kysely'
import type { Db, ScreeningRecord } from '../platform/db/database.js'
import { exampleLabel } from '../screening/screening.examples.js'
import { type Language, detectLanguage } from '../screening/screening.features.js'
import { tokenize } from '../screening/screening.normalize.js'
import { IMPLICIT_AFTER_MS, type SiteExample } from '../screening/screening.site-train.js'

/** The newest implicit approvals taken, at most: enough for the site's vocabulary, and within the training budget. */
export const MAX_IMPLICIT_APPROVALS = 10_000

/** Rules that hold for what a comment says or how it looks (not a policy, not the model): their holds stay whatever the model says. */
const CONTENT_RULES = new Set(['banned_word', 'suspect_word', 'links', 'shouting', 'repetition'])

const heldByRules = (screening: ScreeningRecord | null) =>
  (screening?.reasons ?? []).some((r) => r.verdict !== 'publish' && CONTENT_RULES.has(r.rule))

const languageOf = (stored: string | null, text: string): Language =>
  stored === 'ar' || stored === 'en' ? stored : detectLanguage(tokenize(text))

export async function loadExamples(db: Db, startedAt: Date, maxImplicit = MAX_IMPLICIT_APPROVALS): Promise<SiteExample[]> {
  const decided = await db
    .selectFrom('screening_examples as e')
    .leftJoin('comments as c', 'c.id', 'e.comment_id')
    .select(['e.comment_id', 'e.text', 'e.language', 'e.decision', 'e.reason', 'e.decided_at', 'c.screening', 'c.created_at'])
    .where('e.decided_at', '<=', startedAt)
    .execute()
  const examples: SiteExample[] = []
  for (const row of decided) {
    const label = exampleLabel(row.decision, row.reason)
    if (!label) continue // rejected for spam, off-topic, a ban: not about abuse
    examples.push({
      id: row.comment_id,
      text: row.text,
      language: languageOf(row.language, row.text),
      label,
      kind: 'decision',
      decidedAt: new Date(row.decided_at),
      heldByRules: heldByRules(row.screening),
      ...(row.screening?.verdict === 'publish' && row.created_at ? { publishedAt: new Date(row.created_at) } : {}),
    })
  }
  const published = await db
    .selectFrom('comments as c')
    .select(['c.id', 'c.body', 'c.created_at'])
    .where('c.status', '=', 'approved')
    .where('c.deleted', '=', false)
    .where('c.shadow', '=', false)
    .where('c.created_at', '<=', new Date(startedAt.getTime() - IMPLICIT_AFTER_MS))
    // Published by the screening, never held for a moderator: one who released it either left an example
    // above, or released it unread (approve-below), which is no label, explicit or implicit.
    .where('c.first_decided_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('screening_examples as e').select(sql`1`.as('one')).whereRef('e.comment_id', '=', 'c.id'))),
    )
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('reports as r').select(sql`1`.as('one')).whereRef('r.comment_id', '=', 'c.id'))),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('moderation_actions as a')
            .select(sql`1`.as('one'))
            .whereRef('a.comment_id', '=', 'c.id')
            .where('a.to_status', '=', 'rejected'),
        ),
      ),
    )
    // Ties broken by id: imported comments share times, and the same data must give the same examples.
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(maxImplicit)
    .execute()
  for (const row of published) {
    examples.push({
      id: row.id,
      text: row.body,
      language: detectLanguage(tokenize(row.body)),
      label: 'clean',
      kind: 'implicit',
      decidedAt: new Date(row.created_at),
    })
  }
  return examples
}
