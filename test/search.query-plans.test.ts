import { type CompiledQuery, type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../src/platform/db/connect-node.js'
import type { Database } from '../src/platform/db/database.js'
import { searchComments, searchQuerySchema } from '../src/moderation/moderation.search.js'
import { type PlanNode, explain, tracingKysely } from './helpers/plans.js'
import { dbKinds, openTestDb } from './helpers/test-db.js'

// Search must find a rare word, name or email through its index, not by reading every comment: the
// plans are PostgreSQL's own, over enough rows that a sequential scan would otherwise be its choice.

const indexesUsed = (plan: PlanNode): string[] => [
  ...(plan['Index Name'] ? [plan['Index Name']] : []),
  ...(plan.Plans ?? []).flatMap(indexesUsed),
]
const filters = (plan: PlanNode & { Filter?: string }): string[] => [
  ...(plan.Filter ? [plan.Filter] : []),
  ...(plan.Plans ?? []).flatMap(filters),
]
const seqScans = (plan: PlanNode): string[] => [
  ...(plan['Node Type'] === 'Seq Scan' ? [plan['Relation Name']!] : []),
  ...(plan.Plans ?? []).flatMap(seqScans),
]

describe.skipIf(!dbKinds().includes('postgres'))('search query plans on PostgreSQL', () => {
  let connection: Connection & { url?: string }
  let traced: Kysely<Database>
  const captured: CompiledQuery[] = []

  /**
   * The plans of the search's statements, as one tree: a word is first looked for among the newest
   * comments (two small statements), then, when they hold less than a page, the search itself; the last
   * statement loads the page's comments and is left out.
   */
  const planOf = async (params: Record<string, string>): Promise<PlanNode> => {
    captured.length = 0
    await searchComments(traced, searchQuerySchema.parse(params))
    const plans: PlanNode[] = []
    for (const query of captured.slice(0, -1)) {
      plans.push(await explain(connection.db, query))
    }
    return { 'Node Type': 'Statements', Plans: plans }
  }

  beforeAll(async () => {
    connection = await openTestDb('postgres')
    const db = connection.db
    await sql`insert into articles (id, title) select 'plan-' || i, 'Article number ' || i from generate_series(1, 200) i`.execute(db)
    await sql`insert into commenters (id, name, email, email_normalized) select 'p' || i, 'Writer ' || i, 'writer' || i || '@mail' || (i % 50) || '.example', 'writer' || i || '@mail' || (i % 50) || '.example' from generate_series(1, 60000) i`.execute(
      db,
    )
    await sql`
      insert into comments (id, article_id, commenter_id, author_name, body, status)
      select lpad(i::text, 26, '0'), 'plan-' || (1 + i % 200), 'p' || (1 + i % 5000), 'Writer ' || (1 + i % 5000),
             'the aid convoy reached the village word' || i || ' وصلت القافلة', case when i % 3 = 0 then 'pending' else 'approved' end
      from generate_series(1, 40000) i`.execute(db)
    // Comments filed under no writer (imported without an email): found by their own name.
    await sql`
      insert into comments (id, article_id, author_name, body, status)
      select 'u' || lpad(i::text, 25, '0'), 'plan-' || (1 + i % 200), 'Ghost ' || i, 'unsigned words', 'approved'
      from generate_series(1, 300) i`.execute(db)
    await sql`vacuum analyze comments`.execute(db)
    await sql`analyze commenters`.execute(db)
    await sql`analyze articles`.execute(db)
    traced = tracingKysely(connection.url!, captured)
  }, 180_000)

  afterAll(async () => {
    await traced?.destroy()
    await connection?.close()
  })

  it('answers a common word from the newest comments and a rare one from the whole table', async () => {
    const common = await searchComments(connection.db, searchQuerySchema.parse({ q: 'convoy', limit: '5' }))
    expect(common.items.map((c) => c.id)).toEqual([40000, 39999, 39998, 39997, 39996].map((i) => String(i).padStart(26, '0')))
    const next = await searchComments(connection.db, searchQuerySchema.parse({ q: 'convoy', limit: '5', cursor: common.nextCursor! }))
    expect(next.items[0]!.id).toBe(String(39995).padStart(26, '0'))
    // Beyond the newest 20,000: found through the index all the same.
    const rare = await searchComments(connection.db, searchQuerySchema.parse({ q: 'word12345' }))
    expect(rare.items.map((c) => c.id)).toEqual([String(12345).padStart(26, '0')])
  })

  it('finds a rare word through the full-text index, with or without a queue', async () => {
    for (const params of [{ q: 'word12345' }, { q: 'word12345', queue: 'pending' }] as Record<string, string>[]) {
      const plan = await planOf(params)
      expect(indexesUsed(plan)).toContain('comments_search_words')
      expect(seqScans(plan)).not.toContain('comments')
    }
  })

  it('finds a fragment of a name or an email among the commenters, then reads their comments by keyset', async () => {
    for (const q of ['writer 4321', 'writer4321@']) {
      const plan = await planOf({ q })
      expect(indexesUsed(plan)).toContain(q.endsWith('@') ? 'commenters_search_email' : 'commenters_search_name')
      expect(indexesUsed(plan)).toContain('comments_commenter_id')
      expect(seqScans(plan)).not.toContain('comments')
    }
    expect(seqScans(await planOf({ q: 'writer 4321', queue: 'pending' }))).not.toContain('comments')
    const found = await searchComments(connection.db, searchQuerySchema.parse({ q: 'writer 4321' }))
    expect(found.items.length).toBeGreaterThan(0)
    expect(new Set(found.items.map((c) => c.commenter?.name))).toEqual(new Set(['Writer 4321']))
  })

  it('answers a fragment most writers share by walking the newest comments against their hashed ids', async () => {
    // 1,200 writers have an address at mail7.example: too many to read one by one.
    const plan = await planOf({ q: 'mail7.example' })
    expect(filters(plan).some((f) => f.includes('hashed SubPlan'))).toBe(true)
    expect(seqScans(plan)).not.toContain('comments')
    const found = await searchComments(connection.db, searchQuerySchema.parse({ q: 'mail7.example', limit: '5' }))
    const newest = await sql<{ id: string }>`
      select c.id from comments c join commenters m on m.id = c.commenter_id where m.email_normalized like '%mail7.example%'
      order by c.id desc limit 5`.execute(connection.db)
    expect(found.items.map((c) => c.id)).toEqual(newest.rows.map((r) => r.id))
  })

  it("answers a fragment nearly every writer shares by checking each newest comment's own writer", async () => {
    // 60,000 writers are named "Writer …": gathering them would cost more than walking a page of comments.
    const plan = await planOf({ q: 'writer' })
    expect(filters(plan).some((f) => f.includes('hashed SubPlan'))).toBe(false)
    expect(indexesUsed(plan)).toContain('commenters_pkey')
    expect(seqScans(plan)).not.toContain('comments')
    const found = await searchComments(connection.db, searchQuerySchema.parse({ q: 'writer', limit: '3' }))
    expect(found.items.map((c) => c.id)).toEqual([40000, 39999, 39998].map((i) => String(i).padStart(26, '0')))
  })

  it("finds an article by its title's fragment, then its comments by keyset, queue by queue", async () => {
    for (const params of [{ q: 'number 17' }, { q: 'number 17', queue: 'pending' }] as Record<string, string>[]) {
      const plan = await planOf(params)
      expect(indexesUsed(plan)).toContain('articles_search_title')
      expect(indexesUsed(plan)).toContain('comments_queue_article')
      expect(seqScans(plan)).not.toContain('comments')
    }
  })

  it('finds a comment filed under no writer by its own name', async () => {
    const plan = await planOf({ q: 'ghost 123' })
    expect(seqScans(plan)).not.toContain('comments')
    const found = await searchComments(connection.db, searchQuerySchema.parse({ q: 'ghost 123' }))
    expect(found.items.map((c) => c.authorName)).toEqual(['Ghost 123'])
  })
})
