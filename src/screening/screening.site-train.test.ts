import { describe, expect, it } from 'vitest'
import { scoreTokens } from './screening.model.js'
import { tokenize } from './screening.normalize.js'
import { shippedModel } from './screening.shipped-model.js'
import { siteDecisions } from './screening.site-fixture.js'
import { SiteModelMismatch, decodeSparse, loadSiteModel, scoreComment } from './screening.site-model.js'
import { holdThreshold } from './screening.site-stack.js'
import { DEFAULT_SITE_OPTIONS, type SiteExample, crossValidatedLogits, prepare, trainSiteModel } from './screening.site-train.js'
import { rowLogit, seededRandom } from './screening.train.js'

const shipped = shippedModel()
const trainOn = (examples: readonly SiteExample[], options = {}) =>
  trainSiteModel({ examples, shipped, version: 'v1', trainedAt: '2026-02-01T00:00:00.000Z', options })

const decisions = siteDecisions({ count: 600, seed: 3 })
const fresh = siteDecisions({ count: 600, seed: 99, idPrefix: 'fresh' })

describe('training a site model from its decisions', () => {
  const file = trainOn(decisions)

  it('gives the same file byte for byte, whatever order the examples come in', () => {
    const shuffled = [...decisions]
    const random = seededRandom(5)
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]
    }
    expect(JSON.stringify(trainOn(shuffled))).toBe(JSON.stringify(file))
  })

  it("learns the site's own insults, which the shipped model does not know, and names the version that scored", () => {
    const site = loadSiteModel(file, shipped)
    const body = 'the mayor is a blorft and a snargle'
    const before = scoreComment(shipped, null, body)
    const after = scoreComment(shipped, site, body)
    expect(before).toMatchObject({ kind: 'shipped', version: shipped.version })
    expect(before.risk).toBeLessThan(0.5)
    expect(after).toMatchObject({ kind: 'site', version: 'v1', language: 'en' })
    expect(after.risk).toBeGreaterThan(0.5)
    // On new comments from the same desk: most abuse held, about the target share of clean published.
    const risks = fresh.map((e) => ({ e, risk: scoreComment(shipped, site, e.text).risk }))
    const abusive = risks.filter((r) => r.e.label === 'abusive')
    const clean = risks.filter((r) => r.e.label === 'clean')
    expect(abusive.filter((r) => r.risk >= 0.5).length / abusive.length).toBeGreaterThan(0.9)
    expect(clean.filter((r) => r.risk < 0.5).length / clean.length).toBeGreaterThan(0.9)
  })

  it('scores a language it has no decisions in with the shipped model, unchanged', () => {
    const site = loadSiteModel(file, shipped)
    const body = 'انت حمار وابن حمار'
    expect(scoreComment(shipped, site, body)).toEqual({
      ...scoreTokens(shipped, tokenize(body), body),
      version: shipped.version,
      kind: 'shipped',
    })
  })

  it("is the stack it describes: shipped calibrated logit and site logit, weighted, then the site's calibration", () => {
    const site = loadSiteModel(file, shipped)
    const en = file.languages.en!
    const siteWeights = decodeSparse(file.site)
    const body = 'the council budget is a quimbo plan'
    const tokens = tokenize(body)
    const shippedLogit = scoreTokens(shipped, tokens, body).logit
    const siteLogit = scoreTokens({ ...shipped, weights: siteWeights, bias: file.site.bias }, tokens, body).logit
    const { center, slope } = shipped.calibration.en
    const stacked = en.stack.shipped * slope * (shippedLogit - center) + en.stack.site * siteLogit + en.stack.bias
    expect(scoreComment(shipped, site, body).logit).toBeCloseTo(stacked, 4)
    expect(en.stack.site).toBeGreaterThan(0)
  })

  it('stays small: its strongest weights only, and a file of a few tens of KB', () => {
    const small = trainOn(decisions, { maxWeights: 500 })
    expect(decodeSparse(small.site).filter((w) => w !== 0).length).toBeLessThanOrEqual(500)
    expect(JSON.stringify(file).length).toBeLessThan(100_000)
    expect(decodeSparse(file.site).filter((w) => w !== 0).length).toBeLessThanOrEqual(DEFAULT_SITE_OPTIONS.maxWeights)
  })

  it('counts the examples by language and label, implicit approvals apart', () => {
    const implicit: SiteExample[] = fresh
      .filter((e) => e.label === 'clean')
      .slice(0, 40)
      .map((e) => ({ ...e, kind: 'implicit' }))
    const counted = trainOn([...decisions, ...implicit]).examples.en!
    expect(counted).toEqual({
      abusive: decisions.filter((e) => e.label === 'abusive').length,
      clean: decisions.filter((e) => e.label === 'clean').length + 40,
      implicit: 40,
    })
  })

  it('refuses an implicit approval labelled abusive, and a model stacked on another shipped model', () => {
    expect(() => trainOn([{ ...decisions[0]!, kind: 'implicit', label: 'abusive' }])).toThrow(/implicit approval is clean/)
    expect(() => loadSiteModel({ ...file, baseVersion: 'shipped-0000000000000000' }, shipped)).toThrow(SiteModelMismatch)
  })
})

describe("thresholds from the site's own comments", () => {
  it('keeps the shipped model and threshold until a language has 300 decisions', () => {
    const few = trainOn(decisions.slice(0, 299))
    expect(few.languages).toEqual({})
    const body = 'the mayor is a blorft'
    expect(scoreComment(shipped, loadSiteModel(few, shipped), body)).toEqual(scoreComment(shipped, null, body))
    expect(trainOn(decisions.slice(0, 300)).languages.en?.decisions).toBe(300)
  })

  it('sets the threshold on cross-validated scores, so new clean comments are published at the target', () => {
    const file = trainOn(decisions)
    const p = prepare(decisions, shipped, DEFAULT_SITE_OPTIONS.folds)
    const cv = crossValidatedLogits(p, DEFAULT_SITE_OPTIONS)
    const rows = [...p.examples.keys()]
    const { stack, calibration } = file.languages.en!
    const stacked = rows.map((row) => stack.shipped * p.shippedLogits[row]! + stack.site * cv[row]! + stack.bias)
    const approved = rows.filter((row) => p.examples[row]!.label === 'clean')
    expect(calibration.center).toBeCloseTo(
      holdThreshold(
        approved.map((row) => stacked[row]!),
        0.95,
      ),
      3,
    )
    expect(file.crossValidated.en!.cleanPublished).toBeGreaterThanOrEqual(0.95)

    // What the threshold is for: new clean comments from the same desk, published at about the target.
    // In-sample scores would put it far lower: these comments carry words the model memorised.
    const site = loadSiteModel(file, shipped)
    const siteWeights = decodeSparse(file.site)
    const inSample = holdThreshold(
      approved.map(
        (row) =>
          stack.shipped * p.shippedLogits[row]! +
          stack.site * rowLogit({ weights: siteWeights, bias: file.site.bias }, p.matrix, row) +
          stack.bias,
      ),
      0.95,
    )
    const freshLogits = fresh.filter((e) => e.label === 'clean').map((e) => scoreComment(shipped, site, e.text).logit)
    const publishedAt = (threshold: number) => freshLogits.filter((logit) => logit < threshold).length / freshLogits.length
    expect(publishedAt(calibration.center)).toBeGreaterThan(0.92)
    expect(publishedAt(inSample)).toBeLessThan(0.85)
  })

  it('leaves room for the approved comments the word rules hold anyway', () => {
    const plain = trainOn(decisions)
    let flagged = 0
    const withRules = decisions.map((e) => (e.label === 'clean' && flagged++ % 25 === 0 ? { ...e, heldByRules: true } : e))
    const file = trainOn(withRules)
    // About 4% of approvals are the rules' already: the model may hold only about 1% more.
    expect(file.languages.en!.calibration.center).toBeGreaterThan(plain.languages.en!.calibration.center)
    expect(file.crossValidated.en!.cleanPublished).toBeGreaterThanOrEqual(0.95)
    expect(file.crossValidated.en!.cleanPublished).toBeLessThan(0.97)
  })

  it('holds at most the target share of approved scores, ties held back rather than held', () => {
    const scores = Array.from({ length: 100 }, (_, i) => i)
    const at = holdThreshold(scores, 0.95)
    expect(scores.filter((s) => s >= at).length).toBe(5)
    expect(holdThreshold([1, 2, 3, 3, 3, 3], 0.5)).toBeGreaterThan(3)
    expect(holdThreshold([5, 1], 0.95)).toBeGreaterThan(5)
    // Three of a hundred already held by the rules: the threshold holds two more.
    expect(scores.filter((s) => s >= holdThreshold(scores.slice(3), 0.95, 3)).length).toBe(2)
  })
})
