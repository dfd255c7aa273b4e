// npm run train:screening end to end, on small data sets written here and a site's own decisions
// read from a real PostgreSQL database: figures printed, the file written, the same bytes twice.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../src/platform/db/connect-node.js'
import { type ModelFile, loadModel, scoreTokens } from '../src/screening/screening.model.js'
import { tokenize } from '../src/screening/screening.normalize.js'
import { dbKinds, openTestDb } from './helpers/test-db.js'

const run = promisify(execFile)

const INSULTS = [
  'you idiot',
  'stupid moron',
  'shut up idiot',
  'what a moron',
  'idiots and morons',
  'you are a stupid idiot',
  'moron',
  'total idiot',
]
const KIND = ['thank you', 'good report', 'thanks for this', 'a good piece', 'thank you all', 'well reported', 'good work', 'thanks again']
const AR_INSULTS = ['يا حمار', 'انت غبي', 'حمار غبي', 'يا غبي يا حمار', 'غبي جدا', 'حمير']
const AR_KIND = ['شكرا لكم', 'تقرير جيد', 'شكرا على التقرير', 'عمل جيد', 'شكرا جزيلا', 'تقرير مفيد']

function dataset(dir: string, name: string, lang: 'en' | 'ar', abusive: string[], clean: string[], tag: string) {
  const rows = [
    ...abusive.map((text) => ({ text: `${text} ${tag}`, label: 'abusive', lang, source: name, subtype: 'x' })),
    ...clean.map((text) => ({ text: `${text} ${tag}`, label: 'clean', lang, source: name, subtype: 'x' })),
  ]
  writeFileSync(join(dir, `${name}.jsonl`), rows.map((r) => JSON.stringify(r)).join('\n'))
}

describe.skipIf(!dbKinds().includes('postgres'))('npm run train:screening', () => {
  let connection: Connection & { url?: string }
  let dir: string

  beforeAll(async () => {
    connection = await openTestDb('postgres')
    dir = mkdtempSync(join(tmpdir(), 'nc-train-'))
    // Three sources per language, so each can be left out while the others still teach both classes.
    for (const [i, tag] of ['one', 'two', 'three'].entries()) {
      dataset(dir, `toy_en_${i}`, 'en', INSULTS, KIND, tag)
      dataset(dir, `osact2020_${i}`, 'ar', AR_INSULTS, AR_KIND, tag)
    }
    const db = connection.db
    await db.insertInto('articles').values({ id: 'site', url: null, title: null }).execute()
    await db.insertInto('commenters').values({ id: 'c1', email_normalized: 'a@example.org', email: 'a@example.org', name: 'A' }).execute()
    const decisions = [
      { id: '01m8f0000000000000000000a1', body: 'blorft the columnist', decision: 'rejected' as const },
      { id: '01m8f0000000000000000000a2', body: 'a careful report', decision: 'approved' as const },
      // Refused as spam: not a lesson about abuse, so not read.
      { id: '01m8f0000000000000000000a3', body: 'cheap flights', decision: 'rejected' as const, reason: 'spam' },
    ]
    for (const d of decisions) {
      await db
        .insertInto('comments')
        .values({
          id: d.id,
          article_id: 'site',
          parent_id: null,
          root_id: null,
          commenter_id: 'c1',
          author_name: 'A',
          body: d.body,
          status: d.decision,
          screening: '{}',
          ip_hash: null,
          idempotency_key: null,
        })
        .execute()
      await db
        .insertInto('screening_examples')
        .values({
          comment_id: d.id,
          text: d.body,
          language: 'en',
          decision: d.decision,
          reason: 'reason' in d ? d.reason : d.decision === 'rejected' ? 'abuse' : null,
          risk: 0,
        })
        .execute()
    }
  })

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true })
    await connection?.close()
  })

  const train = (out: string) =>
    run(join('node_modules', '.bin', 'tsx'), ['src/cli/train-screening.ts', '--data', dir, '--from-decisions', '--out', out], {
      env: { ...process.env, DATABASE_URL: connection.url!, NODE_ENV: 'test' },
      maxBuffer: 10 * 1024 * 1024,
    })

  it("prints cross-source and cross-validated figures, learns the site's decisions, and writes the same bytes twice", async () => {
    const first = join(dir, 'first.json')
    const second = join(dir, 'second.json')
    const { stdout } = await train(first)
    await train(second)
    expect(stdout).toContain('site decisions: 2 labelled comments')
    expect(stdout).toMatch(/Cross-source/)
    expect(stdout).toMatch(/5-fold CV en/)
    expect(readFileSync(first)).toEqual(readFileSync(second))

    const file = JSON.parse(readFileSync(first, 'utf8')) as ModelFile
    expect(file.trainedOn).toContain('site_decisions')
    expect((file.figures.crossSource as { source: string }[]).map((f) => f.source)).toContain('toy_en_0')
    const model = loadModel(file)
    const risk = (text: string) => scoreTokens(model, tokenize(text), text).risk
    expect(risk('you stupid idiot')).toBeGreaterThan(risk('thanks for the good report'))
    // A word only this site's moderators ever rejected now counts against a comment.
    expect(risk('blorft')).toBeGreaterThan(risk('careful'))
  }, 120_000)
})
