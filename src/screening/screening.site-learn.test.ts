import { describe, expect, it } from 'vitest'
import { shippedModel } from './screening.shipped-model.js'
import { siteDecisions } from './screening.site-fixture.js'
import { learnSiteModel, splitHeldBack } from './screening.site-learn.js'
import { type SiteExample, trainSiteModel } from './screening.site-train.js'

const shipped = shippedModel()
const DAY = 86_400_000
const january = Date.UTC(2026, 0, 1)

describe('promotion only when better', () => {
  it('holds back the newest fifth of the decisions, and trains the twin on what came before them only', () => {
    const decisions = siteDecisions({ count: 100 })
    const implicit = decisions.slice(0, 10).map((e, i) => ({
      ...e,
      id: `i${i}`,
      label: 'clean' as const,
      kind: 'implicit' as const,
      decidedAt: new Date(january + 95 * 60_000 + i).toISOString(),
    }))
    const { older, heldBack } = splitHeldBack([...implicit, ...decisions].reverse(), 0.2)
    expect(heldBack.map((e) => e.id)).toEqual(decisions.slice(80).map((e) => e.id))
    expect(older.map((e) => e.id)).toEqual(decisions.slice(0, 80).map((e) => e.id))
  })

  it("promotes a site model that holds more of the newest decisions' abuse than the shipped model, with the figures before and after", () => {
    const learned = learnSiteModel({
      examples: siteDecisions({ count: 600 }),
      shipped,
      active: null,
      version: 'v1',
      trainedAt: '2026-02-01T00:00:00.000Z',
    })
    expect(learned.reason.code).toBe('promoted')
    expect(learned.promote).toBe(true)
    const { before, after, examples } = learned.heldBack
    expect(examples.en!.abusive + examples.en!.clean).toBe(120)
    expect(before!.version).toBe(shipped.version)
    expect(after!.version).toBe('v1')
    expect(after!.recallAtTarget).toBeGreaterThan(before!.recallAtTarget)
    expect(after!.byLanguage.en!.recall).toBeGreaterThan(0.8)
    expect(after!.all.cleanPublished).toBeGreaterThanOrEqual(0.9)
    expect(learned.candidate.trainedThrough).toBe(new Date(january + 599 * 60_000).toISOString())
  })

  it('does not count as evidence a decision on a comment the active version may have learned as an implicit approval', () => {
    const trainedAt = '2026-02-01T00:00:00.000Z'
    const active = trainSiteModel({ examples: siteDecisions({ count: 600 }), shipped, version: 'v1', trainedAt })
    const newer = siteDecisions({ count: 600, seed: 5, startAt: january + 40 * DAY, idPrefix: 'n' })
    const evidence = (examples: SiteExample[]) => {
      const counts = learnSiteModel({ examples, shipped, active, version: 'v2', trainedAt: '2026-03-15T00:00:00.000Z' }).heldBack.examples
        .en!
      return counts.abusive + counts.clean
    }
    expect(evidence(newer)).toBe(120)
    // Half of them the screening published ten days before v1 trained; readers reported them, the desk decided since.
    const longPublished = newer.map((e, i) => (i % 2 ? { ...e, publishedAt: new Date(Date.parse(trainedAt) - 10 * DAY) } : e))
    expect(evidence(longPublished)).toBe(60)
    // Published an hour before v1 trained: too new to have been one of its implicit approvals.
    const justPublished = newer.map((e) => ({ ...e, publishedAt: new Date(Date.parse(trainedAt) - 3_600_000) }))
    expect(evidence(justPublished)).toBe(120)
  })

  it('keeps a worse candidate as a version and says why, leaving the active model in place', () => {
    const active = trainSiteModel({
      examples: siteDecisions({ count: 600 }),
      shipped,
      version: 'v1',
      trainedAt: '2026-02-01T00:00:00.000Z',
    })
    // A month later the desk's decisions teach the opposite of what they taught before (a mislabelled
    // import, say); only the newest are right again.
    const later = january + 31 * DAY
    const wrong = siteDecisions({ count: 480, seed: 11, inverted: true, startAt: later, idPrefix: 'w' })
    const right = siteDecisions({ count: 120, seed: 12, startAt: later + 480 * 60_000, idPrefix: 'r' })
    const learned = learnSiteModel({
      examples: [...wrong, ...right],
      shipped,
      active,
      version: 'v2',
      trainedAt: '2026-03-01T00:00:00.000Z',
    })
    expect(learned.promote).toBe(false)
    expect(learned.reason.code).toBe('not_more_abuse_held')
    expect(learned.reason.message).toMatch(/holds no more abuse/)
    expect(learned.heldBack.before!.version).toBe('v1')
    expect(learned.heldBack.after!.recallAtTarget).toBeLessThan(learned.heldBack.before!.recallAtTarget)
    expect(learned.candidate.version).toBe('v2')
  })

  it('compares only on decisions the active model has not learned from, and waits until there are enough', () => {
    const decisions = siteDecisions({ count: 600 })
    const active = trainSiteModel({ examples: decisions.slice(0, 550), shipped, version: 'v1', trainedAt: '2026-02-01T00:00:00.000Z' })
    const learned = learnSiteModel({ examples: decisions, shipped, active, version: 'v2', trainedAt: '2026-02-02T00:00:00.000Z' })
    expect(learned.promote).toBe(false)
    expect(learned.reason.code).toBe('too_few_held_back')
    const seen = learned.heldBack.examples.en!
    expect(seen.abusive + seen.clean).toBe(50)
  })

  it('says so when no language has enough decisions yet', () => {
    const learned = learnSiteModel({
      examples: siteDecisions({ count: 200 }),
      shipped,
      active: null,
      version: 'v1',
      trainedAt: '2026-02-01T00:00:00.000Z',
    })
    expect(learned).toMatchObject({ promote: false, reason: { code: 'too_few_decisions' } })
    expect(learned.candidate.languages).toEqual({})
  })

  it('judges a site model stacked on another shipped model against the shipped model that serves', () => {
    const active = {
      ...trainSiteModel({
        examples: siteDecisions({ count: 400, seed: 4 }),
        shipped,
        version: 'v1',
        trainedAt: '2026-01-01T00:00:00.000Z',
      }),
      baseVersion: 'shipped-old',
    }
    const later = siteDecisions({ count: 600, startAt: january + 31 * DAY })
    const learned = learnSiteModel({ examples: later, shipped, active, version: 'v2', trainedAt: '2026-03-01T00:00:00.000Z' })
    expect(learned.heldBack.before!.version).toBe(shipped.version)
    expect(learned.promote).toBe(true)
  })

  it('trains 5,000 decisions and 5,000 implicit approvals, and compares, within the 60-second budget', () => {
    const decisions = siteDecisions({ count: 5000, seed: 21 })
    const implicit = siteDecisions({ count: 5000, seed: 22, abusive: 0, idPrefix: 'i', startAt: january - DAY }).map((e) => ({
      ...e,
      kind: 'implicit' as const,
    }))
    const started = performance.now()
    const learned = learnSiteModel({
      examples: [...decisions, ...implicit],
      shipped,
      active: null,
      version: 'v1',
      trainedAt: '2026-03-01T00:00:00.000Z',
    })
    expect(performance.now() - started).toBeLessThan(60_000)
    expect(learned.candidate.examples.en).toMatchObject({ implicit: 5000 })
    expect(learned.promote).toBe(true)
  }, 120_000)
})
