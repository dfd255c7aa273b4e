// Moving in from Commento, Remark42 and Isso: each file, in its source's own format, lands as the public
// API shows it (replies, a deleted comment that holds its thread, Arabic, HTML), twice is once, and the
// run's options (dry run, --max-errors, resuming, progress) work as for the other formats.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFile } from '../src/imports/imports.run.js'
import { buildIssoDatabase, fixture, publicList, tableCounts } from './helpers/imports.js'
import { createTestApp, type TestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

type List = Awaited<ReturnType<typeof publicList>>
const threads = (list: List) =>
  list.comments.map((c) => [c.deleted ? '[deleted]' : c.authorName, c.body, c.replies.map((r) => [r.authorName, r.body])])

describe.each(dbKinds())('imports from peers on %s', (kind) => {
  let t: TestApp
  let dir: string
  beforeAll(async () => {
    t = await createTestApp(kind)
    dir = mkdtempSync(join(tmpdir(), 'nc-import-peers-'))
  })
  afterAll(async () => {
    await t?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** The file as its source hands it out: gzip, as Commento mails and Remark42 writes its backups. */
  const gzipped = (name: string) => {
    const path = join(dir, `${name}.gz`)
    writeFileSync(path, gzipSync(readFileSync(fixture(name))))
    return path
  }

  it('imports a Commento export, and the same file gzipped adds nothing', async () => {
    const dry = await importFile(t.db, 'commento', fixture('levant.commento.json'), { dryRun: true })
    expect(dry.ok).toBe(true)
    expect(dry.summary.comments.read).toBe(9)
    expect(await tableCounts(t)).toEqual({ comments: 0, articles: 0, commenters: 0 })

    const progress: [number, number][] = []
    const first = await importFile(t.db, 'commento', fixture('levant.commento.json'), {
      onProgress: (done, total) => progress.push([done, total]),
    })
    expect(first.ok).toBe(true)
    const s = first.summary
    expect(s.articles.added).toBe(2)
    expect(s.comments.byStatus).toEqual({ approved: 6, pending: 2, rejected: 0, removed: 1 })
    expect(s.commenters.added).toBe(3)
    expect(s.errors).toEqual([
      {
        line: expect.any(Number),
        reason: 'comment 5f7b9d1f3b5d7f9b1d3f5b7d9f1b3d5f7b9d1f3b5d7f9b1d3f5b7d9f1b3d5f7b has no valid creationDate',
      },
    ])
    const size = readFileSync(fixture('levant.commento.json')).length
    expect(progress.at(-1)).toEqual([size, size])

    const quake = await publicList(t, 'https://news.example/2023/02/06/earthquake-aleppo/')
    expect(quake.article.url).toBe('https://news.example/2023/02/06/earthquake-aleppo/')
    expect(threads(quake)).toEqual([
      [
        'Hassan R.',
        'The rescue teams in Jindires worked for days with their hands.\n\nThank you for naming them.',
        [['جنى', 'فقدنا بيت جدي في حلب. شكراً لأنكم لم تنسوا الشمال.']],
      ],
      ['[deleted]', '', [['Hassan R.', 'Still answering the removed comment: the crossing opened on the 9th.']]],
      ['Levant Daily', 'Donations go to the relief fund (https://relief.example.org/syria-turkey-2023), not to individuals.', []],
      ['Anonymous', 'Stay safe\nall of you.', []],
    ])
    // Unapproved and flagged comments wait for a moderator; nothing of them is public.
    const waiting = await t.db
      .selectFrom('comments')
      .select(['body', 'status'])
      .where('source', '=', 'commento')
      .where('status', '=', 'pending')
      .orderBy('created_at')
      .execute()
    expect(waiting.map((c) => c.body)).toEqual([
      'Waiting for a moderator: is the death toll in the north final?',
      'cheap flights cheap flights',
    ])
    expect(threads(await publicList(t, 'https://news.example/ar/2023/02/07/zilzal-halab/'))).toEqual([
      ['جنى', 'الرحمة للضحايا، والشكر لفرق الدفاع المدني.', []],
    ])

    const before = await tableCounts(t)
    const again = await importFile(t.db, 'commento', gzipped('levant.commento.json'))
    expect(again.ok).toBe(true)
    expect(again.summary.comments).toMatchObject({ added: 0, alreadyPresent: 9 })
    expect(await tableCounts(t)).toEqual(before)
  })

  it('stops a Commento import at --max-errors, and says what is not a Commento export', async () => {
    const limited = await importFile(t.db, 'commento', fixture('levant.commento.json'), { maxErrors: 1, source: 'commento-limited' })
    expect(limited).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^stopped after 1 bad rows \(--max-errors 1\); the last at line \d+: comment 5f7b9d1f/),
    })
    const disqus = await importFile(t.db, 'commento', fixture('syria.disqus.xml'), { source: 'commento-wrong' })
    expect(disqus).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        /^malformed file at line 1: not a Commento export.*this looks like a Disqus export: run "npm run import -- disqus FILE"$/,
      ),
    })
  })

  it('imports a Remark42 backup: read-only posts are closed, and the gzipped backup adds nothing', async () => {
    const first = await importFile(t.db, 'remark42', fixture('levant.remark42'))
    expect(first.ok).toBe(true)
    const s = first.summary
    expect(s.articles.added).toBe(3)
    expect(s.comments.byStatus).toEqual({ approved: 5, pending: 0, rejected: 0, removed: 1 })
    expect(s.errors).toEqual([{ line: 8, reason: 'comment 8a0c2e4a-6c8e-4a0c-9e2a-4c6e8a0c2e4b has no valid time ("yesterday")' }])

    const years = await publicList(t, 'https://news.example/2023/03/15/twelve-years/')
    expect(years.article).toMatchObject({ title: 'Twelve years: what Syrians told us', commentsOpen: false, commentCount: 5 })
    expect(threads(years)).toEqual([
      ['Fadi', 'Twelve years. I was in Daraa when it started.', [['سارة', 'وأنا كنت في حمص. ما زلنا ننتظر.']]],
      ['[deleted]', '', [['Fadi', 'Replying anyway: the numbers you quoted are from 2021.']]],
      [
        'Mona',
        'See the archive of the first protests (https://archive.example.org/daraa-2011):\n\n> We wrote on the school wall.\n\n- March 2011\n- Daraa',
        [],
      ],
    ])
    expect(threads(await publicList(t, 'https://news.example/ar/2023/03/16/ithna-ashar/'))).toEqual([['ليث', 'الحرية لكل المعتقلين', []]])
    // A post closed at the source with no comment in the file is closed here too.
    expect((await publicList(t, 'https://news.example/2023/03/01/archived-live-blog/')).article.commentsOpen).toBe(false)

    const again = await importFile(t.db, 'remark42', gzipped('levant.remark42'))
    expect(again.summary.comments).toMatchObject({ added: 0, alreadyPresent: 6 })
    const notABackup = await importFile(t.db, 'remark42', fixture('cms.jsonl'), { source: 'remark42-wrong' })
    expect(notABackup).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        /^malformed file at line 1: not a Remark42 backup.*this looks like JSON lines of comments: run "npm run import -- jsonl FILE"$/,
      ),
    })
  })

  it("imports Isso's SQLite database at the site's addresses, twice, and resumes an interrupted run", async () => {
    const database = join(dir, 'comments.db')
    await buildIssoDatabase(database)
    const siteUrl = 'https://news.example'

    const fresh = await createTestApp(kind)
    try {
      const stop = { requested: false }
      const progress: [number, number][] = []
      const partial = await importFile(fresh.db, 'isso', database, {
        siteUrl,
        batchSize: 2,
        stop,
        onBatch: () => (stop.requested = true),
        onProgress: (done, total) => progress.push([done, total]),
      })
      expect(partial.summary.stoppedAt).toBe('interrupted')
      // Progress counts the database's rows.
      expect(progress[0]![1]).toBe(6)
      const rest = await importFile(fresh.db, 'isso', database, { siteUrl })
      expect(partial.summary.comments.added + rest.summary.comments.added).toBe(6)
      expect(rest.summary.comments.alreadyPresent).toBe(partial.summary.comments.added)
    } finally {
      await fresh.close()
    }

    const first = await importFile(t.db, 'isso', database, { siteUrl })
    expect(first.ok).toBe(true)
    expect(first.summary.articles.added).toBe(2)
    expect(first.summary.comments.byStatus).toEqual({ approved: 4, pending: 1, rejected: 0, removed: 1 })
    expect(first.summary.commenters.added).toBe(3)
    const hospitals = await publicList(t, 'https://news.example/2023/12/08/gaza-hospitals/')
    expect(hospitals.article).toMatchObject({
      url: 'https://news.example/2023/12/08/gaza-hospitals/',
      title: 'Gaza: the hospitals without fuel',
    })
    expect(threads(hospitals)).toEqual([
      ['Ines', '**The hospitals** need fuel.\nNot next week: now.', [['مازن', 'الوقود أولاً، ثم كل شيء آخر.']]],
      ['[deleted]', '', [['Ines', 'I am answering a comment that is gone now.']]],
    ])
    expect(hospitals.comments[0]!.createdAt).toBe('2023-12-08T10:10:10.482Z')
    expect(threads(await publicList(t, 'https://news.example/ar/2023/12/09/mustashfayat-ghazza/'))).toEqual([
      ['Layal', 'راجعوا تقرير منظمة الصحة (https://who.example.int/gaza-2023-12) للأرقام.', []],
    ])

    const copy = join(dir, 'comments-copy.db')
    copyFileSync(database, copy)
    const again = await importFile(t.db, 'isso', copy, { siteUrl })
    expect(again.summary.comments).toMatchObject({ added: 0, alreadyPresent: 6 })

    const notADatabase = await importFile(t.db, 'isso', fixture('levant.remark42'), { source: 'isso-wrong' })
    expect(notADatabase).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^malformed file at line 1: not an Isso database.*this looks like a Remark42 backup/),
    })
  })
})
