import { http, HttpResponse, delay } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { PERSPECTIVE_URL, akismetUrl } from '../src/screening/screening.external.js'
import { type TestApp, aComment, createTestApp, testClock } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const mockServer = setupServer()
beforeAll(() => mockServer.listen({ onUnhandledRequest: 'error' }))
afterEach(() => mockServer.resetHandlers())
afterAll(() => mockServer.close())

const stored = (t: TestApp, id: string) =>
  t.db.selectFrom('comments').select(['status', 'flagged', 'screening']).where('id', '=', id).executeTakeFirstOrThrow()

for (const kind of dbKinds()) {
  describe(`screening through the API on ${kind}`, () => {
    let t: TestApp
    const clock = testClock()
    beforeAll(async () => {
      t = await createTestApp(kind, { now: clock.now })
      await t.settings({ moderationMode: 'post', premodNewCommenters: 0, rateLimitPerMinute: 0 })
    })
    afterAll(() => t?.close())
    // A test that moves the clock moves it for itself: the next starts on the real time again (the form
    // tokens aFormToken hands out are issued by the real clock).
    beforeEach(() => clock.reset())

    it('rejects banned words with 422 rejected_content, keeps the rejected comment with its reasons, and replays the answer', async () => {
      const body = aComment({ body: 'You are a f.u.c.k.i.n.g liar', idempotencyKey: 'banned-retry-1' })
      const res = await t.postComment('screened', body)
      expect(res.status).toBe(422)
      const { error } = await res.json()
      expect(error.code).toBe('rejected_content')
      expect(error.message).toMatch(/rephrase/)
      const row = await t.db
        .selectFrom('comments')
        .select(['status', 'screening'])
        .where('idempotency_key', '=', 'banned-retry-1')
        .executeTakeFirstOrThrow()
      expect(row.status).toBe('rejected')
      expect(row.screening.reasons).toContainEqual(expect.objectContaining({ rule: 'banned_word', term: 'fuck', match: 'f.u.c.k' }))
      const replay = await t.postComment('screened', body)
      expect(replay.status).toBe(422)
      expect((await replay.json()).error.code).toBe('rejected_content')
    })

    it('holds suspect words with the matched span stored for moderators', async () => {
      const res = await t.postComment('screened', aComment({ body: 'Only an 1d10t believes the ministry' }))
      expect(res.status).toBe(202)
      const row = await stored(t, (await res.json()).comment.id)
      expect(row.flagged).toBe(true)
      expect(row.screening).toMatchObject({
        verdict: 'hold',
        reasons: expect.arrayContaining([
          expect.objectContaining({ rule: 'suspect_word', term: 'idiot', match: '1d10t', start: 8, end: 13 }),
        ]),
      })
    })

    it('holds an Arabic insult hidden with a prefix and tashkeel', async () => {
      const res = await t.postComment('screened', aComment({ body: 'هذا كلام والغَبِيّ فقط' }))
      expect(res.status).toBe(202)
      const row = await stored(t, (await res.json()).comment.id)
      expect(row.screening.reasons?.[0]).toMatchObject({ rule: 'suspect_word', term: 'غبي' })
    })

    it('publishes war reporting vocabulary', async () => {
      const res = await t.postComment(
        'screened',
        aComment({ body: 'The massacre in Maarat al-Numan killed 12; shelling continued all night.' }),
      )
      expect(res.status).toBe(201)
    })

    it('rejects the same comment from the same commenter within ten minutes, but not later', async () => {
      const first = aComment({ body: 'Repeated thought about the convoy' })
      expect((await t.postComment('dupes', first)).status).toBe(201)
      const again = await t.postComment('dupes', { ...first, idempotencyKey: 'another-attempt' })
      expect(again.status).toBe(422)
      expect((await again.json()).error.code).toBe('duplicate_comment')
      clock.advance(11 * 60_000)
      expect((await t.postComment('dupes', first)).status).toBe(201)
    })

    it('holds a bot quietly: the honeypot answers 202 like any held comment', async () => {
      const res = await t.postComment('bots', aComment({ website: 'http://buy.example' }))
      expect(res.status).toBe(202)
      expect((await res.json()).comment.status).toBe('pending')
      const row = await t.db.selectFrom('comments').select('screening').where('article_id', '=', 'bots').executeTakeFirstOrThrow()
      expect(row.screening.reasons?.filter((r) => r.verdict !== 'publish').map((r) => r.rule)).toEqual(['bot_honeypot'])
    })

    it('holds a post that arrives faster than minSecondsToPost after the form token, and accepts a slower one', async () => {
      const token = async (articleId = 'timed') => {
        const res = await t.json('GET', `/api/v1/articles/${articleId}/form-token`)
        expect(res.headers.get('cache-control')).toBe('no-store')
        return (await res.json()).formToken as string
      }
      const fast = await t.postComment('timed', aComment({ formToken: await token() }))
      expect(fast.status).toBe(202)
      const slowToken = await token()
      clock.advance(5000)
      expect((await t.postComment('timed', aComment({ formToken: slowToken }))).status).toBe(201)
      const [stamp, nonce] = slowToken.split('.')
      expect((await t.postComment('timed', aComment({ formToken: `${stamp}.${nonce}.AAAAAAAAAAAAAAAAAAAAAAAA` }))).status).toBe(202)
      const foreign = await token()
      clock.advance(5000)
      expect((await t.postComment('timed-other', aComment({ formToken: foreign }))).status).toBe(202)
    })

    it('holds a post whose form token is missing, already used or a day old: the widget always sends a fresh one (issue 10, finding 9)', async () => {
      const token = async () => (await (await t.json('GET', '/api/v1/articles/tokens/form-token')).json()).formToken as string
      const reasonOf = async (res: Response) => {
        expect(res.status).toBe(202)
        return (await stored(t, (await res.json()).comment.id)).screening.reasons?.find((r) => r.rule === 'bot_form_token')?.message
      }
      expect(await reasonOf(await t.postComment('tokens', aComment({ formToken: undefined })))).toBe('Posted without a form token')
      const once = await token()
      clock.advance(5000)
      expect((await t.postComment('tokens', aComment({ formToken: once }))).status).toBe(201)
      expect(await reasonOf(await t.postComment('tokens', aComment({ formToken: once })))).toBe(
        'The form token was already used for another post',
      )
      const stale = await token()
      const aDayLater = 25 * 60 * 60 * 1000
      clock.advance(aDayLater)
      expect(await reasonOf(await t.postComment('tokens', aComment({ formToken: stale })))).toBe('The form token is more than a day old')
    })

    it('answers 429 with Retry-After per IP and per commenter', async () => {
      await t.settings({ rateLimitPerMinute: 2 })
      try {
        const ip = '198.51.100.77'
        expect((await t.postComment('limits', aComment(), ip)).status).toBe(201)
        expect((await t.postComment('limits', aComment(), ip)).status).toBe(201)
        const limited = await t.postComment('limits', aComment(), ip)
        expect(limited.status).toBe(429)
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
        expect((await limited.json()).error.code).toBe('rate_limited')

        const email = 'busy.writer@example.org'
        expect((await t.postComment('limits', aComment({ email }), '198.51.100.1')).status).toBe(201)
        expect((await t.postComment('limits', aComment({ email }), '198.51.100.2')).status).toBe(201)
        expect((await t.postComment('limits', aComment({ email }), '198.51.100.3')).status).toBe(429)
        clock.advance(61_000)
        expect((await t.postComment('limits', aComment({ email }), '198.51.100.4')).status).toBe(201)
      } finally {
        await t.settings({ rateLimitPerMinute: 0 })
      }
    })

    it("holds a banned commenter's post under any spelling of their email, or from their address, without telling anyone it is banned (issue 10, finding 12)", async () => {
      const heldFor = async (res: Response) => {
        expect(res.status).toBe(202)
        const row = await stored(t, (await res.json()).comment.id)
        expect(row.status).toBe('pending')
        expect(row.flagged).toBe(true)
        return row.screening.reasons?.find((r) => r.rule === 'banned_commenter')?.message
      }
      await t.postComment('commenters', aComment({ email: 'tr.oll+first@gmail.com' }), '198.51.100.60')
      await t.db.updateTable('commenters').set({ status: 'banned' }).where('email_normalized', '=', 'tr.oll+first@gmail.com').execute()
      for (const email of ['Tr.Oll+First@Gmail.com', 'troll@gmail.com', 'tr.o.ll+again@googlemail.com']) {
        const res = await t.postComment('commenters', aComment({ email }), '198.51.100.61')
        const text = JSON.stringify(await res.clone().json())
        expect(text).not.toMatch(/ban/i)
        expect(await heldFor(res)).toBe('Posted with the email of a banned commenter')
      }
      // Another email from the address the banned commenter used.
      expect(await heldFor(await t.postComment('commenters', aComment({ email: 'fresh.name@example.org' }), '198.51.100.60'))).toBe(
        'Posted from an address a banned commenter used recently',
      )
      // Someone else, elsewhere, is untouched.
      expect((await t.postComment('commenters', aComment({ email: 'troll.fan@gmail.com' }), '198.51.100.62')).status).toBe(201)
    })

    it('holds every post while new commenters are held, since nobody can yet prove an email is theirs (issue 10, finding 5)', async () => {
      await t.settings({ premodNewCommenters: 1 })
      try {
        const email = 'newcomer@example.org'
        expect((await t.postComment('newcomers', aComment({ email }))).status).toBe(202)
        // An established record, typed by anyone who knows the email, lifts nothing.
        await t.db.updateTable('commenters').set({ approved_count: 25 }).where('email_normalized', '=', email).execute()
        expect((await t.postComment('newcomers', aComment({ email }))).status).toBe(202)
      } finally {
        await t.settings({ premodNewCommenters: 0 })
      }
    })

    it("gives a stranger who types a trusted reader's name and email no trust, and never renames the reader (issue 10, finding 5)", async () => {
      const email = 'trusted.reader@example.org'
      await t.postComment('impostors', aComment({ email, name: 'Maya Haddad' }))
      await t.db.updateTable('commenters').set({ status: 'trusted' }).where('email_normalized', '=', email).execute()
      await t.settings({ moderationMode: 'pre' })
      try {
        const res = await t.postComment(
          'impostors',
          aComment({ email, name: 'Maya H.', body: 'LOOK AT www.a.com AND www.b.com AND www.c.com NOW' }),
        )
        expect(res.status).toBe(202)
        const row = await stored(t, (await res.json()).comment.id)
        expect(
          row.screening.reasons
            ?.filter((r) => r.verdict !== 'publish')
            .map((r) => r.rule)
            .sort(),
        ).toEqual(['links', 'moderation_mode'])
        const commenter = await t.db
          .selectFrom('commenters')
          .select(['name', 'status'])
          .where('email_normalized', '=', email)
          .executeTakeFirstOrThrow()
        expect(commenter).toEqual({ name: 'Maya Haddad', status: 'trusted' })
      } finally {
        await t.settings({ moderationMode: 'post' })
      }
    })

    it('writes an audit row for every pipeline decision', async () => {
      const { comment } = await (await t.postComment('audited', aComment())).json()
      const actions = await t.db.selectFrom('moderation_actions').selectAll().where('comment_id', '=', comment.id).execute()
      expect(actions).toEqual([
        expect.objectContaining({ action: 'screened', actor_id: null, actor_name: 'system', from_status: null, to_status: 'approved' }),
      ])
    })
  })

  describe(`external screening on ${kind}`, () => {
    let t: TestApp
    beforeAll(async () => {
      t = await createTestApp(kind, {}, { perspectiveApiKey: 'pk-test', akismetApiKey: 'ak-test', screeningTimeoutMs: 300 })
      await t.settings({ moderationMode: 'post', premodNewCommenters: 0, rateLimitPerMinute: 0 })
    })
    afterAll(() => t?.close())

    const perspective = (score: number) =>
      http.post(PERSPECTIVE_URL, () =>
        HttpResponse.json({ attributeScores: { TOXICITY: { summaryScore: { value: score, type: 'PROBABILITY' } } } }),
      )
    const akismet = (answer: string) => http.post(akismetUrl('ak-test'), () => HttpResponse.text(answer))

    async function post(): Promise<{ status: number; rules: string[]; row: Awaited<ReturnType<typeof stored>> }> {
      const res = await t.postComment('external', aComment())
      const { comment } = await res.json()
      const row = await stored(t, comment.id)
      return { status: res.status, rules: (row.screening.reasons ?? []).filter((r) => r.verdict !== 'publish').map((r) => r.rule), row }
    }

    it('publishes when Perspective scores low and Akismet says ham, recording the score', async () => {
      let akismetBody = ''
      mockServer.use(
        perspective(0.12),
        http.post(akismetUrl('ak-test'), async ({ request }) => {
          akismetBody = await request.text()
          return HttpResponse.text('false')
        }),
      )
      const result = await post()
      expect(result.status).toBe(201)
      expect(result.row.screening.reasons).toContainEqual(
        expect.objectContaining({ rule: 'perspective_toxicity', verdict: 'publish', score: 0.12 }),
      )
      expect(new URLSearchParams(akismetBody).get('comment_type')).toBe('comment')
    })

    it('holds a toxic comment', async () => {
      mockServer.use(perspective(0.93), akismet('false'))
      expect(await post()).toMatchObject({ status: 202, rules: ['perspective_toxicity'] })
    })

    it('holds spam', async () => {
      mockServer.use(perspective(0.1), akismet('true'))
      expect(await post()).toMatchObject({ status: 202, rules: ['akismet_spam'] })
    })

    it.each([
      ['HTTP 500', () => http.post(PERSPECTIVE_URL, () => new HttpResponse('boom', { status: 500 }))],
      [
        'a timeout',
        () =>
          http.post(PERSPECTIVE_URL, async () => {
            await delay(2000)
            return HttpResponse.json({})
          }),
      ],
      [
        'malformed JSON',
        () =>
          http.post(PERSPECTIVE_URL, () => new HttpResponse('{"attributeScores":', { headers: { 'content-type': 'application/json' } })),
      ],
      ['an answer without a score', () => http.post(PERSPECTIVE_URL, () => HttpResponse.json({ attributeScores: {} }))],
      ['a network error', () => http.post(PERSPECTIVE_URL, () => HttpResponse.error())],
    ])('holds (never publishes) and stores the comment when Perspective fails with %s', async (_label, handler) => {
      mockServer.use(handler(), akismet('false'))
      const result = await post()
      expect(result).toMatchObject({ status: 202, rules: ['screening_unavailable'] })
      expect(result.row.status).toBe('pending')
    })

    it.each([
      ['HTTP 500', () => http.post(akismetUrl('ak-test'), () => new HttpResponse('boom', { status: 500 }))],
      [
        'a timeout',
        () =>
          http.post(akismetUrl('ak-test'), async () => {
            await delay(2000)
            return HttpResponse.text('false')
          }),
      ],
      ['a malformed answer', () => http.post(akismetUrl('ak-test'), () => HttpResponse.text('invalid'))],
    ])('holds and stores the comment when Akismet fails with %s', async (_label, handler) => {
      mockServer.use(perspective(0.1), handler())
      expect(await post()).toMatchObject({ status: 202, rules: ['screening_unavailable'] })
    })

    it('does not make the reader wait past the timeout', async () => {
      mockServer.use(
        http.post(PERSPECTIVE_URL, async () => {
          await delay(5000)
          return HttpResponse.json({})
        }),
        http.post(akismetUrl('ak-test'), async () => {
          await delay(5000)
          return HttpResponse.text('false')
        }),
      )
      const started = Date.now()
      const result = await post()
      expect(result.status).toBe(202)
      // Both checks run in parallel under a 300 ms timeout; far below the 5 s the services would take.
      expect(Date.now() - started).toBeLessThan(4000)
    })

    describe("a newsroom's own classifier", () => {
      const CLASSIFIER = 'https://classifier.news.example/v1/score'
      const classifier = (answer: () => Response | Promise<Response>) => http.post(CLASSIFIER, answer)
      beforeAll(() =>
        t.settings({
          perspectiveEnabled: false,
          akismetEnabled: false,
          externalClassifierUrl: CLASSIFIER,
          externalClassifierField: 'result.scores.0',
          externalClassifierThreshold: 0.7,
        }),
      )
      afterAll(() =>
        t.settings({ perspectiveEnabled: true, akismetEnabled: true, externalClassifierUrl: null, externalClassifierField: 'score' }),
      )

      it('sends the text, reads the score at the configured path, and holds at its threshold', async () => {
        let sent: unknown = null
        mockServer.use(
          http.post(CLASSIFIER, async ({ request }) => {
            sent = await request.json()
            return HttpResponse.json({ result: { scores: [0.91] } })
          }),
        )
        const result = await post()
        expect(result).toMatchObject({ status: 202, rules: ['external_classifier'] })
        expect(sent).toEqual({ text: expect.stringContaining('thoughtful comment') })
        expect(result.row.screening.reasons).toContainEqual(
          expect.objectContaining({ rule: 'external_classifier', score: 0.91, message: 'External classifier 0.91 (holds at 0.7)' }),
        )
        const risk = await t.db
          .selectFrom('comments')
          .select('risk')
          .where('status', '=', 'pending')
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow()
        expect(risk.risk).toBeCloseTo(0.91, 5)
      })

      it('publishes below its threshold, recording the score', async () => {
        mockServer.use(classifier(() => HttpResponse.json({ result: { scores: [0.2] } })))
        const result = await post()
        expect(result).toMatchObject({ status: 201, rules: [] })
        expect(result.row.screening.reasons).toContainEqual(
          expect.objectContaining({ rule: 'external_classifier', verdict: 'publish', score: 0.2 }),
        )
      })

      it.each([
        ['HTTP 503', () => new HttpResponse('busy', { status: 503 })],
        [
          'a timeout',
          async () => {
            await delay(2000)
            return HttpResponse.json({ result: { scores: [0.1] } })
          },
        ],
        ['no number at the path', () => HttpResponse.json({ result: { label: 'ok' } })],
        ['a score outside 0–1', () => HttpResponse.json({ result: { scores: [7] } })],
        ['not JSON', () => new HttpResponse('<html>', { headers: { 'content-type': 'text/html' } })],
        ['a network error', () => HttpResponse.error()],
      ])('holds (never publishes) and stores the comment when it fails with %s', async (_label, answer) => {
        mockServer.use(classifier(answer))
        const result = await post()
        expect(result).toMatchObject({ status: 202, rules: ['screening_unavailable'] })
        expect(result.row.status).toBe('pending')
      })
    })

    it('skips a service the site switched off', async () => {
      await t.settings({ perspectiveEnabled: false })
      try {
        mockServer.use(akismet('false'))
        expect(await post()).toMatchObject({ status: 201, rules: [] })
      } finally {
        await t.settings({ perspectiveEnabled: true })
      }
    })
  })
}
