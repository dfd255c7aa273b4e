import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LearningWorker, startLearningWorker } from '../src/moderation/moderation.learning-worker.js'
import { consoleLog } from '../src/platform/ops/ops.log.js'
import { activeModels } from '../src/screening/screening.active.js'
import { siteDecisions } from '../src/screening/screening.site-fixture.js'
import { seedDecisions } from './helpers/desk.js'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { type TestApp, aComment, aFormToken, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

/** This desk's insults are nonsense to the shipped model (screening.site-fixture.ts). */
const INSULT = siteDecisions({ count: 1, seed: 98, abusive: 1, idPrefix: 'x' })[0]!.text

// The path the Node server takes (src/node.ts): the pg-boss worker picks up the queued job and trains in a
// worker thread, and the server screens with the promoted version as soon as it is stored.
for (const kind of dbKinds()) {
  describe(`the Node server's training worker, on ${kind}`, () => {
    let t: TestApp
    let admin: string
    let worker: LearningWorker | undefined
    const models = activeModels()
    const logLines: string[] = []

    beforeAll(async () => {
      t = await createTestApp(kind, { models })
      // No nightly training in the middle of this one, whatever the hour the suite runs at.
      await t.settings({ moderationMode: 'post', premodNewCommenters: 0, rateLimitPerMinute: 0, learningHourUtc: null })
      ;({ admin } = await signInBoth(t))
      worker = await startLearningWorker(t.db, {
        models,
        now: () => new Date(),
        pollSeconds: 1,
        log: consoleLog('info', (line) => logLines.push(line)),
      })
    })
    afterAll(async () => {
      await worker?.stop()
      await t?.close()
    })

    it('works a training queued through the API in its thread, and screens new posts with the promoted version', async () => {
      await seedDecisions(t.db, siteDecisions({ count: 500, abusive: 0.35 }))
      expect((await modRequest(t, admin, 'POST', '/api/v1/mod/screening/retrain', {})).status).toBe(202)
      const overview = async () => (await modRequest(t, admin, 'GET', '/api/v1/mod/screening/models')).json()
      const trained = async () => {
        const { training, versions } = await overview()
        return training.state === 'idle' && versions.length > 0
      }
      await expect.poll(trained, { timeout: 60_000, interval: 250 }).toBe(true)
      const { active, training, versions } = await overview()
      expect(training.last).toMatchObject({ promoted: true })
      expect(versions).toMatchObject([{ version: active.version, active: true, promoted: true, startedBy: 'editor' }])
      expect(active.kind).toBe('site')
      // One JSON line for the job, as for every other job.
      const logged = logLines.map((line) => JSON.parse(line)).find((line) => line.job === 'screening-learn')
      expect(logged).toMatchObject({ version: active.version, promoted: true, reason: 'promoted', ms: expect.any(Number) })

      const formToken = await aFormToken('worked', new Date(Date.now() - 60_000))
      const res = await t.postComment('worked', aComment({ body: INSULT, formToken }))
      expect(res.status).toBe(202)
      const { comment } = await res.json()
      const row = await t.db.selectFrom('comments').select('model_version').where('id', '=', comment.id).executeTakeFirstOrThrow()
      expect(row.model_version).toBe(active.version)
    }, 90_000)
  })

  describe(`a training that fails in the Node server's worker, on ${kind}`, () => {
    let t: TestApp
    let admin: string
    let worker: LearningWorker | undefined
    const logLines: string[] = []

    beforeAll(async () => {
      t = await createTestApp(kind)
      await t.settings({ learningHourUtc: null })
      ;({ admin } = await signInBoth(t))
      worker = await startLearningWorker(t.db, {
        models: activeModels(),
        now: () => new Date(),
        pollSeconds: 1,
        log: consoleLog('info', (line) => logLines.push(line)),
        learn: async () => {
          throw new Error('the shipped model on disk is not the running server’s: restart the server')
        },
      })
    })
    afterAll(async () => {
      await worker?.stop()
      await t?.close()
    })

    it('marks it failed for the workspace, and writes why to the log the workspace points to', async () => {
      await seedDecisions(t.db, siteDecisions({ count: 400, abusive: 0.35 }))
      expect((await modRequest(t, admin, 'POST', '/api/v1/mod/screening/retrain', {})).status).toBe(202)
      const state = async () => (await (await modRequest(t, admin, 'GET', '/api/v1/mod/screening/models')).json()).training.state
      await expect.poll(state, { timeout: 30_000, interval: 250 }).toBe('failed')
      const logged = logLines.map((line) => JSON.parse(line)).find((line) => line.job === 'screening-learn')
      expect(logged).toMatchObject({
        level: 50,
        msg: 'the screening training failed',
        err: { message: expect.stringMatching(/restart the server/) },
      })
    })
  })
}
