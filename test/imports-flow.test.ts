// Moving in and moving out: files from Disqus, WordPress and a CMS land as the public API shows them,
// twice is once, a dry run writes nothing, and an export restored elsewhere answers the same.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFile } from '../src/imports/imports.run.js'
import { exportDisqus, exportJsonl } from '../src/imports/imports.export.js'
import { dbKinds } from './helpers/test-db.js'
import { fixture, publicList, tableCounts } from './helpers/imports.js'
import { signInBoth } from './helpers/moderators.js'
import { createTestApp, type TestApp } from './helpers/test-app.js'

async function writeFile(path: string, produce: (write: (text: string) => Promise<void>) => Promise<unknown>) {
  const out = createWriteStream(path, { encoding: 'utf8' })
  await produce(async (text) => {
    if (!out.write(text)) await once(out, 'drain')
  })
  out.end()
  await once(out, 'finish')
}

describe.each(dbKinds())('imports on %s', (kind) => {
  let t: TestApp
  let dir: string
  beforeAll(async () => {
    t = await createTestApp(kind)
    dir = mkdtempSync(join(tmpdir(), 'nc-imports-'))
  })
  afterAll(async () => {
    await t?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('a dry run reads the whole file and writes nothing', async () => {
    const result = await importFile(t.db, 'disqus', fixture('syria.disqus.xml'), { dryRun: true })
    expect(result.ok).toBe(true)
    expect(result.summary.comments.read).toBe(9)
    expect(result.summary.comments.byStatus).toEqual({ approved: 7, pending: 0, rejected: 1, removed: 1 })
    expect(result.summary.bad).toBe(2)
    expect(await tableCounts(t)).toEqual({ comments: 0, articles: 0, commenters: 0 })
    expect(await t.db.selectFrom('imports').selectAll().execute()).toEqual([])
  })

  it('imports a Disqus file: threads, replies before their parents, deleted and spam posts, dates, Arabic', async () => {
    const result = await importFile(t.db, 'disqus', fixture('syria.disqus.xml'))
    expect(result.ok).toBe(true)
    const s = result.summary
    expect(s.articles.added).toBe(3)
    expect(s.comments.added).toBe(9)
    expect(s.comments.byStatus).toEqual({ approved: 7, pending: 0, rejected: 1, removed: 1 })
    // The deleted thread and its post are counted apart.
    expect(s.skipped).toEqual({ 'thread deleted at the source': 1, 'post in a thread deleted at the source': 1 })
    expect(s.errors.map((e) => e.line)).toEqual([145, 154])
    expect(s.orphans).toBe(0)

    const idlib = await publicList(t, '2020-02-29-idlib')
    // Tom's comment, the tombstone holding Karim's reply; the spam stays out.
    expect(idlib.comments.map((c) => c.authorName)).toEqual(['Tom W.', '[deleted]'])
    const [tom, tombstone] = idlib.comments
    expect(tom!.createdAt).toBe('2020-02-29T09:00:00.000Z')
    expect(tom!.body).toBe(
      'The reporting from Saraqib is the clearest I have read.\n\nNearly a million people have moved since December.\nWhere are they supposed to go?',
    )
    // Rania's reply was listed before Tom's comment; Tom's answer to her is one level deeper.
    expect(tom!.replies.map((r) => r.body)).toEqual([
      'Agreed — and the roads north to the border are closed.',
      'See the UN figures: https://data.example.org/syria/displacement-2020',
    ])
    expect(tom!.replies[1]!.parentId).not.toBe(tom!.id)
    expect(tombstone!.deleted).toBe(true)
    expect(tombstone!.body).toBe('')
    expect(tombstone!.replies.map((r) => r.body)).toEqual(['Still answering the withdrawn comment: thanks for the correction.'])
    // The tombstone counts, as the app counts one a reader leaves.
    expect(idlib.article.commentCount).toBe(5)

    const ceasefire = await publicList(t, 'https://news.example/ar/2020/03/05/ceasefire-moscow')
    expect(ceasefire.comments[0]!.authorName).toBe('ليلى')
    expect(ceasefire.comments[0]!.replies[0]!.body).toBe('الاتفاق لا يذكر المعابر <الإنسانية> 🇸🇾')
    const article = await t.db
      .selectFrom('articles')
      .selectAll()
      .where('id', '=', 'https://news.example/ar/2020/03/05/ceasefire-moscow')
      .executeTakeFirstOrThrow()
    expect(article.comments_open).toBe(false)

    // The thread without a link or identifier still has its comment.
    expect((await publicList(t, 'disqus-7102')).comments).toHaveLength(1)

    const counts = await t.db.selectFrom('imports').selectAll().execute()
    expect(counts).toHaveLength(1)
    expect(counts[0]).toMatchObject({ format: 'disqus', file: 'syria.disqus.xml', status: 'done' })
    // No IP survives an import, and guests are one per email.
    expect(await t.db.selectFrom('comments').select('id').where('ip_hash', 'is not', null).execute()).toEqual([])
    const tom2 = await t.db
      .selectFrom('commenters')
      .selectAll()
      .where('email_normalized', '=', 'tom.w@example.org')
      .executeTakeFirstOrThrow()
    expect(tom2).toMatchObject({ kind: 'guest', approved_count: 2, rejected_count: 0 })
  })

  it('running the same file again adds nothing', async () => {
    const before = await tableCounts(t)
    const listBefore = await publicList(t, '2020-02-29-idlib')
    const result = await importFile(t.db, 'disqus', fixture('syria.disqus.xml'))
    expect(result.ok).toBe(true)
    expect(result.summary.comments.added).toBe(0)
    expect(result.summary.comments.alreadyPresent).toBe(9)
    expect(await tableCounts(t)).toEqual(before)
    expect(await publicList(t, '2020-02-29-idlib')).toEqual(listBefore)
  })

  it('an interrupted import is consistent where it stopped, and the same command finishes it', async () => {
    const fresh = await createTestApp(kind)
    try {
      const stop = { requested: false }
      const first = await importFile(fresh.db, 'disqus', fixture('syria.disqus.xml'), {
        batchSize: 2,
        stop,
        onBatch: () => (stop.requested = true),
      })
      expect(first.ok).toBe(true)
      expect(first.summary.stoppedAt).toBe('interrupted')
      expect(first.summary.comments.added).toBeLessThan(9)
      expect((await fresh.db.selectFrom('imports').select('status').executeTakeFirstOrThrow()).status).toBe('interrupted')
      // What is in is linked and counted: the article's count is what its list shows.
      const partial = await publicList(fresh, '2020-02-29-idlib')
      expect(partial.article.commentCount).toBe(partial.comments.reduce((n, c) => n + 1 + c.replies.length, 0))

      const second = await importFile(fresh.db, 'disqus', fixture('syria.disqus.xml'), { batchSize: 2 })
      expect(second.summary.comments.alreadyPresent).toBe(first.summary.comments.added)
      expect(first.summary.comments.added + second.summary.comments.added).toBe(9)
      const resumed = await publicList(fresh, '2020-02-29-idlib')
      const original = await publicList(t, '2020-02-29-idlib')
      const shape = (l: typeof resumed) => ({
        count: l.article.commentCount,
        threads: l.comments.map((c) => [c.authorName, c.body, c.replies.map((r) => r.body)]),
      })
      expect(shape(resumed)).toEqual(shape(original))
    } finally {
      await fresh.close()
    }
  })

  it('imports WordPress comments with their statuses and parents, and skips pingbacks', async () => {
    const result = await importFile(t.db, 'wordpress', fixture('syria.wordpress.xml'))
    expect(result.ok).toBe(true)
    expect(result.summary.comments.byStatus).toEqual({ approved: 3, pending: 1, rejected: 1, removed: 1 })
    expect(result.summary.skipped).toEqual({ 'pingbacks are not comments': 1 })
    expect(result.summary.articles.added).toBe(2)
    const souk = await publicList(t, 'https://news.example/2020/12/22/aleppo-souk/')
    expect(souk.comments.map((c) => c.authorName)).toEqual(['Nadia'])
    expect(souk.comments[0]!.replies.map((r) => r.body)).toEqual(['حلب ستعود كما كانت، شكراً على التقرير', 'Inshallah & thank you.'])
    expect(souk.article.commentCount).toBe(3)
    const pending = await t.json('GET', `/api/v1/counts?articles=${encodeURIComponent('https://news.example/2020/12/22/aleppo-souk/')}`)
    expect((await pending.json()).counts['https://news.example/2020/12/22/aleppo-souk/']).toBe(3)
  })

  it('imports JSON lines, naming each bad line', async () => {
    const result = await importFile(t.db, 'jsonl', fixture('cms.jsonl'))
    expect(result.ok).toBe(true)
    expect(result.summary.comments.added).toBe(4)
    expect(result.summary.errors.map((e) => e.line)).toEqual([4, 5])
    const list = await publicList(t, '2021-03-15-ten-years')
    expect(list.comments.map((c) => c.body)).toEqual(['Ten years. I was 15 when it started.'])
    expect(list.comments[0]!.replies[0]!.body).toBe('عشر سنوات من الانتظار')
  })

  it("with --screen, the site's screening decides: under pre-moderation every comment waits", async () => {
    await t.settings({ moderationMode: 'pre' })
    try {
      const result = await importFile(t.db, 'jsonl', fixture('cms.jsonl'), { screen: true, source: 'jsonl-screened' })
      // The spam stays rejected; the rest, approved at the source, waits for a moderator here.
      expect(result.summary.comments.byStatus).toEqual({ approved: 0, pending: 3, rejected: 1, removed: 0 })
      const screened = await t.db
        .selectFrom('comments')
        .select('screening')
        .where('source', '=', 'jsonl-screened')
        .where('status', '=', 'pending')
        .execute()
      expect(screened.every((r) => r.screening.reasons?.some((reason) => reason.rule === 'moderation_mode'))).toBe(true)
    } finally {
      await t.settings({ moderationMode: 'post' })
    }
  })

  it('stops at --max-errors with a clear message, and a malformed file names its line', async () => {
    const limited = await importFile(t.db, 'jsonl', fixture('cms.jsonl'), { maxErrors: 1, source: 'jsonl-limited' })
    expect(limited).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^stopped after 1 bad rows \(--max-errors 1\); the last at line 4: not JSON/),
    })
    const malformed = await importFile(t.db, 'disqus', fixture('malformed.disqus.xml'), { source: 'disqus-malformed' })
    expect(malformed).toMatchObject({ ok: false, error: 'malformed file at line 19: unexpected close tag.' })
    // What came before the break is in and consistent; the run is recorded as failed.
    expect(malformed.summary.comments.added).toBeGreaterThanOrEqual(1)
    const run = await t.db.selectFrom('imports').selectAll().where('source', '=', 'disqus-malformed').executeTakeFirstOrThrow()
    expect(run).toMatchObject({ status: 'failed', error: 'malformed file at line 19: unexpected close tag.' })
    const wrongFormat = await importFile(t.db, 'wordpress', fixture('syria.disqus.xml'), { source: 'wrong' })
    expect(wrongFormat).toMatchObject({ ok: false, error: expect.stringContaining('not a WordPress export') })
  })

  it('shows administrators the past imports in /moderate, and nobody else', async () => {
    const { admin, moderator } = await signInBoth(t)
    const res = await t.app.request('/moderate/imports', { headers: { cookie: admin } })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('syria.disqus.xml')
    expect(html).toContain('syria.wordpress.xml')
    expect(html).toContain('malformed file at line 19')
    expect(html).toMatch(/approved 7, pending 0, rejected 1, removed 1/)
    expect((await t.app.request('/moderate/imports', { headers: { cookie: moderator } })).status).toBe(403)
  })

  it('an export restored into an empty database answers the same, article by article', async () => {
    const backup = join(dir, 'site.jsonl')
    await writeFile(backup, (write) => exportJsonl(t.db, write))
    const articleIds = (await t.db.selectFrom('articles').select('id').orderBy('id').execute()).map((a) => a.id)
    expect(articleIds.length).toBeGreaterThanOrEqual(6)

    const fresh = await createTestApp(kind)
    try {
      const restored = await importFile(fresh.db, 'backup', backup)
      expect(restored.ok).toBe(true)
      for (const id of articleIds) expect(await publicList(fresh, id)).toEqual(await publicList(t, id))
      expect(await tableCounts(fresh)).toEqual(await tableCounts(t))
      // A second restore over a site with comments is refused unless forced, and forced adds nothing.
      expect(await importFile(fresh.db, 'backup', backup)).toMatchObject({ ok: false, error: expect.stringContaining('--force') })
      const forced = await importFile(fresh.db, 'backup', backup, { force: true })
      expect(forced.summary.comments.added).toBe(0)
    } finally {
      await fresh.close()
    }
  })

  it('exports the settings without their secrets', async () => {
    const sso = 'sso-secret-that-must-never-leave-0123456789'
    const hook = 'webhook-secret-never-in-a-file'
    await t.settings({
      ssoSecret: sso,
      webhookSecret: hook,
      externalClassifierUrl: 'https://classifier.example/score?key=k3y-in-the-query',
    })
    try {
      const file = join(dir, 'secrets.jsonl')
      await writeFile(file, (write) => exportJsonl(t.db, write))
      const text = readFileSync(file, 'utf8')
      for (const secret of [sso, hook, 'k3y-in-the-query']) expect(text).not.toContain(secret)
      const site = text
        .split('\n')
        .map((l) => (l ? JSON.parse(l) : null))
        .find((row) => row?.type === 'setting' && row.key === 'site')
      expect(site.value).toMatchObject({ ssoSecret: null, webhookSecret: null, externalClassifierUrl: 'https://classifier.example/score' })
    } finally {
      await t.settings({ ssoSecret: null, webhookSecret: null, externalClassifierUrl: null })
    }
  })

  it('exports to Disqus, and that file imports elsewhere with its threads', async () => {
    const file = join(dir, 'site.disqus.xml')
    await writeFile(file, (write) => exportDisqus(t.db, write))
    const fresh = await createTestApp(kind)
    try {
      const result = await importFile(fresh.db, 'disqus', file)
      expect(result.ok).toBe(true)
      expect(result.summary.bad).toBe(0)
      const list = await publicList(fresh, '2020-02-29-idlib')
      const original = await publicList(t, '2020-02-29-idlib')
      // Two comments of the same second may swap places (new ids break the tie): compare them sorted.
      const shape = (l: typeof list) =>
        l.comments
          .map((c) => [c.createdAt, c.authorName, c.body, c.replies.map((r) => r.body)])
          .sort((a, b) => String(a).localeCompare(String(b)))
      expect(shape(list)).toEqual(shape(original))
    } finally {
      await fresh.close()
    }
  })
})
