import { describe, expect, it } from 'vitest'
import { defaultSiteSettings } from '../settings/settings.schema.js'
import { detectLanguage, distinctFeatures } from './screening.features.js'
import { explain, loadModel, logitOf, scoreTokens } from './screening.model.js'
import { tokenize } from './screening.normalize.js'
import { prepareSubmission, runRules } from './screening.pipeline.js'
import { modelRule } from './screening.rules.js'
import { shippedModel } from './screening.shipped-model.js'
import { auc, featurize, modelFile, rowLogit, train } from './screening.train.js'
import type { ScreeningContext } from './screening.types.js'

const risk = (text: string) => scoreTokens(shippedModel(), tokenize(text), text).risk

function context(settings: Partial<ScreeningContext['settings']> = {}, status: 'normal' | 'trusted' = 'normal'): ScreeningContext {
  return {
    settings: { ...defaultSiteSettings(), ...settings },
    mode: 'post',
    commenter: { status, approvedCount: 3, rejectedCount: 0, verified: status === 'trusted' },
    recentBodies: [],
    formAge: 20,
  }
}
const submission = (body: string) => prepareSubmission({ authorName: 'Reader', body, honeypot: undefined, isReply: false })

describe('the shipped abuse model', () => {
  it('scores insults high and war reporting low, in English and Arabic', () => {
    for (const abusive of [
      'You are a pathetic idiot and a liar',
      'shut up you stupid bitch',
      'ياكلب يا حقير',
      'انت حمار وابن حمار',
      'كس اختك يا منيوك',
    ]) {
      expect(risk(abusive), abusive).toBeGreaterThan(0.8)
    }
    for (const clean of [
      'Three civilians were killed in the shelling overnight, according to local medics.',
      'Thank you for reporting from Idlib when so few outlets still do.',
      'الله يرحم الشهداء ويحمي اهل ادلب',
      'متى سيتم فتح المعابر الانسانية امام المدنيين؟',
    ]) {
      expect(risk(clean), clean).toBeLessThan(0.5)
    }
  })

  it('sees through the evasions the word rules normalise', () => {
    // Leetspeak folds to the same words, so the same features: the same score.
    expect(risk('you stup1d 1d1ot')).toBe(risk('you stupid idiot'))
    // The joined vocative is learned through the stem it carries: both forms score as abusive.
    expect(risk('ياكلب')).toBeGreaterThan(0.8)
    expect(risk('يا كلب')).toBeGreaterThan(0.8)
    expect(risk('حــــقــــير')).toBeCloseTo(risk('حقير'), 5)
    expect(risk('حقييييير')).toBeCloseTo(risk('حقير'), 5)
  })

  it('tells Arabic from English by its words', () => {
    expect(detectLanguage(tokenize('شو هالحكي #Syria'))).toBe('ar')
    expect(detectLanguage(tokenize('The strike on Idlib, ادلب'))).toBe('en')
  })

  it('points at the words that pushed the score up, with their place in the text', () => {
    const body = 'Interesting article, but you are a complete idiot'
    const spans = explain(shippedModel(), tokenize(body), body)
    expect(spans.length).toBeGreaterThan(0)
    expect(spans.map((s) => s.match)).toContain('idiot')
    for (const span of spans) expect(body.slice(span.start, span.end)).toBe(span.match)
  })
})

describe('the model rule', () => {
  it('holds at the hold threshold with the score in the reason, and records risk when it publishes', () => {
    const held = runRules([modelRule], submission('You are a pathetic idiot and a liar'), context())
    expect(held.verdict).toBe('hold')
    expect(held.flagged).toBe(true)
    expect(held.reasons[0]!.message).toMatch(/^Likely abusive \((?:0\.\d\d|1\.00)\)$/)
    expect(held.risk).toBeGreaterThan(0.8)
    expect(held.reasons[0]!.spans?.map((s) => s.match)).toContain('idiot')

    const published = runRules([modelRule], submission('A measured comment about the ceasefire talks.'), context())
    expect(published.verdict).toBe('publish')
    expect(published.reasons[0]).toMatchObject({ rule: 'model_abuse', verdict: 'publish' })
    expect(published.risk).toBe(published.reasons[0]!.score)
  })

  it('rejects only when the site sets a reject threshold, and follows the hold threshold it sets', () => {
    const body = 'You are a pathetic idiot and a liar'
    expect(runRules([modelRule], submission(body), context({ modelRejectThreshold: 0.9 })).verdict).toBe('reject')
    expect(runRules([modelRule], submission(body), context({ modelHoldThreshold: 1 })).verdict).toBe('publish')
  })

  it('scores verified trusted commenters without holding them, and stays silent when switched off', () => {
    const trusted = runRules([modelRule], submission('You are a pathetic idiot and a liar'), context({}, 'trusted'))
    expect(trusted.verdict).toBe('publish')
    expect(trusted.risk).toBeGreaterThan(0.8)
    expect(runRules([modelRule], submission('You are a pathetic idiot'), context({ modelEnabled: false })).reasons).toEqual([])
  })
})

describe('training', () => {
  const examples = [
    ...['you idiot', 'stupid idiot', 'idiot moron', 'what a moron', 'shut up moron', 'idiots everywhere'].map((text) => ({
      text,
      abusive: true,
    })),
    ...['thank you', 'good article', 'thank you for this', 'a good report', 'what a good piece', 'thanks everyone'].map((text) => ({
      text,
      abusive: false,
    })),
  ].map((e) => ({ ...e, language: 'en' as const, source: 'toy' }))

  it('learns a separable toy problem and writes the same bytes twice', () => {
    const matrix = featurize(examples)
    const weights = new Float32Array(examples.length).fill(1)
    const first = train(matrix, weights, { epochs: 20, learningRate: 0.5, l2: 1e-6, alpha: 1, seed: 7 })
    const second = train(matrix, weights, { epochs: 20, learningRate: 0.5, l2: 1e-6, alpha: 1, seed: 7 })
    const calibration = { ar: { center: 0, slope: 1 }, en: { center: 0, slope: 1 } }
    const file = modelFile(first, calibration, ['toy'], {})
    expect(JSON.stringify(file)).toBe(JSON.stringify(modelFile(second, calibration, ['toy'], {})))
    const model = loadModel(file)
    const score = (text: string) => scoreTokens(model, tokenize(text), text).risk
    expect(score('idiot')).toBeGreaterThan(0.5)
    expect(score('thank you')).toBeLessThan(0.5)
  })

  it('computes AUC by ranks, ties counting half', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBeCloseTo(0.75)
    expect(auc([0.5, 0.5], [false, true])).toBeCloseTo(0.5)
  })

  it('scores at run time exactly what training computed for the same text', () => {
    const texts = ['idiot idiot idiot 😡😡', 'حمااار والكلاب يا حقير', 'A measured comment about the talks.', '🙏']
    const matrix = featurize(texts.map((text) => ({ text, abusive: false, language: 'en' as const, source: 'parity' })))
    texts.forEach((text, row) => {
      const features = distinctFeatures(tokenize(text), text)
      expect(new Set(features).size).toBe(features.length)
      expect(rowLogit(shippedModel(), matrix, row)).toBeCloseTo(logitOf(shippedModel(), tokenize(text), text), 10)
    })
  })
})
