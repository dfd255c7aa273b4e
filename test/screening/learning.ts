// npm run screening:eval -- --learning: a public source plays the newsroom. Its rows are split by hash
// into a desk (whose rows become moderators' decisions, oldest first) and a test set. A shipped-like model
// trained without the source scores the test rows; then 500, 1,000 and 3,000 desk decisions go through
// learnSiteModel, the product's own training and promotion, and the resulting site model scores them.
import {
  NOT_A_THRESHOLD_REFERENCE,
  REFERENCE_CLEAN,
  THRESHOLD_RULE,
  heldByDefaultRules,
  referenceCenter,
  rowWeights,
} from '../../src/cli/screening-datasets.js'
import type { Language } from '../../src/screening/screening.features.js'
import { type LoadedModel, checksum, modelVersion } from '../../src/screening/screening.model.js'
import { prepareSubmission } from '../../src/screening/screening.pipeline.js'
import { learnSiteModel } from '../../src/screening/screening.site-learn.js'
import { type LoadedSiteModel, type SiteModelFile, loadSiteModel, scoreComment } from '../../src/screening/screening.site-model.js'
import type { SiteExample } from '../../src/screening/screening.site-train.js'
import { shippedModel } from '../../src/screening/screening.shipped-model.js'
import {
  type Example,
  type FeatureMatrix,
  quantize,
  rowLogit,
  runtimeLanguage,
  toBase64,
  train,
} from '../../src/screening/screening.train.js'

export interface Newsroom {
  name: string
  sources: string[]
}

/** Sources that play a newsroom: the Levantine set, news comments in both languages, and two sets of English tweets. */
export const NEWSROOMS: Newsroom[] = [
  { name: 'Let-Mi (Levantine tweets)', sources: ['letmi'] },
  { name: 'MPOLD (Arabic news comments)', sources: ['mpold'] },
  { name: 'OSACT 2022 (Arabic tweets)', sources: ['osact2022'] },
  { name: 'Globe and Mail + Fox News comments', sources: ['c3_globeandmail', 'sfu_ctc', 'fox_news'] },
  { name: 'Davidson (English tweets)', sources: ['davidson'] },
  { name: 'HateXplain (English posts)', sources: ['hatexplain'] },
]

export const DESK_SIZES = [0, 500, 1000, 3000]
/** Share of a newsroom's rows kept for the test set (by hash of the text, so the split never moves). */
const TEST_SHARE = 0.3
const hashOf = (text: string, salt: string) => Number.parseInt(checksum(`${salt}${text}`).slice(0, 8), 16) / 2 ** 32

/**
 * The shipped model's recipe with the newsroom's sources left out: trained on every other row, and its
 * per-language hold threshold from reference sources that are each scored by a model trained without
 * them and without the newsroom (so no part of it ever saw the newsroom's rows).
 */
export function shippedWithout(
  examples: readonly Example[],
  matrix: FeatureMatrix,
  left: ReadonlySet<string>,
  languages: readonly Language[],
): LoadedModel {
  const trainable = (row: number) => !left.has(matrix.sources[row]!)
  const final = train(matrix, rowWeights(matrix, trainable))
  const { dequantized, bytes } = quantize(final.weights)
  const calibration = structuredClone(shippedModel().calibration)
  for (const language of languages) {
    const logits = new Float64Array(matrix.labels.length)
    const references = [...new Set(matrix.sources)].filter(
      (s) => REFERENCE_CLEAN.has(s) && !left.has(s) && !(THRESHOLD_RULE[language] === 'with-rules' && NOT_A_THRESHOLD_REFERENCE.has(s)),
    )
    for (const source of references) {
      const rows = [...matrix.labels.keys()].filter((row) => matrix.sources[row] === source && matrix.languages[row] === language)
      if (rows.filter((row) => !matrix.labels[row]).length < 50) continue
      const model = train(
        matrix,
        rowWeights(matrix, (row) => trainable(row) && matrix.sources[row] !== source),
      )
      for (const row of rows) logits[row] = rowLogit(model, matrix, row)
    }
    calibration[language].center = referenceCenter(
      matrix,
      logits,
      (row) => trainable(row),
      language,
      (row) => heldByDefaultRules(examples[row]!.text),
    )
  }
  const weights = toBase64(new Uint8Array(bytes.buffer))
  return { version: modelVersion({ weights, bias: final.bias, calibration }), weights: dequantized, bias: final.bias, calibration }
}

export interface Tally {
  abusive: number
  held: number
  clean: number
  published: number
}
export const tallyOf = (): Tally => ({ abusive: 0, held: 0, clean: 0, published: 0 })
function count(t: Tally, abusive: boolean, held: boolean) {
  if (abusive) {
    t.abusive++
    if (held) t.held++
  } else {
    t.clean++
    if (!held) t.published++
  }
}
export const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '-').padStart(6)

const submissionOf = (body: string) => prepareSubmission({ authorName: 'Reader', body, honeypot: undefined, isReply: false })

export interface Split {
  test: number[]
  /** In decision order: the first N are the desk's oldest N decisions. */
  desk: number[]
  languages: Language[]
}

/** A newsroom's rows split by hash into the desk and the test set (30%), the desk in a hashed order. */
export function splitNewsroom(examples: readonly Example[], matrix: FeatureMatrix, newsroom: Newsroom): Split {
  const rows = [...matrix.labels.keys()].filter((row) => newsroom.sources.includes(matrix.sources[row]!))
  const test = rows.filter((row) => hashOf(examples[row]!.text, 'test') < TEST_SHARE)
  const desk = rows
    .filter((row) => hashOf(examples[row]!.text, 'test') >= TEST_SHARE)
    .sort((a, b) => hashOf(examples[a]!.text, 'desk') - hashOf(examples[b]!.text, 'desk'))
  // Languages with a handful of rows (emoji-only tweets read as English) are not printed: no threshold of their own.
  const counts = new Map<Language, number>()
  for (const row of rows) counts.set(runtimeLanguage(examples[row]!.text), (counts.get(runtimeLanguage(examples[row]!.text)) ?? 0) + 1)
  return { test, desk, languages: [...counts].filter(([, n]) => n >= 150).map(([language]) => language) }
}

export interface Tallies {
  model: Tally
  withRules: Tally
}

/** Scores the test rows as the product would (the rules computed once), per language. */
export function testScorer(
  examples: readonly Example[],
  test: readonly number[],
): (base: LoadedModel, site: LoadedSiteModel | null) => Map<Language, Tallies> {
  const submissions = test.map((row) => submissionOf(examples[row]!.text))
  const byRules = test.map((row) => heldByDefaultRules(examples[row]!.text))
  return (base, site) => {
    const byLanguage = new Map<Language, Tallies>()
    submissions.forEach((submission, i) => {
      const example = examples[test[i]!]!
      const scored = scoreComment(base, site, example.text, submission.tokens)
      const t = byLanguage.get(scored.language) ?? { model: tallyOf(), withRules: tallyOf() }
      byLanguage.set(scored.language, t)
      const held = scored.risk >= 0.5
      count(t.model, example.abusive, held)
      count(t.withRules, example.abusive, held || byRules[i]!)
    })
    return byLanguage
  }
}

/** A desk row as the product stores a decision on it. */
export function deskExample(examples: readonly Example[], row: number, minute: number, overrides: Partial<SiteExample> = {}): SiteExample {
  const text = examples[row]!.text
  return {
    id: `desk-${row}`,
    text,
    language: runtimeLanguage(text),
    label: examples[row]!.abusive ? 'abusive' : 'clean',
    kind: 'decision',
    decidedAt: new Date(Date.UTC(2026, 0, 1) + minute * 60_000).toISOString(),
    heldByRules: heldByDefaultRules(text),
    ...overrides,
  }
}

export const learnAt = (examples: readonly SiteExample[], base: LoadedModel, version: string, active: SiteModelFile | null = null) =>
  learnSiteModel({ examples, shipped: base, active, version, trainedAt: '2027-01-01T00:00:00.000Z' })

export const promotionSummary = (learned: ReturnType<typeof learnAt>): string => {
  const h = learned.heldBack
  return `${learned.promote ? 'yes' : 'no'} (${learned.reason.code}${h.before && h.after ? `, held back ${(100 * h.before.recallAtTarget).toFixed(1)}→${(100 * h.after.recallAtTarget).toFixed(1)}%` : ''})`
}

export interface CurvePoint extends Tallies {
  newsroom: string
  language: Language
  decisions: number
  promoted: string
  seconds: number
  /** What screens after this training: the candidate if promoted, else the version active before it. */
  inUse: Tallies
}

/** The curve for one newsroom: test-set figures with no decisions and after each desk size. */
export function learningCurve(examples: readonly Example[], split: Split, base: LoadedModel, newsroom: Newsroom): CurvePoint[] {
  const score = testScorer(examples, split.test)
  const points: CurvePoint[] = []
  // The desk's decisions accumulate and each size is a training, compared with what the last one promoted.
  let active: SiteModelFile | null = null
  for (const size of DESK_SIZES) {
    if (size > split.desk.length) continue
    const started = Date.now()
    let site: LoadedSiteModel | null = null
    let promoted = 'shipped'
    let kept = false
    if (size > 0) {
      const learned = learnAt(
        split.desk.slice(0, size).map((row, i) => deskExample(examples, row, i)),
        base,
        `site-${size}`,
        active,
      )
      site = loadSiteModel(learned.candidate, base)
      promoted = promotionSummary(learned)
      if (learned.promote) active = learned.candidate
      kept = !learned.promote
    }
    const seconds = (Date.now() - started) / 1000
    // Not promoted: the version active before it (or the shipped model) goes on screening.
    const inUse = kept ? score(base, active ? loadSiteModel(active, base) : null) : null
    for (const [language, t] of score(base, site))
      points.push({ newsroom: newsroom.name, language, decisions: size, promoted, ...t, seconds, inUse: inUse?.get(language) ?? t })
  }
  return points
}

export function printCurves(points: readonly CurvePoint[], log: (line: string) => void): void {
  log(
    `\n${'newsroom'.padEnd(36)} lang test abusive/clean decisions | candidate model: abuse held  clean published | rules + model: held  published | in use after it: held  published | promoted? (held-back recall at 95%: active→candidate)`,
  )
  for (const p of points) {
    if (p.model.abusive + p.model.clean < 50) continue
    log(
      `${p.newsroom.padEnd(36)} ${p.language.padEnd(4)} ${`${p.model.abusive}/${p.model.clean}`.padStart(18)} ${String(p.decisions).padStart(9)} | ${pct(p.model.held, p.model.abusive).padStart(17)} ${pct(p.model.published, p.model.clean).padStart(16)} | ${pct(p.withRules.held, p.withRules.abusive).padStart(18)} ${pct(p.withRules.published, p.withRules.clean).padStart(10)} | ${pct(p.inUse.withRules.held, p.inUse.withRules.abusive).padStart(20)} ${pct(p.inUse.withRules.published, p.inUse.withRules.clean).padStart(10)} | ${p.promoted}`,
    )
  }
}
