import { describe, expect, it } from 'vitest'
import { shippedModel } from '../screening/screening.shipped-model.js'
import { siteDecisions } from '../screening/screening.site-fixture.js'
import { learnSiteModel } from '../screening/screening.site-learn.js'
import { learnInThread } from './moderation.learning-thread.js'

describe('training in a worker thread', () => {
  it('decides exactly what training in the main thread decides, while the main thread stays free', async () => {
    const input = {
      examples: siteDecisions({ count: 400, abusive: 0.35 }),
      active: null,
      version: 'v1',
      trainedAt: '2026-02-01T00:00:00.000Z',
    }
    let ticks = 0
    const timer = setInterval(() => ticks++, 5)
    const threaded = await learnInThread({ ...input, shipped: shippedModel() })
    clearInterval(timer)
    expect(threaded).toEqual(learnSiteModel({ ...input, shipped: shippedModel() }))
    expect(threaded.promote).toBe(true)
    // The main thread ran its timers while the thread trained.
    expect(ticks).toBeGreaterThan(0)
  }, 60_000)

  it('refuses to train when the model on disk is not the running server’s (sources updated without a restart)', async () => {
    const input = { examples: siteDecisions({ count: 50 }), active: null, version: 'v2', trainedAt: '2026-02-01T00:00:00.000Z' }
    await expect(learnInThread({ ...input, shipped: { ...shippedModel(), version: 'shipped-0000000000000000' } })).rejects.toThrow(
      /restart the server/,
    )
  }, 60_000)
})
