import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { loadExamples } from '../src/moderation/moderation.learning-examples.js'
import { IMPLICIT_AFTER_MS } from '../src/screening/screening.site-train.js'
import { approveComment } from '../src/moderation/moderation.decisions.js'
import { workQueuedTraining } from '../src/moderation/moderation.learning.js'
import { activeModels } from '../src/screening/screening.active.js'
import { siteDecisions } from '../src/screening/screening.site-fixture.js'
import { shippedModelInfo } from '../src/screening/screening.shipped-model.js'
import { seedDecisions } from './helpers/desk.js'
import { signInBoth, modRequest } from './helpers/moderators.js'
import { type TestApp, aComment, aFormToken, createTestApp, testClock } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const DAY = 86_400_000
const january = Date.UTC(2026, 0, 1)
/** Comments as this desk's readers write them (screening.site-fixture.ts): its insults are nonsense to the shipped model. */
const INSULT = siteDecisions({ count: 1, seed: 98, abusive: 1, idPrefix: 'x' })[0]!.text
const CLEAN = siteDecisions({ count: 1, seed: 99, abusive: 0, idPrefix: 'y' })[0]!.text

for (const kind of dbKinds()) {
  describe(`the desk teaches the screening, on ${kind}`, () => {
    let t: TestApp
    let admin: string
    let moderator: string
    const clock = testClock()
    const models = activeModels()
    const work = () => workQueuedTraining(t.db, { now: clock.now, models })
    const overview = async () => (await modRequest(t, admin, 'GET', '/api/v1/mod/screening/models')).json()
    /** A form token a minute old by the app's clock, which the tests move. */
    const token = (articleId: string) => aFormToken(articleId, new Date(clock.now().getTime() - 60_000))
    const post = async (body: string) => {
      const res = await t.postComment('learned', aComment({ body, formToken: await token('learned') }))
      const { comment } = await res.json()
      const row = await t.db
        .selectFrom('comments')
        .select(['status', 'model_version', 'screening'])
        .where('id', '=', comment.id)
        .executeTakeFirstOrThrow()
      return { ...row, http: res.status }
    }

    beforeAll(async () => {
      t = await createTestApp(kind, { now: clock.now, models })
      await t.settings({ moderationMode: 'post', premodNewCommenters: 0, rateLimitPerMinute: 0 })
      ;({ admin, moderator } = await signInBoth(t))
    })
    afterAll(() => t?.close())

    it('trains from decisions on request, promotes the better version, scores new posts with it and rolls back', async () => {
      expect(await post(INSULT)).toMatchObject({ http: 201, model_version: shippedModelInfo.version })
      await seedDecisions(t.db, siteDecisions({ count: 500, abusive: 0.35 }))

      expect((await modRequest(t, moderator, 'POST', '/api/v1/mod/screening/retrain', {})).status).toBe(403)
      const queued = await modRequest(t, admin, 'POST', '/api/v1/mod/screening/retrain', {})
      expect(queued.status).toBe(202)
      expect(await queued.json()).toEqual({ training: { state: 'queued' } })
      const again = await modRequest(t, admin, 'POST', '/api/v1/mod/screening/retrain', {})
      expect(again.status).toBe(409)
      expect((await again.json()).error.code).toBe('conflict')
      expect((await overview()).training.state).toBe('queued')

      const trained = await work()
      expect(trained!.learned.reason.code).toBe('promoted')
      const v1 = trained!.version.version
      const promoted = await overview()
      expect(promoted.training).toMatchObject({ state: 'idle', last: { promoted: true, reason: expect.stringMatching(/^Promoted/) } })
      expect(promoted.active).toMatchObject({ version: v1, kind: 'site', examples: { en: { abusive: expect.any(Number) } } })
      expect(promoted.active.metrics.heldBack.after.recallAtTarget).toBeGreaterThan(promoted.active.metrics.heldBack.before.recallAtTarget)
      expect(promoted.versions).toMatchObject([{ version: v1, active: true, promoted: true, startedBy: 'editor' }])

      // The process that trained it screens with it at once, and each comment says which version scored it.
      const held = await post(INSULT)
      expect(held).toMatchObject({ http: 202, model_version: v1 })
      expect(held.screening.reasons).toContainEqual(
        expect.objectContaining({ rule: 'model_abuse', verdict: 'hold', model: v1, message: expect.stringContaining(v1) }),
      )
      expect(await post(CLEAN)).toMatchObject({ http: 201, model_version: v1 })
      const queue = await (await modRequest(t, moderator, 'GET', '/api/v1/mod/queue?queue=pending')).json()
      expect(queue.items).toContainEqual(expect.objectContaining({ body: INSULT, modelVersion: v1 }))

      // Roll back to the shipped model, and forward again.
      const back = await modRequest(t, admin, 'POST', `/api/v1/mod/screening/models/${shippedModelInfo.version}/activate`)
      expect(back.status).toBe(200)
      expect((await back.json()).active).toMatchObject({ kind: 'shipped', version: shippedModelInfo.version })
      expect(await post(INSULT)).toMatchObject({ http: 201, model_version: shippedModelInfo.version })
      const forward = await modRequest(t, admin, 'POST', `/api/v1/mod/screening/models/${v1}/activate`)
      expect((await forward.json()).active).toMatchObject({ kind: 'site', version: v1 })
      expect(await post(INSULT)).toMatchObject({ http: 202, model_version: v1 })
      expect((await modRequest(t, admin, 'POST', '/api/v1/mod/screening/models/site-nope/activate')).status).toBe(404)
      expect((await modRequest(t, admin, 'POST', '/api/v1/mod/screening/models/no%20such/activate')).status).toBe(422)
    })

    it('keeps a worse candidate as a version with its reason, and the active version stays', async () => {
      const before = (await overview()).active.version
      // A month later the desk's decisions teach the opposite (a mislabelled import, say); only the newest are right again.
      const later = january + 31 * DAY
      await seedDecisions(t.db, [
        ...siteDecisions({ count: 600, abusive: 0.35, seed: 11, inverted: true, startAt: later, idPrefix: 'w' }),
        ...siteDecisions({ count: 300, abusive: 0.35, seed: 12, startAt: later + 600 * 60_000, idPrefix: 'r' }),
      ])
      clock.advance(DAY)
      expect((await modRequest(t, admin, 'POST', '/api/v1/mod/screening/retrain', {})).status).toBe(202)
      const trained = await work()
      expect(trained!.learned.promote).toBe(false)
      const kept = await overview()
      expect(kept.active.version).toBe(before)
      expect(kept.training.last).toMatchObject({ promoted: false, reason: expect.stringMatching(/no more abuse|clean comments/) })
      expect(kept.versions).toHaveLength(2)
      expect(kept.versions[0]).toMatchObject({ version: trained!.version.version, active: false, promoted: false })
    })

    it("shows the desk each version's card in the workspace, where an administrator retrains and activates", async () => {
      const form = (path: string, cookie: string) =>
        t.app.request(`/moderate${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', cookie },
          body: '',
        })
      const screen = async (cookie: string) => (await t.app.request('/moderate/screening', { headers: { cookie } })).text()
      const { versions, active } = await overview()
      const html = await screen(admin)
      for (const v of versions) expect(html).toContain(`Version ${v.version}`)
      expect(html).toContain(`Active: <strong>${active.version}</strong>`)
      expect(html).toMatch(/Abuse held<\/td><td>0\.0%<\/td><td>100\.0%/)
      expect(html).toContain('Examples learned from')
      expect(html).toMatch(/Cross-validated on its examples: abuse held \d+\.\d%, AUC \d\.\d{3}\./)
      expect(html).toContain('Kept, not promoted.')
      expect(html).toContain('Retrain now')
      const seen = await screen(moderator)
      expect(seen).toContain(`Version ${active.version}`)
      expect(seen).not.toContain('Retrain now')
      expect(seen).not.toContain('Activate this version')

      expect((await form('/screening/retrain', moderator)).status).toBe(403)
      const retrain = await form('/screening/retrain', admin)
      expect(retrain.status).toBe(303)
      expect(retrain.headers.get('location')).toBe('/moderate/screening?notice=training_queued')
      expect((await overview()).training.state).toBe('queued')
      clock.advance(DAY)
      expect(await work()).not.toBeNull()
      expect((await overview()).training.state).toBe('idle')

      const kept = versions.find((v: { active: boolean }) => !v.active).version
      const activated = await form(`/screening/${kept}/activate`, admin)
      expect(activated.headers.get('location')).toBe('/moderate/screening?notice=model_activated')
      expect((await overview()).active.version).toBe(kept)
      expect(await screen(admin)).toContain(`Active: <strong>${kept}</strong>`)
    })

    it('erasing a commenter takes their decisions and their implicit approvals out of the next training', async () => {
      // The shipped model screens here, so both are published; the desk then takes one down.
      await modRequest(t, admin, 'POST', `/api/v1/mod/screening/models/${shippedModelInfo.version}/activate`)
      const { comment: published } = await (
        await t.postComment('erased', aComment({ body: CLEAN, formToken: await token('erased') }))
      ).json()
      const { comment: decided } = await (
        await t.postComment('erased', aComment({ body: INSULT, formToken: await token('erased') }))
      ).json()
      const rejected = await modRequest(t, moderator, 'POST', `/api/v1/mod/comments/${decided.id}/reject`, { reason: 'abuse' })
      expect(rejected.status).toBe(200)
      // Comments are stored at the app's clock, decisions at the real time: training starts after both, and
      // a day later for the published comment to count (the desk has not read last night's comments yet).
      const startedAt = (after: number) => new Date(Math.max(Date.now(), clock.now().getTime()) + after)
      const ids = async (after = IMPLICIT_AFTER_MS + 1000) =>
        new Set((await loadExamples(t.db, startedAt(after))).map((e) => `${e.kind}:${e.id}`))
      const tooSoon = await ids(60_000)
      expect(tooSoon.has(`implicit:${published.id}`)).toBe(false)
      expect(tooSoon.has(`decision:${decided.id}`)).toBe(true)
      const before = await ids()
      expect(before.has(`implicit:${published.id}`)).toBe(true)
      expect(before.has(`decision:${decided.id}`)).toBe(true)
      for (const id of [published.id, decided.id]) {
        const { commenter_id } = await t.db.selectFrom('comments').select('commenter_id').where('id', '=', id).executeTakeFirstOrThrow()
        expect((await modRequest(t, admin, 'POST', `/api/v1/mod/commenters/${commenter_id}/erase`, { mode: 'tombstone' })).status).toBe(200)
      }
      const after = await ids()
      expect(after.has(`implicit:${published.id}`)).toBe(false)
      expect(after.has(`decision:${decided.id}`)).toBe(false)
      expect(after.size).toBe(before.size - 2)
    })

    it('learns from a reported comment a moderator keeps up: an explicit clean example', async () => {
      await modRequest(t, admin, 'POST', `/api/v1/mod/screening/models/${shippedModelInfo.version}/activate`)
      const { comment } = await (await t.postComment('kept-up', aComment({ body: CLEAN, formToken: await token('kept-up') }))).json()
      expect((await t.json('POST', `/api/v1/comments/${comment.id}/reports`, { reason: 'abuse' }, { ip: '203.0.113.77' })).status).toBe(202)
      const kept = await modRequest(t, moderator, 'POST', `/api/v1/mod/comments/${comment.id}/approve`)
      expect(kept.status).toBe(200)
      const startedAt = new Date(Math.max(Date.now(), clock.now().getTime()) + 1000)
      const examples = await loadExamples(t.db, startedAt)
      // The screening had published it: a training a day later could have learned it as an implicit approval.
      expect(examples.filter((e) => e.id === comment.id)).toMatchObject([
        { kind: 'decision', label: 'clean', publishedAt: expect.any(Date) },
      ])

      // One its writer deleted after it was reported (kept as a placeholder for its replies) has no words to learn from.
      const { comment: gone } = await (await t.postComment('kept-up', aComment({ body: CLEAN, formToken: await token('kept-up') }))).json()
      expect((await t.json('POST', `/api/v1/comments/${gone.id}/reports`, { reason: 'abuse' }, { ip: '203.0.113.78' })).status).toBe(202)
      await t.db.updateTable('comments').set({ deleted: true, body: '' }).where('id', '=', gone.id).execute()
      expect((await modRequest(t, moderator, 'POST', `/api/v1/mod/comments/${gone.id}/approve`)).status).toBe(200)
      expect((await loadExamples(t.db, startedAt)).filter((e) => e.id === gone.id)).toEqual([])
    })

    it('counts no comment a moderator released unread (approve-below) as an example, explicit or implicit', async () => {
      await t.settings({ moderationMode: 'pre' })
      const { comment } = await (await t.postComment('below', aComment({ body: CLEAN, formToken: await token('below') }))).json()
      await t.settings({ moderationMode: 'post' })
      const { id, username } = await t.db.selectFrom('moderators').select(['id', 'username']).limit(1).executeTakeFirstOrThrow()
      const moderatorActor = { id, name: username }
      expect(
        (await approveComment(t.db, comment.id, moderatorActor, { reason: 'below risk 0.2', keepExample: false })).value.published,
      ).toBe(true)
      const later = new Date(Math.max(Date.now(), clock.now().getTime()) + IMPLICIT_AFTER_MS + 1000)
      expect((await loadExamples(t.db, later)).filter((e) => e.id === comment.id)).toEqual([])
    })

    it('refuses to activate a version stacked on another shipped model, and its card says why', async () => {
      const { versions } = await overview()
      const source = await t.db
        .selectFrom('screening_models')
        .selectAll()
        .where('version', '=', versions[0].version)
        .executeTakeFirstOrThrow()
      await t.db
        .insertInto('screening_models')
        .values({
          ...source,
          model: JSON.stringify(source.model),
          examples: JSON.stringify(source.examples),
          thresholds: JSON.stringify(source.thresholds),
          metrics: JSON.stringify(source.metrics),
          version: 'site-before-a-deploy',
          base_version: 'shipped-0000000000000000',
          active: false,
          activated_at: null,
        })
        .execute()
      onTestFinished(async () => {
        await t.db.deleteFrom('screening_models').where('version', '=', 'site-before-a-deploy').execute()
      })
      const refused = await modRequest(t, admin, 'POST', '/api/v1/mod/screening/models/site-before-a-deploy/activate')
      expect(refused.status).toBe(409)
      expect((await refused.json()).error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/another shipped model/) })
      const html = await (await t.app.request('/moderate/screening', { headers: { cookie: admin } })).text()
      const card = html.slice(html.indexOf('id="version-site-before-a-deploy"'))
      expect(card.slice(0, card.indexOf('</section>'))).toContain('Trained on another shipped model (shipped-0000000000000000)')
      expect(card.slice(0, card.indexOf('</section>'))).not.toContain('Activate this version')
    })

    it('reaches another replica within a minute: it reads the active version at start, then checks it', async () => {
      const { versions } = await overview()
      const active = versions[0].version
      await modRequest(t, admin, 'POST', `/api/v1/mod/screening/models/${active}/activate`)
      const replica = activeModels()
      expect((await replica.current(t.db, clock.now()))?.version).toBe(active)
      await modRequest(t, admin, 'POST', `/api/v1/mod/screening/models/${shippedModelInfo.version}/activate`)
      expect((await replica.current(t.db, new Date(clock.now().getTime() + 30_000)))?.version).toBe(active)
      expect(await replica.current(t.db, new Date(clock.now().getTime() + 61_000))).toBeNull()
    })
  })
}
