// What the server reads (issue 20, findings 3, 9 and 10): a limit on every body, mailed links that name
// the configured origin whatever Host a request claims, and control characters refused with 422.
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { parseEnv } from '../src/env.js'
import { readerLinks } from '../src/mail/mail.links.js'
import { drainOutbox } from '../src/mail/mail.sender.js'
import { accountPath } from '../src/http/reader-pages/readers.account.js'
import { appConfig } from '../src/env.js'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { takeMails } from './helpers/outbox.js'
import { PUBLISHER_ORIGIN, TEST_SECRET, type TestApp, aComment, aFormToken, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const SSO_SECRET = 'input-sso-secret-input-sso-secret-0123456789'
let subjects = 0

const ssoToken = (claims: Record<string, unknown>) => {
  const seconds = Math.floor(Date.now() / 1000)
  return new SignJWT({ sub: `input-${++subjects}`, name: `Reader ${subjects}`, email: `input-${subjects}@paper.example`, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(seconds)
    .setExpirationTime(seconds + 600)
    .sign(new TextEncoder().encode(SSO_SECRET))
}

/** A reader signed in through the publisher: their token and id. */
const ssoReader = async (t: TestApp, claims: Record<string, unknown> = {}) => {
  const answer = (await (
    await t.json('POST', '/api/v1/readers/sso', { token: await ssoToken(claims) }, { ip: `198.51.100.${subjects % 250}` })
  ).json()) as { readerToken: string; reader: { id: string } }
  return { token: answer.readerToken, id: answer.reader.id }
}

/** A form body of `total` bytes, handed over in 64 KB chunks as the app asks for them; `pulled` says how far it got. */
function bigForm(total: number) {
  const chunk = new TextEncoder().encode(`replies=on&pad=${'x'.repeat(64 * 1024 - 16)}&`)
  const counter = { pulled: 0 }
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled >= total) return controller.close()
      counter.pulled += chunk.length
      controller.enqueue(chunk)
    },
  })
  return { body, counter }
}

for (const kind of dbKinds()) {
  describe(`request bodies and query text on ${kind}`, () => {
    let t: TestApp
    let cookies: { admin: string; moderator: string }
    beforeAll(async () => {
      t = await createTestApp(kind)
      cookies = await signInBoth(t)
      await t.settings({ rateLimitPerMinute: 0, premodNewCommenters: 0, moderationMode: 'post', ssoSecret: SSO_SECRET })
    })
    afterAll(() => t?.close())

    const postStream = (path: string, form: ReturnType<typeof bigForm>) =>
      t.app.request(
        new Request(`http://localhost${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.body,
          duplex: 'half',
        } as RequestInit),
      )

    it('answers 413 to an oversized form on the mail preferences page, after reading little of it', async () => {
      const { id } = await ssoReader(t)
      const { preferencesUrl } = await readerLinks('', TEST_SECRET, id)
      const notifyOf = async () =>
        (await t.db.selectFrom('commenters').select('notify').where('id', '=', id).executeTakeFirstOrThrow()).notify
      const before = await notifyOf()
      const form = bigForm(8 * 1024 * 1024)
      const res = await postStream(preferencesUrl, form)
      expect(res.status).toBe(413)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large')
      expect(form.counter.pulled).toBeLessThan(256 * 1024)
      // The preferences are as they were.
      expect(await notifyOf()).toEqual(before)
    })

    it("answers 413 to an oversized form on the account page's delete and download forms", async () => {
      const { id } = await ssoReader(t)
      const path = await accountPath(TEST_SECRET, id, new Date(), null)
      for (const action of ['delete', 'data']) {
        const form = bigForm(8 * 1024 * 1024)
        const res = await postStream(path.replace('/readers/account?', `/readers/account/${action}?`), form)
        expect(res.status).toBe(413)
        expect(form.counter.pulled).toBeLessThan(256 * 1024)
      }
      expect(await t.db.selectFrom('commenters').select('id').where('id', '=', id).executeTakeFirst()).toBeDefined()
      // A form of ordinary size still works.
      const small = await t.app.request(`http://localhost${path.replace('/readers/account?', '/readers/account/delete?')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'confirmed=true',
      })
      expect(small.status).toBe(200)
    })

    it('refuses a NUL in lang with 422 when asking for a sign-in link, trading an SSO token and changing one’s settings', async () => {
      const verify = await t.json('POST', '/api/v1/readers/verify', {
        email: 'nul-lang@example.org',
        articleUrl: `${PUBLISHER_ORIGIN}/nul`,
        lang: 'en\u0000',
      })
      expect(verify.status).toBe(422)
      expect(((await verify.json()) as { error: { fields: Record<string, string> } }).error.fields.lang).toMatch(/control characters/)
      const sso = await t.json('POST', '/api/v1/readers/sso', { token: await ssoToken({}), lang: 'ar\u0000x' })
      expect(sso.status).toBe(422)
      const { token } = await ssoReader(t)
      const patched = await t.json('PATCH', '/api/v1/readers/me', { lang: '\u0000' }, { headers: { authorization: `Bearer ${token}` } })
      expect(patched.status).toBe(422)
      expect(((await patched.json()) as { error: { code: string } }).error.code).toBe('validation_failed')
      // Other controls too, and in any field the schema reads.
      expect(
        (
          await t.json('POST', '/api/v1/readers/verify', {
            email: 'bell@example.org',
            articleUrl: `${PUBLISHER_ORIGIN}/nul`,
            lang: 'en\u0007',
          })
        ).status,
      ).toBe(422)
      // A post's lang too, which no text rule reads.
      const posted = await t.postComment('nul-lang', aComment({ lang: 'ar\u0000' }))
      expect(posted.status).toBe(422)
      expect(((await posted.json()) as { error: { fields: Record<string, string> } }).error.fields.lang).toMatch(/control characters/)
    })

    it("refuses control characters in the moderators' search and articles queries, API and pages alike", async () => {
      const mod = (path: string) => modRequest(t, cookies.moderator, 'GET', path)
      for (const path of [
        '/api/v1/mod/search?q=ab%00cd',
        '/api/v1/mod/articles?q=%00',
        '/moderate/search?q=ab%00cd',
        '/moderate/articles?q=%00',
      ]) {
        const res = await mod(path)
        expect(res.status, path).toBe(422)
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed')
      }
      // A C1 control, spelled in UTF-8.
      expect((await mod('/api/v1/mod/search?q=ab%C2%85cd')).status).toBe(422)
      // Text that only looks like one is text.
      expect((await mod('/api/v1/mod/search?q=100%2500')).status).toBe(200)
    })

    it('refuses an articles cursor whose time does not exist with 422, and the page falls back to the first page', async () => {
      for (const cursor of ['2024-13-45T99:99:99.000000Z~x', '2024-02-30T10:00:00.000000Z~x', '0000-01-01T00:00:00.000000Z~x']) {
        const res = await modRequest(t, cookies.moderator, 'GET', `/api/v1/mod/articles?cursor=${encodeURIComponent(cursor)}`)
        expect(res.status, cursor).toBe(422)
        expect((await modRequest(t, cookies.moderator, 'GET', `/moderate/articles?cursor=${encodeURIComponent(cursor)}`)).status).toBe(200)
      }
      expect(
        (
          await modRequest(
            t,
            cookies.moderator,
            'GET',
            `/api/v1/mod/articles?cursor=${encodeURIComponent('2024-02-29T10:00:00.000000Z~x')}`,
          )
        ).status,
      ).toBe(200)
    })
  })

  describe(`mailed links without PUBLIC_URL on ${kind}`, () => {
    /** A reply to a reader who asked for mail, sent to this app under a Host header an impostor chose. */
    async function replyUnderForgedHost(t: TestApp, articleId: string) {
      await t.settings({ rateLimitPerMinute: 0, premodNewCommenters: 0, moderationMode: 'post', ssoSecret: SSO_SECRET })
      const { token } = await ssoReader(t)
      const first = await t.json(
        'POST',
        `/api/v1/articles/${articleId}/comments`,
        { body: 'Tell me when someone answers.', notify: true, formToken: await aFormToken(articleId) },
        { headers: { authorization: `Bearer ${token}` } },
      )
      expect(first.status).toBe(201)
      const parentId = ((await first.json()) as { comment: { id: string } }).comment.id
      const reply = await t.app.request(`http://impostor.example/api/v1/articles/${articleId}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.77' },
        body: JSON.stringify({
          ...aComment({ body: 'An answer, sent through a forged Host.' }),
          parentId,
          formToken: await aFormToken(articleId),
        }),
      })
      expect(reply.status).toBe(201)
    }

    it('builds them from the configured origin, never from the Host a request names', async () => {
      // A runtime that trusts its Host header (as Workers do), with no PUBLIC_URL: outside production the
      // configured origin is http://localhost:PORT.
      const t = await createTestApp(kind, { trustHost: true })
      try {
        await replyUnderForgedHost(t, 'mail-host')
        const [mail] = await takeMails(t.db, 1)
        expect(mail?.headers['List-Unsubscribe']).toContain('http://localhost:8787/api/v1/readers/unsubscribe?')
        expect(mail!.text).toContain('http://localhost:8787/readers/preferences?')
        expect(`${mail!.text}${mail!.html}${JSON.stringify(mail!.headers)}`).not.toContain('impostor.example')
      } finally {
        await t.close()
      }
    })

    it('sends no mail that needs a link in production without PUBLIC_URL, and says why', async () => {
      const production = appConfig(
        parseEnv({ NODE_ENV: 'production', PUBLIC_ORIGINS: PUBLISHER_ORIGIN, IP_HASH_SECRET: TEST_SECRET }),
        TEST_SECRET,
      )
      const t = await createTestApp(kind, { trustHost: true }, production)
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
      try {
        await replyUnderForgedHost(t, 'mail-production')
        // Said while the reply was published, before its answer: nothing was queued, nor will be.
        expect(warn).toHaveBeenCalledWith(expect.stringContaining('set PUBLIC_URL'))
        const queued: unknown[] = []
        await drainOutbox(t.db, { name: 'capture', send: async (mail) => void queued.push(mail) }, 'Comments <comments@news.example>')
        expect(queued).toEqual([])
      } finally {
        warn.mockRestore()
        await t.close()
      }
    })
  })
}
