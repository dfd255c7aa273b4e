// Which comments readers see, and how many: a comment is visible when it is approved and so is the first
// comment of its thread (a held or refused root hides its replies). The public list, the article's count and
// every action that moves a status or removes comments read this one rule, in one of its three forms.
import { type ExpressionBuilder, type RawBuilder, sql } from 'kysely'
import type { CommentRow, Database, Executor, Tx } from '../platform/db/database.js'

/** The rule in SQL, for comment `c` with its thread's first comment `r` joined on `c.root_id` (left join). */
export const visibleRow = (c = 'c', r = 'r') =>
  sql<boolean>`(${sql.ref(`${c}.status`)} = 'approved' and (${sql.ref(`${c}.root_id`)} is null or ${sql.ref(`${r}.status`)} = 'approved'))`

/** The thread half of the rule, for queries over `comments` that already ask for approved rows. */
export function inVisibleThread(eb: ExpressionBuilder<Database, 'comments'>) {
  return eb.or([
    eb('comments.root_id', 'is', null),
    eb.exists(
      eb
        .selectFrom('comments as root')
        .select('root.id')
        .whereRef('root.id', '=', 'comments.root_id')
        .where('root.status', '=', 'approved'),
    ),
  ])
}

/**
 * The rule applied to one change, incrementally: how many comments readers see appear (or go) when one
 * is approved (or stops being). A thread's root brings its approved replies with it; a reply under a root
 * readers cannot see changes nothing.
 */
export async function visibleChange(trx: Tx, comment: Pick<CommentRow, 'id' | 'root_id'>, approvedDelta: number): Promise<number> {
  if (comment.root_id === null) {
    const { replies } = await trx
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('replies'))
      .where('root_id', '=', comment.id)
      .where('status', '=', 'approved')
      .executeTakeFirstOrThrow()
    return approvedDelta * (1 + Number(replies))
  }
  const root = await trx.selectFrom('comments').select('status').where('id', '=', comment.root_id).executeTakeFirst()
  return root?.status === 'approved' ? approvedDelta : 0
}

/**
 * The rule applied from scratch, after changes too many to follow one by one (an erasure, an import):
 * each article `articleIds` selects gets its visible count, and a new version for its cached lists.
 */
export async function recountVisible(db: Executor, articleIds: RawBuilder<unknown>): Promise<void> {
  await sql`
    update articles a set approved_count = x.n, version = a.version + 1, updated_at = now()
    from (
      select c.article_id, (count(*) filter (where ${visibleRow('c', 'r')}))::int as n
      from comments c left join comments r on r.id = c.root_id
      where c.article_id in (${articleIds})
      group by c.article_id
    ) x
    where a.id = x.article_id`.execute(db)
  // An article whose comments all went has no row above: it shows none.
  await sql`
    update articles a set approved_count = 0, version = a.version + 1, updated_at = now()
    where a.id in (${articleIds}) and a.approved_count <> 0
      and not exists (select 1 from comments c where c.article_id = a.id)`.execute(db)
}
