// The labelled data sets the abuse model is trained and evaluated on (../shared/datasets/screening),
// and how their rows are weighed. Node only: the trainer and the evaluation read files; the runtime never does.
import { readFileSync, readdirSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { defaultSiteSettings } from '../settings/settings.schema.js'
import type { Language } from '../screening/screening.features.js'
import { prepareSubmission, runRules } from '../screening/screening.pipeline.js'
import { builtInRules, modelRule } from '../screening/screening.rules.js'
import { holdThreshold } from '../screening/screening.site-stack.js'
import { type Example, type FeatureMatrix, quantileAbove, rowLogit, train } from '../screening/screening.train.js'
import type { ScreeningContext } from '../screening/screening.types.js'

/** Where the data sets live beside a checkout: scripts read them there and never copy them in. */
export const DEFAULT_DATASETS_DIR = resolve(process.cwd(), '..', 'shared', 'datasets', 'screening')

/**
 * Sources whose licence forbids commercial use (CC BY-NC-SA). They are also the only clean English news
 * comments there are: without them the toxic news comments of Civil Comments teach the model that news
 * style is abuse. `--commercial` leaves them out of training (they are then only scored).
 */
export const NON_COMMERCIAL = ['c3_globeandmail', 'sfu_ctc']

/** Sources whose "clean" means "not offensive at all" (not merely "not hate"): thresholds come from these. */
export const REFERENCE_CLEAN = new Set([
  'osact2020',
  'osact2022',
  'mpold',
  'alakrot_youtube',
  'mubarak2017_twitter',
  'thsab',
  'arpufi',
  'davidson',
  'hatexplain',
  'jigsaw_sample',
  'c3_globeandmail',
  'sfu_ctc',
  'site_decisions',
])

/** How much a source's rows count, before class balancing. Saudi text was normalised at source (README). */
export const SOURCE_WEIGHT: Record<string, number> = { saudi_hate: 0.5, site_decisions: 3 }

/** Share of clean text the default hold threshold may hold. */
export const CLEAN_HELD = 0.05

export function readDatasets(dir: string): Example[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
  if (files.length === 0) throw new Error(`No .jsonl files in ${dir}`)
  const examples: Example[] = []
  const seen = new Map<string, number>()
  for (const file of files) {
    const source = basename(file, '.jsonl')
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue
      const row = JSON.parse(line) as { text: string; label: string; lang: string }
      // A text in several files, labelled both ways somewhere, teaches nothing: keep its first copy only.
      const key = row.text.trim()
      if (seen.has(key)) continue
      seen.set(key, examples.length)
      examples.push({ text: row.text, abusive: row.label === 'abusive', language: row.lang === 'ar' ? 'ar' : 'en', source })
    }
  }
  return examples
}

/** Row weights: each language's classes weigh the same in total, and each source by SOURCE_WEIGHT. */
export function rowWeights(matrix: FeatureMatrix, include: (row: number) => boolean): Float32Array {
  const totals = new Map<string, number>()
  const keyOf = (row: number) => `${matrix.languages[row]}:${matrix.labels[row]}`
  const weights = new Float32Array(matrix.labels.length)
  for (let row = 0; row < weights.length; row++) {
    if (!include(row)) continue
    weights[row] = SOURCE_WEIGHT[matrix.sources[row]!] ?? 1
    totals.set(keyOf(row), (totals.get(keyOf(row)) ?? 0) + weights[row]!)
  }
  const perClass = (language: string) => ((totals.get(`${language}:0`) ?? 0) + (totals.get(`${language}:1`) ?? 0)) / 2
  for (let row = 0; row < weights.length; row++) {
    if (weights[row]! > 0) weights[row] = (weights[row]! * perClass(matrix.languages[row]!)) / totals.get(keyOf(row))!
  }
  // Scale to a mean of one per training row, so the learning rate means the same whatever the mix.
  let sum = 0
  let count = 0
  for (const w of weights) {
    if (w <= 0) continue
    sum += w
    count++
  }
  for (let row = 0; row < weights.length; row++) weights[row] = (weights[row]! * count) / sum
  return weights
}

/**
 * Cross-source scores: each held-out source scored by a model trained on every other trainable row,
 * as text from a source the model never saw would be. Other rows are left at 0.
 */
export function crossSourceLogits(
  matrix: FeatureMatrix,
  heldOut: readonly string[],
  trainable: (row: number) => boolean,
  progress: (source: string) => void = () => undefined,
): Float64Array {
  const logits = new Float64Array(matrix.labels.length)
  for (const source of heldOut) {
    const model = train(
      matrix,
      rowWeights(matrix, (row) => trainable(row) && matrix.sources[row] !== source),
    )
    for (let row = 0; row < matrix.labels.length; row++) if (matrix.sources[row] === source) logits[row] = rowLogit(model, matrix, row)
    progress(source)
  }
  return logits
}

/**
 * Reference sets whose "clean" rows read as abuse to every other set (HateXplain's "normal" posts: 65%
 * published cross-source where the others publish 87–98%): a threshold that tried to publish them would
 * hold no abuse anywhere else. They stay in training and in the figures, not in the English threshold.
 */
export const NOT_A_THRESHOLD_REFERENCE = new Set(['hatexplain'])

/**
 * How a language's hold threshold is set from its reference sets' cross-source scores.
 * - `median`: each set gives the logit CLEAN_HELD of its clean rows exceed, and the median of those is the
 *   threshold (the Arabic sets agree, and one Tunisian set whose clean rows run hot should not set it).
 * - `with-rules`: the logit at which the default word lists and the model together hold CLEAN_HELD of the
 *   sets' clean rows, pooled. The English sets disagree: the median threshold held one clean tweet in ten
 *   once the word lists had their share (Davidson's lexicon-sampled tweets), so the model leaves them room.
 */
export const THRESHOLD_RULE: Record<Language, 'median' | 'with-rules'> = { ar: 'median', en: 'with-rules' }

/** A language's hold threshold (the logit mapped to risk 0.5), by its THRESHOLD_RULE. */
export function referenceCenter(
  matrix: FeatureMatrix,
  crossLogits: ArrayLike<number>,
  scored: (row: number) => boolean,
  language: Language,
  heldByRules: (row: number) => boolean,
): number {
  const clean = (source: string) =>
    [...matrix.labels.keys()].filter(
      (row) => matrix.sources[row] === source && scored(row) && !matrix.labels[row] && matrix.languages[row] === language,
    )
  const references = [...new Set(matrix.sources)].filter((source) => REFERENCE_CLEAN.has(source))
  if (THRESHOLD_RULE[language] === 'with-rules') {
    const rows = references.filter((source) => !NOT_A_THRESHOLD_REFERENCE.has(source)).flatMap(clean)
    if (rows.length === 0) return 0
    const free = rows.filter((row) => !heldByRules(row))
    return holdThreshold(
      free.map((row) => crossLogits[row]!),
      1 - CLEAN_HELD,
      rows.length - free.length,
    )
  }
  const perSource: number[] = []
  for (const source of references) {
    const rows = clean(source)
    if (rows.length >= 50)
      perSource.push(
        quantileAbove(
          rows.map((row) => crossLogits[row]!),
          CLEAN_HELD,
        ),
      )
  }
  perSource.sort((a, b) => a - b)
  return perSource.length ? perSource[Math.floor((perSource.length - 1) / 2)]! : 0
}

const rulesOnly = builtInRules.filter((rule) => rule !== modelRule)

/**
 * Whether the word and shape rules alone (not the model) hold a text, with a fresh install's defaults for
 * an established commenter under post-moderation: the share of clean text they hold is not the model's to hold.
 */
export function heldByDefaultRules(text: string): boolean {
  const settings = defaultSiteSettings()
  const context: ScreeningContext = {
    settings,
    mode: 'post',
    commenter: { status: 'normal', approvedCount: 5, rejectedCount: 0, verified: false },
    recentBodies: [],
    formAge: 30,
  }
  return (
    runRules(rulesOnly, prepareSubmission({ authorName: 'Reader', body: text, honeypot: undefined, isReply: false }), context).verdict !==
    'publish'
  )
}
