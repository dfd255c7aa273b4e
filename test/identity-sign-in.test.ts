// Issue 20, findings 6 and 14: a sign-in code is bound to the browser that asked for it and lands only on
// article pages the site knows; a publisher's token that expired buys nothing, one with an id is traded
// once, and both trades are limited per client address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { codeIn, takeMails } from './helpers/outbox.js'
import { KNOWN_ARTICLE, SSO_SECRET, askForCode, errorCode, knowArticle, ssoToken } from './helpers/readers.js'
import { PUBLISHER_ORIGIN, type TestApp, createTestApp, testClock } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const NONCE = 'browser-nonce-0123456789abcdef'

for (const kind of dbKinds()) {
  describe(`signing in, on ${kind}`, () => {
    let t: TestApp
    // A clock that stands still unless moved: every request of a test falls in one rate-limit window.
    const clock = testClock()
    const confirm = (body: Record<string, unknown>, ip?: string) => t.json('POST', '/api/v1/readers/verify/confirm', body, ip ? { ip } : {})
    const verify = (body: Record<string, unknown>) => t.json('POST', '/api/v1/readers/verify', { email: 'pages@example.org', ...body })
    const fieldsOf = async (res: Response) => ((await res.json()) as { error: { fields: Record<string, string> } }).error.fields

    beforeAll(async () => {
      t = await createTestApp(kind, { now: clock.now })
      await t.settings({ ssoSecret: SSO_SECRET })
      await knowArticle(t)
    })
    afterAll(() => t.close())

    describe('the code and the browser that asked for it', () => {
      it('confirms a code asked for with a nonce only with that nonce, and spends it on any other try', async () => {
        const code = await askForCode(t, 'bound@example.org', { nonce: NONCE })
        const captured = await confirm({ code })
        expect(captured.status).toBe(400)
        expect(await errorCode(captured)).toBe('invalid_code')
        // Whoever saw the code first burned it: the asking browser asks again.
        expect((await confirm({ code, nonce: NONCE })).status).toBe(400)

        const again = await askForCode(t, 'bound@example.org', { nonce: NONCE })
        expect((await confirm({ code: again, nonce: 'another-browser-nonce-000000' })).status).toBe(400)
        const third = await askForCode(t, 'bound@example.org', { nonce: NONCE })
        const ok = await confirm({ code: third, nonce: NONCE })
        expect(ok.status).toBe(200)
        expect(((await ok.json()) as { reader: { email: string } }).reader.email).toBe('bound@example.org')
      })

      it('still confirms a code asked for without a nonce (a publisher’s own code), and refuses a malformed nonce', async () => {
        const code = await askForCode(t, 'unbound@example.org')
        expect((await confirm({ code })).status).toBe(200)
        expect((await verify({ articleUrl: KNOWN_ARTICLE.url, nonce: 'short' })).status).toBe(422)
        expect((await confirm({ code: 'x'.repeat(32), nonce: 'has spaces in it, not allowed' })).status).toBe(422)
      })
    })

    describe('where a link may land', () => {
      it('refuses a page of the publisher’s site that is no article the site knows', async () => {
        const redirect = await verify({ articleUrl: `${PUBLISHER_ORIGIN}/out?to=https://attacker.example/` })
        expect(redirect.status).toBe(422)
        expect((await fieldsOf(redirect)).articleUrl).toBeDefined()
        expect((await verify({ articleUrl: KNOWN_ARTICLE.url })).status).toBe(202)
        expect(codeIn((await takeMails(t.db, 1))[0]!)).not.toBeNull()
      })

      it('does not let a known article be pointed at another page', async () => {
        const elsewhere = await verify({ articleUrl: `${PUBLISHER_ORIGIN}/login?next=/`, articleId: KNOWN_ARTICLE.id })
        expect(elsewhere.status).toBe(422)
        expect((await verify({ articleUrl: KNOWN_ARTICLE.url, articleId: KNOWN_ARTICLE.id })).status).toBe(202)
        await takeMails(t.db, 1)
      })

      it('knows a new article from its readers’ first request, at the page it was asked from', async () => {
        const page = `${PUBLISHER_ORIGIN}/2020/03/01/new-article`
        expect((await verify({ articleUrl: page, articleId: 'brand-new-article' })).status).toBe(202)
        await takeMails(t.db, 1)
        expect(await t.db.selectFrom('articles').select('url').where('id', '=', 'brand-new-article').executeTakeFirstOrThrow()).toEqual({
          url: page,
        })
        expect((await verify({ articleUrl: `${PUBLISHER_ORIGIN}/2020/03/01/another-page`, articleId: 'brand-new-article' })).status).toBe(
          422,
        )
      })
    })

    describe('the publisher’s token', () => {
      const trade = async (token: string, ip?: string) => t.json('POST', '/api/v1/readers/sso', { token }, ip ? { ip } : {})

      it('refuses a token that expired, even a few seconds ago', async () => {
        const justExpired = await trade(await ssoToken(clock.now(), { sub: 'sso-expired', name: 'Late' }, { lifetime: -5 }))
        expect(justExpired.status).toBe(401)
        expect(await errorCode(justExpired)).toBe('invalid_sso_token')
        expect((await trade(await ssoToken(clock.now(), { sub: 'sso-expired', name: 'Late' }, { lifetime: 0 }))).status).toBe(401)
        expect((await trade(await ssoToken(clock.now(), { sub: 'sso-expired', name: 'Late' }, { lifetime: 5 }))).status).toBe(200)
      })

      it('trades a token that carries an id (jti) once', async () => {
        const token = await ssoToken(clock.now(), { sub: 'sso-once', name: 'Once' }, { jti: 'page-view-7c1e' })
        expect((await trade(token)).status).toBe(200)
        const replay = await trade(token)
        expect(replay.status).toBe(401)
        expect(await errorCode(replay)).toBe('invalid_sso_token')
        // Another token with its own id is another page view.
        expect((await trade(await ssoToken(clock.now(), { sub: 'sso-once', name: 'Once' }, { jti: 'page-view-7c1f' }))).status).toBe(200)
        // Without an id a token stays the publisher's to reuse within its lifetime, as before.
        const plain = await ssoToken(clock.now(), { sub: 'sso-once', name: 'Once' })
        expect((await trade(plain)).status).toBe(200)
        expect((await trade(plain)).status).toBe(200)
      })
    })

    describe('limits per client address', () => {
      it('answers 429 with Retry-After past the trades one address may make', async () => {
        let last: Response | undefined
        for (let i = 0; i < 121 && last?.status !== 429; i++)
          last = await t.json('POST', '/api/v1/readers/sso', { token: 'not.a.token' }, { ip: '198.18.20.1' })
        expect(last!.status).toBe(429)
        expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0)
        expect((await t.json('POST', '/api/v1/readers/sso', { token: 'not.a.token' }, { ip: '198.18.20.2' })).status).toBe(401)
      })

      it('answers 429 with Retry-After past the codes one address may try', async () => {
        let last: Response | undefined
        for (let i = 0; i < 31 && last?.status !== 429; i++)
          last = await confirm({ code: `unknown-code-${i}-${'x'.repeat(20)}` }, '198.18.21.1')
        expect(last!.status).toBe(429)
        expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0)
        expect((await confirm({ code: 'x'.repeat(32) }, '198.18.21.2')).status).toBe(400)
      })
    })
  })
}
