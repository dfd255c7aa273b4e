// Issue 20, finding 5: names that were never typed into a form (the publisher's sign-in token, a mailbox
// confirmed without a name, an import) meet the same rules as typed names, and a refused one becomes a
// neutral name in the reader's language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runImport } from '../src/imports/imports.writer.js'
import type { ImportRecord } from '../src/imports/imports.types.js'
import { SSO_SECRET, askForCode, knowArticle, postAs, ssoToken } from './helpers/readers.js'
import { type TestApp, createTestApp, testClock } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const RLO = '\u202E'

for (const kind of dbKinds()) {
  describe(`names from elsewhere than a form, on ${kind}`, () => {
    let t: TestApp
    const clock = testClock()
    const sso = async (claims: Record<string, unknown>, lang?: string) => {
      const res = await t.json('POST', '/api/v1/readers/sso', { token: await ssoToken(clock.now(), claims), ...(lang ? { lang } : {}) })
      expect(res.status).toBe(200)
      return (await res.json()) as { readerToken: string; reader: { name: string } }
    }

    beforeAll(async () => {
      t = await createTestApp(kind, { now: clock.now })
      await t.settings({ rateLimitPerMinute: 0, ssoSecret: SSO_SECRET, moderationMode: 'post' })
      await knowArticle(t)
    })
    afterAll(() => t.close())

    it('never publishes a system name or bidi controls from a publisher’s token', async () => {
      const deleted = await sso({ sub: 'names-1', name: '[deleted]' })
      expect(deleted.reader.name).toBe('Reader')
      const posted = await postAs(t, deleted.readerToken, 'names-sso', 'Posted under a name the publisher sent.', clock.now(), '198.18.9.1')
      expect(posted.status).toBe(201)
      expect(((await posted.json()) as { comment: { authorName: string } }).comment.authorName).toBe('Reader')

      const reversed = await sso({ sub: 'names-2', name: `x${RLO}nimda` })
      expect(reversed.reader.name).toBe('xnimda')
      expect(reversed.reader.name).not.toContain(RLO)
      expect((await sso({ sub: 'names-3', name: 'Moderator' })).reader.name).toBe('Reader')
      expect((await sso({ sub: 'names-4', name: `${RLO}\u200B` })).reader.name).toBe('Reader')
    })

    it('falls back in the reader’s language, and cuts a long publisher’s name to the longest allowed', async () => {
      expect((await sso({ sub: 'names-5', name: 'admin' }, 'ar')).reader.name).toBe('قارئ')
      const long = 'Omar '.repeat(30)
      const cut = (await sso({ sub: 'names-6', name: long })).reader.name
      expect([...cut].length).toBeLessThanOrEqual(80)
      expect(long.startsWith(cut)).toBe(true)
      // A publisher renaming its user to a refused name does not keep the bad one either.
      expect((await sso({ sub: 'names-6', name: 'system' })).reader.name).toBe('Reader')
    })

    it('confirming a link without a name gives a neutral name, never the mailbox’s local part', async () => {
      const code = await askForCode(t, 'moderator@paper.example')
      const res = await t.json('POST', '/api/v1/readers/verify/confirm', { code })
      expect(res.status).toBe(200)
      const { readerToken, reader } = (await res.json()) as { readerToken: string; reader: { name: string } }
      expect(reader.name).toBe('Reader')
      // The reader names themselves, under the same rules.
      expect(
        (await t.json('PATCH', '/api/v1/readers/me', { name: 'moderator' }, { headers: { authorization: `Bearer ${readerToken}` } }))
          .status,
      ).toBe(422)
      const renamed = await t.json('PATCH', '/api/v1/readers/me', { name: 'Huda' }, { headers: { authorization: `Bearer ${readerToken}` } })
      expect(((await renamed.json()) as { reader: { name: string } }).reader.name).toBe('Huda')

      const arabic = await askForCode(t, 'admin@paper.example', { lang: 'ar' })
      const confirmed = (await (await t.json('POST', '/api/v1/readers/verify/confirm', { code: arabic })).json()) as {
        reader: { name: string }
      }
      expect(confirmed.reader.name).toBe('قارئ')
    })

    it('imports names through the same rules, and keeps a deleted comment’s tombstone', async () => {
      const at = new Date('2021-03-01T10:00:00Z')
      const comment = (sourceId: string, authorName: string, extra: Partial<ImportRecord & { kind: 'comment' }> = {}): ImportRecord => ({
        kind: 'comment',
        sourceId,
        articleId: 'names-import',
        parentSourceId: null,
        authorName,
        authorEmail: `${sourceId}@import.example`,
        body: `Imported comment ${sourceId}.`,
        createdAt: at,
        status: 'approved',
        line: Number(sourceId.slice(1)),
        ...extra,
      })
      const records: ImportRecord[] = [
        { kind: 'article', id: 'names-import', sourceId: 'names-import', url: null, title: null, createdAt: null, closed: false, line: 1 },
        comment('c2', '[deleted]'),
        comment('c3', `x${RLO}nimda`),
        comment('c4', 'Administrator'),
        comment('c5', 'Layla Haddad'),
        comment('c6', 'Gone', { status: 'deleted' }),
      ]
      async function* source() {
        yield* records
      }
      const summary = await runImport(t.db, source(), { source: 'names-test' })
      expect(summary.comments.added).toBe(5)
      const rows = await t.db
        .selectFrom('comments')
        .select(['source_id', 'author_name'])
        .where('source', '=', 'names-test')
        .orderBy('source_id')
        .execute()
      expect(Object.fromEntries(rows.map((r) => [r.source_id, r.author_name]))).toEqual({
        c2: 'Reader',
        c3: 'xnimda',
        c4: 'Reader',
        c5: 'Layla Haddad',
        c6: '[deleted]',
      })
      const guests = await t.db
        .selectFrom('commenters')
        .select(['email', 'name'])
        .where('email', 'like', '%@import.example')
        .orderBy('email')
        .execute()
      expect(guests.map((g) => g.name)).toEqual(['Reader', 'xnimda', 'Reader', 'Layla Haddad'])
    })
  })
}
