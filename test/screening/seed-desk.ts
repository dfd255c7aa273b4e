// npx tsx test/screening/seed-desk.ts --url postgres://… [--data DIR] [--decisions 5000] [--implicit 10000]
// Gives a database a desk's history for measuring the training budget through the job's own path
// (`npm run screening:learn`): rows of public sets (Arabic and English in turn) as comments, the first
// ones decided by moderators (approved, or rejected for abuse), the rest still published and never
// reported, so the job counts them as implicit approvals.
import { parseArgs } from 'node:util'
import { deskRows } from './desk-rows.js'
import { DEFAULT_DATASETS_DIR } from '../../src/cli/screening-datasets.js'
import { prepareDatabase } from '../../src/database.setup.js'
import { connectPostgres } from '../../src/platform/db/connect-pg.js'
import { runtimeLanguage } from '../../src/screening/screening.train.js'

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    data: { type: 'string', default: DEFAULT_DATASETS_DIR },
    decisions: { type: 'string', default: '5000' },
    implicit: { type: 'string', default: '10000' },
  },
})
if (!values.url) throw new Error('Pass --url postgres://…')
const rows = deskRows(values.data!)
const decisions = Number(values.decisions)
const total = decisions + Number(values.implicit)
const db = connectPostgres(values.url, { max: 2 })
await prepareDatabase(db)
await db.insertInto('articles').values({ id: 'desk', url: null, title: 'The desk' }).execute()
const start = Date.UTC(2026, 0, 1)
for (let i = 0; i < total; i += 500) {
  const batch = rows.slice(i, Math.min(i + 500, total)).map((row, k) => {
    const n = i + k
    const decided = n < decisions
    const abusive = decided && row.label === 'abusive'
    return { n, text: row.text, decided, abusive, at: new Date(start + n * 60_000) }
  })
  await db
    .insertInto('comments')
    .values(
      batch.map((r) => ({
        id: `desk-${String(r.n).padStart(7, '0')}`,
        article_id: 'desk',
        parent_id: null,
        root_id: null,
        commenter_id: null,
        author_name: 'Reader',
        body: r.text,
        status: r.abusive ? ('rejected' as const) : ('approved' as const),
        screening: '{}',
        ip_hash: null,
        idempotency_key: null,
        reject_reason: r.abusive ? 'abuse' : null,
        edited_at: null,
        created_at: r.at,
      })),
    )
    .execute()
  const decided = batch.filter((r) => r.decided)
  if (decided.length) {
    await db
      .insertInto('screening_examples')
      .values(
        decided.map((r) => ({
          comment_id: `desk-${String(r.n).padStart(7, '0')}`,
          text: r.text,
          language: runtimeLanguage(r.text),
          decision: r.abusive ? ('rejected' as const) : ('approved' as const),
          reason: r.abusive ? 'abuse' : null,
          risk: 0,
          decided_at: r.at,
        })),
      )
      .execute()
  }
}
console.log(`seeded ${decisions} decisions and ${total - decisions} published comments`)
await db.destroy()
