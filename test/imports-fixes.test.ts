// What real exports broke in the importers, each with a file in its source's own format: ids that repeat
// across posts, comments no reader saw, links and blocks in HTML, script "addresses", whitespace before
// <?xml, files with no usable row, and a restore whose header is not its first line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as importKey from '../migrations/2026-11-29T1226-import-key-per-article.js'
import { importFile } from '../src/imports/imports.run.js'
import { buildIssoDatabase, fixture, publicList, randomBytes, tableCounts } from './helpers/imports.js'
import { createTestApp, type TestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

describe.each(dbKinds())('import fixes on %s', (kind) => {
  let t: TestApp
  let dir: string
  beforeAll(async () => {
    t = await createTestApp(kind)
    dir = mkdtempSync(join(tmpdir(), 'nc-import-fixes-'))
  })
  afterAll(async () => {
    await t?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('keeps a WordPress comment whose id repeats under another post, each reply under its own post', async () => {
    const first = await importFile(t.db, 'wordpress', fixture('merged.wordpress.xml'))
    expect(first.ok).toBe(true)
    expect(first.summary.comments).toMatchObject({ read: 4, added: 4, alreadyPresent: 0 })
    const thread = (list: Awaited<ReturnType<typeof publicList>>) =>
      list.comments.map((c) => [c.authorName, c.body, c.replies.map((r) => [r.authorName, r.body])])
    expect(thread(await publicList(t, 'https://news.example/2021/08/04/beirut-port/'))).toEqual([
      ['Maya K.', 'A year, and still no one has been charged.', [['Elie', 'The investigation was suspended again in July.']]],
    ])
    expect(thread(await publicList(t, 'https://news.example/ar/2021/08/04/marfa-beirut/'))).toEqual([
      ['ريم', 'عام كامل ولا محاسبة.', [['سليم', 'والتحقيق معلّق من جديد.']]],
    ])
    const again = await importFile(t.db, 'wordpress', fixture('merged.wordpress.xml'))
    expect(again.summary.comments).toMatchObject({ added: 0, alreadyPresent: 4 })
  })

  it('resumes and repeats over rows imported under the old key, once the migration has run', async () => {
    const fresh = await createTestApp(kind)
    try {
      // The site as it was: the key without the article, and an import interrupted after its first batch.
      await importKey.down(fresh.db)
      const stop = { requested: false }
      const before = await importFile(fresh.db, 'disqus', fixture('syria.disqus.xml'), {
        batchSize: 2,
        stop,
        onBatch: () => (stop.requested = true),
      })
      expect(before.summary.stoppedAt).toBe('interrupted')
      await importKey.up(fresh.db)
      const resumed = await importFile(fresh.db, 'disqus', fixture('syria.disqus.xml'))
      expect(resumed.summary.comments.alreadyPresent).toBe(before.summary.comments.added)
      expect(before.summary.comments.added + resumed.summary.comments.added).toBe(9)
      const third = await importFile(fresh.db, 'disqus', fixture('syria.disqus.xml'))
      expect(third.summary.comments).toMatchObject({ added: 0, alreadyPresent: 9 })
      expect((await tableCounts(fresh)).comments).toBe(9)
    } finally {
      await fresh.close()
    }
  })

  it('skips the comments of password-protected, draft, private and scheduled posts, and says so', async () => {
    const result = await importFile(t.db, 'wordpress', fixture('hidden.wordpress.xml'))
    expect(result.ok).toBe(true)
    expect(result.summary.comments.added).toBe(1)
    expect(result.summary.skipped).toEqual({
      'password-protected posts': 1,
      'comments on password-protected posts': 1,
      'unpublished posts': 4,
      'comments on unpublished posts': 3,
    })
    expect((await publicList(t, 'https://news.example/2022/03/01/homs-market/')).comments.map((c) => c.body)).toEqual([
      'Good news for the old city.',
    ])
    const hidden = [
      'https://news.example/2022/03/01/interview-notes/',
      'https://news.example/?p=603',
      'https://news.example/2022/03/01/sources/',
      'https://news.example/2022/03/15/anniversary/',
    ]
    expect(await t.db.selectFrom('articles').select('id').where('id', 'in', hidden).execute()).toEqual([])
    const leaked = await t.db.selectFrom('comments').select('body').where('body', 'like', '%password is entered%').execute()
    expect(leaked).toEqual([])
  })

  it('keeps the address of a link whose text is not its address, and puts blocks on lines of their own', async () => {
    const result = await importFile(t.db, 'disqus', fixture('markup.disqus.xml'))
    expect(result.ok).toBe(true)
    const [album, lists, figures] = (await publicList(t, '2022-05-10-aleppo-schools')).comments
    expect(album!.body).toBe("The photos are from the families' own album (https://photos.example.org/aleppo/2022), with their permission.")
    expect(album!.links?.map((l) => l.href)).toEqual(['https://photos.example.org/aleppo/2022'])
    expect(lists!.body).toBe(
      'The teachers stayed for their friends.\nDo not forget them.\n\n- Al-Shaar\n- Bustan al-Qasr\n\n> We taught in the basement.\n\nThat was the head teacher.',
    )
    // "friends." and "Do" on one line made a link to http://friends.Do.
    expect(lists!.links).toBeUndefined()
    expect(figures!.body).toBe('Figures: https://data.example.org/syria/education/schools-2022.csv\nand this map.')
  })

  it('stores and serves only http(s) article addresses: a javascript: or data: link is dropped', async () => {
    const result = await importFile(t.db, 'disqus', fixture('javascript.disqus.xml'))
    expect(result.ok).toBe(true)
    expect(result.summary.comments.added).toBe(3)
    for (const id of ['2022-06-01-tartus', 'disqus-7402', '2022-06-03-baniyas']) {
      const list = await publicList(t, id)
      expect(list.article.url).toBeNull()
      expect(list.comments).toHaveLength(1)
    }
    const stored = await t.db.selectFrom('articles').select('url').where(sql<boolean>`url !~* '^https?://'`).execute()
    expect(stored).toEqual([])

    const lines = await importFile(t.db, 'jsonl', fixture('javascript.jsonl'), { source: 'jsonl-javascript' })
    expect(lines.summary.comments.added).toBe(1)
    expect(lines.summary.errors).toEqual([
      { line: 2, reason: 'articleUrl: only http and https addresses' },
      { line: 3, reason: 'articleUrl: only http and https addresses' },
    ])
  })

  it('reads files with a newline and indentation, or a byte-order mark, before <?xml, and counts their lines', async () => {
    const indented = await importFile(t.db, 'disqus', fixture('indented.disqus.xml'))
    expect(indented.ok).toBe(true)
    expect(indented.summary.comments.added).toBe(2)
    expect(indented.summary.errors).toEqual([{ line: 25, reason: 'post 8502 has no valid <createdAt> ("")' }])
    const hama = await publicList(t, '2022-07-01-hama')
    expect(hama.comments.map((c) => [c.body, c.replies.map((r) => r.body)])).toEqual([
      ["The norias are the city's pride.", ['نواعير حماة']],
    ])

    const bom = await importFile(t.db, 'wordpress', fixture('bom.wordpress.xml'))
    expect(bom.ok).toBe(true)
    expect((await publicList(t, 'https://news.example/2022/07/02/palmyra-museum/')).comments.map((c) => c.body)).toEqual(['تدمر تعود'])
  })

  it('fails a run in which no row is usable, and names the format the file is in', async () => {
    const commento = await importFile(t.db, 'jsonl', fixture('levant.commento.json'), { source: 'jsonl-commento' })
    expect(commento).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^nothing to import: .*; this looks like a Commento export: run "npm run import -- commento FILE"$/),
    })
    const run = await t.db.selectFrom('imports').selectAll().where('source', '=', 'jsonl-commento').executeTakeFirstOrThrow()
    expect(run.status).toBe('failed')

    const isso = join(dir, 'comments.db')
    await buildIssoDatabase(isso)
    const sqlite = await importFile(t.db, 'jsonl', isso, { source: 'jsonl-isso', dryRun: true })
    expect(sqlite).toMatchObject({
      ok: false,
      error: expect.stringContaining('this looks like an Isso database (SQLite): run "npm run import -- isso FILE"'),
    })

    const junk = join(dir, 'random.jsonl')
    writeFileSync(junk, randomBytes(100_000))
    const random = await importFile(t.db, 'jsonl', junk, { source: 'jsonl-random' })
    expect(random).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^nothing to import: no comment or article could be read from the file \(\d+ bad rows\)$/),
    })
    // What a bad row says never carries the file's bytes to a terminal.
    expect(random.summary.errors.every((e) => !/[\u0000-\u001f\u007f-\u009f]/.test(e.reason))).toBe(true)
  })

  it('restores a backup only when its first line is the header', async () => {
    const empty = await createTestApp(kind)
    try {
      const late = await importFile(empty.db, 'backup', fixture('late-header.backup.jsonl'))
      expect(late).toMatchObject({ ok: false, error: expect.stringMatching(/^malformed file at line 1: not an export of this app/) })
      expect(await empty.db.selectFrom('articles').select('id').execute()).toEqual([])

      const junk = join(dir, 'random.backup')
      writeFileSync(junk, randomBytes(300_000, 7))
      const random = await importFile(empty.db, 'backup', junk)
      expect(random).toMatchObject({ ok: false, error: expect.stringMatching(/^malformed file at line 1: /) })
      expect(random.summary.bad).toBe(0)
      expect(random.summary.errors).toEqual([])
    } finally {
      await empty.close()
    }
  })
})
