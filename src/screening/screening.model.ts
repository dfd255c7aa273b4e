// The abuse model at run time: a linear model over hashed features (screening.features.ts), its weights
// shipped in the repository as int8. Scoring is a sum of a few hundred weights; explaining a score is
// the same sum grouped by the word it came from.
import {
  FEATURE_BITS,
  FEATURE_COUNT,
  type FeatureOrigin,
  type Language,
  detectLanguage,
  emitDistinctFeatures,
} from './screening.features.js'
import type { Token } from './screening.normalize.js'

/** The file `npm run train:screening` writes. */
export interface ModelFile {
  format: 1
  /** A checksum of the weights, bias and calibration: site models name the shipped model they were stacked on. */
  version?: string
  featureBits: number
  /** A weight is its int8 value times this. */
  weightScale: number
  bias: number
  /** Per language: risk = sigmoid(slope × (logit − center)); `center` is where 5% of clean text scored higher. */
  calibration: Record<Language, { center: number; slope: number }>
  /** FEATURE_COUNT int8 weights, base64. */
  weights: string
  /** Provenance and figures, for the model card. */
  trainedOn: string[]
  figures: Record<string, unknown>
}

export interface LoadedModel {
  /** Which model scored a comment: the shipped model's checksum, or a site model's version. */
  version: string
  weights: Float32Array
  bias: number
  calibration: ModelFile['calibration']
}

export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export function loadModel(file: ModelFile): LoadedModel {
  if (file.format !== 1 || file.featureBits !== FEATURE_BITS)
    throw new Error('The screening model file does not match this version of the features')
  const raw = new Int8Array(decodeBase64(file.weights).buffer)
  if (raw.length !== FEATURE_COUNT) throw new Error(`The screening model has ${raw.length} weights, expected ${FEATURE_COUNT}`)
  const weights = new Float32Array(FEATURE_COUNT)
  for (let i = 0; i < FEATURE_COUNT; i++) weights[i] = raw[i]! * file.weightScale
  return { version: file.version ?? modelVersion(file), weights, bias: file.bias, calibration: file.calibration }
}

/** FNV-1a, twice with different seeds: 64 bits of checksum, enough to tell model files apart. */
export function checksum(text: string): string {
  let a = 0x811c9dc5
  let b = 0x01000193
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    a = Math.imul(a ^ c, 16777619)
    b = Math.imul(b ^ c, 0x5bd1e995)
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')
}

export const modelVersion = (file: Pick<ModelFile, 'weights' | 'bias' | 'calibration'>): string =>
  `shipped-${checksum(`${file.weights}|${file.bias}|${JSON.stringify(file.calibration)}`)}`

export interface ModelScore {
  /** 0–1; at the default hold threshold (0.5) about 5% of clean text is held (cross-source estimate). */
  risk: number
  logit: number
  language: Language
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x))

export function calibrate(model: Pick<LoadedModel, 'calibration'>, logit: number, language: Language): number {
  const { center, slope } = model.calibration[language]
  return sigmoid(slope * (logit - center))
}

/** Presence features, L2-normalised: a long comment is not riskier for being long. */
export function logitOf(model: Pick<LoadedModel, 'weights' | 'bias'>, tokens: readonly Token[], body: string): number {
  let sum = 0
  let distinct = 0
  emitDistinctFeatures(tokens, body, (index) => {
    sum += model.weights[index]!
    distinct++
  })
  return distinct === 0 ? model.bias : model.bias + sum / Math.sqrt(distinct)
}

export function scoreTokens(model: LoadedModel, tokens: readonly Token[], body: string): ModelScore {
  const language = detectLanguage(tokens)
  const logit = logitOf(model, tokens, body)
  return { risk: calibrate(model, logit, language), logit, language }
}

export interface Contribution {
  /** The words as written, and where they are in the body. */
  match: string
  start: number
  end: number
  weight: number
}

/** Smaller pushes are noise to a moderator (a word's share of the logit). */
const MIN_EXPLAINED_WEIGHT = 0.2

/** The few words, word pairs or emoji that pushed the score up most, strongest first. */
export function explain(model: LoadedModel, tokens: readonly Token[], body: string, limit = 3): Contribution[] {
  const byOrigin = new Map<string, { start: number; end: number; weight: number }>()
  let distinct = 0
  const add = (origin: FeatureOrigin, weight: number) => {
    let start: number
    let end: number
    if (origin.kind === 'emoji') {
      start = origin.start
      end = origin.end
    } else {
      const token = tokens[origin.token]!
      start = origin.kind === 'pair' ? tokens[origin.token - 1]!.start : token.start
      end = token.end
    }
    const key = `${start}:${end}`
    const entry = byOrigin.get(key)
    if (entry) entry.weight += weight
    else byOrigin.set(key, { start, end, weight })
  }
  emitDistinctFeatures(
    tokens,
    body,
    (index, origin) => {
      distinct++
      add(origin!, model.weights[index]!)
    },
    true,
  )
  const norm = Math.sqrt(Math.max(distinct, 1))
  // Strongest first; a word pair that overlaps a stronger word or pair says nothing new.
  const chosen: { start: number; end: number; weight: number }[] = []
  for (const c of [...byOrigin.values()].sort((a, b) => b.weight - a.weight || a.start - b.start)) {
    if (chosen.length === limit || c.weight / norm < MIN_EXPLAINED_WEIGHT) break
    if (!chosen.some((k) => c.start < k.end && k.start < c.end)) chosen.push(c)
  }
  return chosen.map((c) => ({
    match: body.slice(c.start, c.end),
    start: c.start,
    end: c.end,
    weight: Math.round((c.weight / norm) * 100) / 100,
  }))
}
