// Training a site model from this site's own moderation, without the public data sets: a separate
// NB-weighted logistic regression trained on the site's examples alone, stacked with the shipped model's
// score. The stacking weights and the per-language hold threshold come from cross-validated scores on
// the site's examples, never from in-sample ones. Pure and deterministic: the same examples (in any
// order) give the same file, byte for byte, on Node and on Workers.
import type { Language } from './screening.features.js'
import { FEATURE_BITS } from './screening.features.js'
import { type LoadedModel, checksum } from './screening.model.js'
import { type ExampleCount, type Figures, SITE_MODEL_FORMAT, type SiteModelFile, encodeSparse } from './screening.site-model.js'
import { fitStack, holdThreshold } from './screening.site-stack.js'
import {
  DEFAULT_TRAIN_OPTIONS,
  type FeatureMatrix,
  type TrainOptions,
  auc,
  featurize,
  fitSlope,
  rowLogit,
  train,
} from './screening.train.js'

export interface SiteExample {
  /** Stable and unique (the comment's id): it fixes the example's cross-validation fold and its order. */
  id: string
  text: string
  /** The language the comment is scored as (detectLanguage over its words). */
  language: Language
  label: 'abusive' | 'clean'
  /** `decision`: a moderator approved or rejected it. `implicit`: still published, never rejected or reported. */
  kind: 'decision' | 'implicit'
  /** How much it counts; defaults to 1 for a decision and IMPLICIT_APPROVAL_WEIGHT for an implicit approval. */
  weight?: number
  /** When it was decided (for an implicit approval: when it was published). Orders the held-back split. */
  decidedAt: string | Date
  /**
   * A content rule (word lists, links, shouting, repetition: not the model, not a moderation policy) held
   * or refused it. Such comments are held whatever the model says, so the site's threshold leaves room for them.
   */
  heldByRules?: boolean
  /**
   * A decision on a comment the screening had published: when it was published. A training that started a
   * day or more later may have learned it as an implicit approval before anyone decided it.
   */
  publishedAt?: string | Date
}

/**
 * A published comment counts as the desk's implicit approval only once the desk has had a day to read it
 * (and readers to report it): last night's comments are not yet approved by anybody.
 */
export const IMPLICIT_AFTER_MS = 24 * 60 * 60 * 1000

/**
 * An implicit approval counts this much against an explicit decision's 1: enough that the site model
 * learns the site's ordinary vocabulary, little enough that the abuse nobody reported does not teach it
 * that abuse is clean. Chosen on the learning curves (docs: the abuse model's card).
 */
export const IMPLICIT_APPROVAL_WEIGHT = 0.25

export interface SiteTrainingOptions {
  /** Share of approved comments a language's threshold publishes (the rest are held). */
  cleanPublishTarget: number
  /** Explicit decisions a language needs before its site model and threshold replace the shipped ones. */
  minDecisions: number
  /** And of those, rejections for abuse. */
  minAbusive: number
  folds: number
  /** The site model keeps its strongest weights only, so a version stays a few tens of KB. */
  maxWeights: number
  train: TrainOptions
}

export const DEFAULT_SITE_OPTIONS: SiteTrainingOptions = {
  cleanPublishTarget: 0.95,
  minDecisions: 300,
  minAbusive: 30,
  folds: 5,
  maxWeights: 16_384,
  train: { ...DEFAULT_TRAIN_OPTIONS, epochs: 6 },
}

export interface SiteTrainingInput {
  examples: readonly SiteExample[]
  /** The shipped model (or, in evaluations, a shipped-like model) the site model is stacked on. */
  shipped: LoadedModel
  version: string
  trainedAt: string
  options?: Partial<SiteTrainingOptions>
}

export const timeOf = (example: Pick<SiteExample, 'decidedAt'>): number => new Date(example.decidedAt).getTime()

/** Oldest first, ties by id: the order training sees, whatever order the caller read them in. */
export function canonicalOrder<T extends Pick<SiteExample, 'id' | 'decidedAt'>>(examples: readonly T[]): T[] {
  return [...examples].sort((a, b) => timeOf(a) - timeOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

export const weightOf = (example: SiteExample): number => example.weight ?? (example.kind === 'implicit' ? IMPLICIT_APPROVAL_WEIGHT : 1)

function validate(examples: readonly SiteExample[]): void {
  const ids = new Set<string>()
  for (const e of examples) {
    if (ids.has(e.id)) throw new Error(`Example ${e.id} appears twice`)
    ids.add(e.id)
    if (e.kind === 'implicit' && e.label !== 'clean') throw new Error(`Example ${e.id}: an implicit approval is clean by definition`)
    if (!(weightOf(e) > 0)) throw new Error(`Example ${e.id}: weight must be above zero`)
    if (Number.isNaN(timeOf(e))) throw new Error(`Example ${e.id}: decidedAt is not a time`)
  }
}

/** The examples in training order, as features, with the shipped model's calibrated logit for each. */
export interface Prepared {
  examples: SiteExample[]
  matrix: FeatureMatrix
  /** slope × (logit − center) of the shipped model, in the example's language: 0 at its hold threshold. */
  shippedLogits: Float64Array
  folds: Uint8Array
}

export function prepare(examples: readonly SiteExample[], shipped: LoadedModel, folds: number): Prepared {
  validate(examples)
  const ordered = canonicalOrder(examples)
  const matrix = featurize(ordered.map((e) => ({ text: e.text, abusive: e.label === 'abusive', language: e.language, source: e.kind })))
  const shippedLogits = Float64Array.from(ordered, (e, row) => {
    const { center, slope } = shipped.calibration[e.language]
    return slope * (rowLogit(shipped, matrix, row) - center)
  })
  // A fold from the id alone: adding examples never moves the old ones between folds.
  const foldOf = Uint8Array.from(ordered, (e) => Number.parseInt(checksum(e.id).slice(0, 8), 16) % folds)
  return { examples: ordered, matrix, shippedLogits, folds: foldOf }
}

/** Each language's two classes weigh the same in total, each example by its own weight; mean one. */
export function balancedWeights(p: Prepared, include: (row: number) => boolean): Float32Array {
  const weights = new Float32Array(p.examples.length)
  const totals = new Map<string, number>()
  const key = (row: number) => `${p.examples[row]!.language}:${p.matrix.labels[row]}`
  p.examples.forEach((e, row) => {
    if (!include(row)) return
    weights[row] = weightOf(e)
    totals.set(key(row), (totals.get(key(row)) ?? 0) + weights[row]!)
  })
  let sum = 0
  let count = 0
  for (let row = 0; row < weights.length; row++) {
    if (weights[row] === 0) continue
    const language = p.examples[row]!.language
    const other = totals.get(`${language}:${1 - p.matrix.labels[row]!}`) ?? 0
    // A language with one class only teaches nothing about the boundary: left out.
    weights[row] = other > 0 ? (weights[row]! * (totals.get(key(row))! + other)) / 2 / totals.get(key(row))! : 0
    if (weights[row]! > 0) {
      sum += weights[row]!
      count++
    }
  }
  for (let row = 0; row < weights.length; row++) weights[row] = count ? (weights[row]! * count) / sum : 0
  return weights
}

/** The strongest `maxWeights` weights, int8: what a version stores. */
export interface CompactWeights {
  indices: number[]
  bytes: Int8Array
  scale: number
  bias: number
  /** The same weights, dequantised, over every feature: what scoring sees. */
  dense: Float32Array
}

export function trainCompact(p: Prepared, rowWeights: Float32Array, options: SiteTrainingOptions): CompactWeights {
  const trained = train(p.matrix, rowWeights, options.train)
  const order: number[] = []
  for (let j = 0; j < trained.weights.length; j++) if (trained.weights[j] !== 0) order.push(j)
  order.sort((a, b) => Math.abs(trained.weights[b]!) - Math.abs(trained.weights[a]!) || a - b)
  const indices = order.slice(0, options.maxWeights).sort((a, b) => a - b)
  let top = 0
  for (const j of indices) top = Math.max(top, Math.abs(trained.weights[j]!))
  const scale = top / 127 || 1
  const bytes = new Int8Array(indices.length)
  const dense = new Float32Array(trained.weights.length)
  indices.forEach((j, k) => {
    bytes[k] = Math.round(trained.weights[j]! / scale)
    dense[j] = bytes[k]! * scale
  })
  return { indices, bytes, scale, bias: trained.bias, dense }
}

/** Each example scored by a site model trained on the other folds (pruned and quantised as a version is). */
export function crossValidatedLogits(p: Prepared, options: SiteTrainingOptions): Float64Array {
  const logits = new Float64Array(p.examples.length)
  for (let fold = 0; fold < options.folds; fold++) {
    const weights = balancedWeights(p, (row) => p.folds[row] !== fold)
    if (!weights.some((w) => w > 0)) continue
    const compact = trainCompact(p, weights, options)
    const model = { weights: compact.dense, bias: compact.bias }
    for (let row = 0; row < logits.length; row++) if (p.folds[row] === fold) logits[row] = rowLogit(model, p.matrix, row)
  }
  return logits
}

/** Figures at a threshold, rules' holds included: explicit rejections for recall, every approval (explicit or implicit) for clean published. */
export function figuresAt(scores: ArrayLike<number>, rows: readonly number[], p: Prepared, threshold: number): Figures {
  return figuresOf(
    rows.map((row) => ({
      abusive: p.matrix.labels[row] === 1,
      held: scores[row]! >= threshold || p.examples[row]!.heldByRules === true,
    })),
  )
}

/** Abuse held and clean published, from each comment's label and whether it was held. */
export function figuresOf(outcomes: Iterable<{ abusive: boolean; held: boolean }>): Figures {
  let abusive = 0
  let held = 0
  let clean = 0
  let published = 0
  for (const outcome of outcomes) {
    if (outcome.abusive) {
      abusive++
      if (outcome.held) held++
    } else {
      clean++
      if (!outcome.held) published++
    }
  }
  return { abusive, clean, recall: abusive ? held / abusive : Number.NaN, cleanPublished: clean ? published / clean : Number.NaN }
}

export function countExamples(examples: readonly SiteExample[]): Partial<Record<Language, ExampleCount>> {
  const counts: Partial<Record<Language, ExampleCount>> = {}
  for (const e of examples) {
    const c = counts[e.language] ?? { abusive: 0, clean: 0, implicit: 0 }
    counts[e.language] = c
    if (e.label === 'abusive') c.abusive++
    else {
      c.clean++
      if (e.kind === 'implicit') c.implicit++
    }
  }
  return counts
}

const round = (x: number, digits = 4) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x)

export function trainSiteModel(input: SiteTrainingInput): SiteModelFile {
  const options = { ...DEFAULT_SITE_OPTIONS, ...input.options }
  const p = prepare(input.examples, input.shipped, options.folds)
  const languages: SiteModelFile['languages'] = {}
  const crossValidated: SiteModelFile['crossValidated'] = {}
  const eligible = (['ar', 'en'] as const).filter((language) => {
    const decisions = p.examples.filter((e) => e.language === language && e.kind === 'decision')
    return decisions.length >= options.minDecisions && decisions.filter((e) => e.label === 'abusive').length >= options.minAbusive
  })
  let compact: CompactWeights | null = null
  if (eligible.length > 0) {
    const cv = crossValidatedLogits(p, options)
    const weights = balancedWeights(p, () => true)
    for (const language of eligible) {
      const rows = [...p.examples.keys()].filter((row) => p.examples[row]!.language === language && weights[row]! > 0)
      const abusive = rows.map((row) => p.matrix.labels[row] === 1)
      const fitted = fitStack(
        rows.map((row) => p.shippedLogits[row]!),
        rows.map((row) => cv[row]!),
        abusive,
        rows.map((row) => weights[row]!),
      )
      // Rounded before the threshold is set, so the threshold is exact for the weights the file stores.
      const stack = { shipped: round(fitted.shipped), site: round(fitted.site), bias: round(fitted.bias) }
      const stacked = new Float64Array(p.examples.length)
      for (const row of rows) stacked[row] = stack.shipped * p.shippedLogits[row]! + stack.site * cv[row]! + stack.bias
      const approved = rows.filter((row) => !p.matrix.labels[row])
      const byRules = approved.filter((row) => p.examples[row]!.heldByRules).length
      const center = holdThreshold(
        approved.filter((row) => !p.examples[row]!.heldByRules).map((row) => stacked[row]!),
        options.cleanPublishTarget,
        byRules,
      )
      const slope = fitSlope(
        rows.map((row) => stacked[row]!),
        abusive,
        center,
      )
      languages[language] = {
        decisions: rows.filter((row) => p.examples[row]!.kind === 'decision').length,
        stack,
        calibration: { center: round(center), slope: round(slope) },
      }
      const decided = rows.filter((row) => p.examples[row]!.kind === 'decision')
      const figures = figuresAt(stacked, rows, p, center)
      crossValidated[language] = {
        ...figures,
        recall: round(figures.recall),
        cleanPublished: round(figures.cleanPublished),
        auc: round(
          auc(
            decided.map((row) => stacked[row]!),
            decided.map((row) => p.matrix.labels[row] === 1),
          ),
        ),
      }
    }
    compact = trainCompact(p, weights, options)
  }
  const newest = p.examples.length ? p.examples[p.examples.length - 1]! : null
  return {
    format: SITE_MODEL_FORMAT,
    version: input.version,
    baseVersion: input.shipped.version,
    trainedAt: input.trainedAt,
    trainedThrough: newest ? new Date(timeOf(newest)).toISOString() : null,
    featureBits: FEATURE_BITS,
    site: compact
      ? { bias: round(compact.bias, 6), weightScale: compact.scale, ...encodeSparse(compact.indices, compact.bytes) }
      : { bias: 0, weightScale: 1, indices: '', weights: '' },
    languages,
    examples: countExamples(p.examples),
    crossValidated,
  }
}
