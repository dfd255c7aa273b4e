import { type CompiledQuery, type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approvedCounts, countsStamp, listStamp } from '../src/articles/articles.repository.js'
import { findApprovedPage, findApprovedReplies } from '../src/comments/comments.repository.js'
import type { Connection } from '../src/platform/db/connect-node.js'
import type { Database } from '../src/platform/db/database.js'
import { listQueue, queueCounts } from '../src/moderation/moderation.queue.js'
import { seedArticle, seedPending } from '../bench/seed.js'
import { type PlanNode, explain, tracingKysely } from './helpers/plans.js'
import { dbKinds, openTestDb } from './helpers/test-db.js'

// The hot queries must stay index scans as tables grow: the plans are read from PostgreSQL itself,
// over tables seeded at a scale where a sequential scan would be the planner's natural choice if an
// index were missing or unusable.

function scans(plan: PlanNode): { type: string; relation?: string; index?: string }[] {
  const own =
    plan['Relation Name'] || plan['Index Name']
      ? [{ type: plan['Node Type'], relation: plan['Relation Name'], index: plan['Index Name'] }]
      : []
  return [...own, ...(plan.Plans ?? []).flatMap(scans)]
}

describe.skipIf(!dbKinds().includes('postgres'))('query plans at scale on PostgreSQL', () => {
  let connection: Connection
  let traced: Kysely<Database>
  const captured: CompiledQuery[] = []

  const planOf = async (run: (db: Kysely<Database>) => Promise<unknown>) => {
    captured.length = 0
    await run(traced)
    const plans = []
    for (const query of captured) {
      plans.push(...scans(await explain(connection.db, query)))
    }
    return plans
  }
  const expectIndexOnly = (plan: { type: string; relation?: string; index?: string }[]) => {
    expect(plan.length).toBeGreaterThan(0)
    expect(plan.filter((s) => s.relation === 'comments' && s.type === 'Seq Scan')).toEqual([])
    // A bitmap heap scan reads the rows its bitmap index scans (checked as any other index scan) point to.
    expect(plan.filter((s) => s.relation === 'comments' && s.type !== 'Bitmap Heap Scan' && !s.index?.startsWith('comments_'))).toEqual([])
    expect(
      plan.filter((s) => s.type === 'Bitmap Index Scan' && !s.index?.startsWith('comments_') && !s.index?.startsWith('articles_')),
    ).toEqual([])
  }

  beforeAll(async () => {
    const db = await openTestDb('postgres')
    connection = db
    await seedArticle(db.db, 'big-article', 10_000, 2_000)
    await seedPending(db.db, 30_000, 20)
    await sql`vacuum analyze comments`.execute(db.db)
    await sql`analyze articles`.execute(db.db)
    traced = tracingKysely(db.url!, captured, 2)
  }, 180_000)

  afterAll(async () => {
    await traced?.destroy()
    await connection?.close()
  })

  it('reads a page of one article, and a deep page, through the public indexes', async () => {
    const first = await planOf((db) => findApprovedPage(db, 'big-article', { sort: 'newest', limit: 20 }))
    expectIndexOnly(first)
    const page = await findApprovedPage(connection.db, 'big-article', { sort: 'newest', limit: 100 })
    const deep = await planOf((db) => findApprovedPage(db, 'big-article', { sort: 'oldest', cursor: page.nextCursor!, limit: 20 }))
    expectIndexOnly(deep)
    const replies = await planOf((db) => findApprovedReplies(db, page.comments[0]!.id, { limit: 20 }))
    expectIndexOnly(replies)
  })

  it('reads the moderation queues and their counts through the queue indexes', async () => {
    for (const queue of ['pending', 'flagged', 'reported', 'rejected', 'featured'] as const) {
      expectIndexOnly(await planOf((db) => listQueue(db, { queue, limit: 20 })))
      expectIndexOnly(await planOf((db) => listQueue(db, { queue, articleId: 'queue-3', limit: 20 })))
      expectIndexOnly(await planOf((db) => listQueue(db, { queue, sort: 'newest', limit: 20 })))
    }
    // Riskiest first, and a later page by its (risk, id) cursor.
    const first = await listQueue(connection.db, { queue: 'pending', limit: 20 })
    expect(first.nextCursor).toMatch(/~/)
    for (const articleId of [undefined, 'queue-3']) {
      expectIndexOnly(await planOf((db) => listQueue(db, { queue: 'pending', articleId, cursor: first.nextCursor!, limit: 20 })))
    }
    expectIndexOnly(await planOf((db) => queueCounts(db, 'queue-3')))
  })

  it('answers counts and cache stamps from the articles table, never scanning comments', async () => {
    for (const run of [
      (db: Kysely<Database>) => approvedCounts(db, ['big-article', 'queue-1', 'none']),
      (db: Kysely<Database>) => countsStamp(db, ['big-article', 'queue-1']),
      (db: Kysely<Database>) => listStamp(db, 'big-article', new Date()),
    ]) {
      const plan = await planOf(run)
      expect(plan.some((s) => s.relation === 'comments')).toBe(false)
    }
  })
})
