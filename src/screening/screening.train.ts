// Training the abuse model: NB-weighted logistic regression (Wang & Manning's NB-SVM, with a logistic
// loss) over the hashed features the runtime scores with. Deterministic: a seeded shuffle and no
// clock or randomness elsewhere, so the same data gives the same weights byte for byte.
import { FEATURE_COUNT, type Language, detectLanguage, distinctFeatures } from './screening.features.js'
import { type LoadedModel, type ModelFile, modelVersion } from './screening.model.js'
import { tokenize } from './screening.normalize.js'

export interface Example {
  text: string
  abusive: boolean
  language: Language
  source: string
}

/** Examples as sparse presence vectors, all in two flat arrays (150k texts would be 150k arrays otherwise). */
export interface FeatureMatrix {
  offsets: Uint32Array
  indices: Int32Array
  labels: Uint8Array
  languages: Language[]
  sources: string[]
}

export function featurize(examples: readonly Example[]): FeatureMatrix {
  const offsets = new Uint32Array(examples.length + 1)
  let indices = new Int32Array(1 << 20)
  let used = 0
  examples.forEach((example, row) => {
    const features = distinctFeatures(tokenize(example.text), example.text)
    if (used + features.length > indices.length) {
      const grown = new Int32Array(Math.max(indices.length * 2, used + features.length))
      grown.set(indices)
      indices = grown
    }
    for (const index of features) indices[used++] = index
    offsets[row + 1] = used
  })
  return {
    offsets,
    indices: indices.slice(0, used),
    labels: Uint8Array.from(examples, (e) => (e.abusive ? 1 : 0)),
    languages: examples.map((e) => e.language),
    sources: examples.map((e) => e.source),
  }
}

/** The language a text is scored as at run time, which may differ from its data set's label. */
export const runtimeLanguage = (text: string): Language => detectLanguage(tokenize(text))

export interface TrainOptions {
  epochs: number
  learningRate: number
  l2: number
  /** Laplace smoothing of the NB ratios. */
  alpha: number
  seed: number
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { epochs: 4, learningRate: 0.2, l2: 1e-6, alpha: 1, seed: 20261127 }

/** mulberry32: small, fast, and the same sequence on every runtime. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface TrainedWeights {
  /** Effective weights (NB ratio times learned weight): the runtime's dot product uses these directly. */
  weights: Float32Array
  bias: number
}

/**
 * Trains on the rows whose `weight` is above zero. Row weights carry class balance and how much each
 * source counts.
 */
export function train(matrix: FeatureMatrix, rowWeights: Float32Array, options: TrainOptions = DEFAULT_TRAIN_OPTIONS): TrainedWeights {
  const { offsets, indices, labels } = matrix
  const rows: number[] = []
  for (let row = 0; row < labels.length; row++) if (rowWeights[row]! > 0) rows.push(row)

  // NB log-count ratios from weighted presence counts.
  const positive = new Float64Array(FEATURE_COUNT).fill(options.alpha)
  const negative = new Float64Array(FEATURE_COUNT).fill(options.alpha)
  for (const row of rows) {
    const counts = labels[row] ? positive : negative
    const weight = rowWeights[row]!
    for (let k = offsets[row]!; k < offsets[row + 1]!; k++) counts[indices[k]!]! += weight
  }
  let positiveTotal = 0
  let negativeTotal = 0
  for (let j = 0; j < FEATURE_COUNT; j++) {
    positiveTotal += positive[j]!
    negativeTotal += negative[j]!
  }
  const ratio = new Float32Array(FEATURE_COUNT)
  for (let j = 0; j < FEATURE_COUNT; j++) ratio[j] = Math.log(positive[j]! / positiveTotal / (negative[j]! / negativeTotal))

  // Logistic regression on ratio-scaled, L2-normalised presence vectors, by AdaGrad SGD.
  const w = new Float64Array(FEATURE_COUNT)
  const squared = new Float64Array(FEATURE_COUNT)
  let bias = 0
  let biasSquared = 0
  const random = seededRandom(options.seed)
  const order = Int32Array.from(rows)
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      const swap = order[i]!
      order[i] = order[j]!
      order[j] = swap
    }
    for (const row of order) {
      const from = offsets[row]!
      const to = offsets[row + 1]!
      if (to === from) continue
      const norm = 1 / Math.sqrt(to - from)
      let z = bias
      for (let k = from; k < to; k++) {
        const j = indices[k]!
        z += w[j]! * ratio[j]! * norm
      }
      const error = (1 / (1 + Math.exp(-z)) - labels[row]!) * rowWeights[row]!
      for (let k = from; k < to; k++) {
        const j = indices[k]!
        const gradient = error * ratio[j]! * norm + options.l2 * w[j]!
        squared[j]! += gradient * gradient
        w[j]! -= (options.learningRate * gradient) / Math.sqrt(squared[j]! + 1e-8)
      }
      biasSquared += error * error
      bias -= (options.learningRate * error) / Math.sqrt(biasSquared + 1e-8)
    }
  }
  const weights = new Float32Array(FEATURE_COUNT)
  for (let j = 0; j < FEATURE_COUNT; j++) weights[j] = w[j]! * ratio[j]!
  return { weights, bias }
}

/** The logit of one row of the matrix, as the runtime computes it. */
export function rowLogit(model: Pick<LoadedModel, 'weights' | 'bias'>, matrix: FeatureMatrix, row: number): number {
  const from = matrix.offsets[row]!
  const to = matrix.offsets[row + 1]!
  if (to === from) return model.bias
  let sum = 0
  for (let k = from; k < to; k++) sum += model.weights[matrix.indices[k]!]!
  return model.bias + sum / Math.sqrt(to - from)
}

/** int8 weights: a scale from the 99.99th percentile of |w| keeps the bulk precise and clips a few outliers. */
export function quantize(weights: Float32Array): { scale: number; bytes: Int8Array; dequantized: Float32Array } {
  const magnitudes = Float32Array.from(weights, Math.abs).sort()
  const top = magnitudes[Math.floor(magnitudes.length * 0.9999)]! || 1
  const scale = top / 127
  const bytes = new Int8Array(weights.length)
  const dequantized = new Float32Array(weights.length)
  for (let j = 0; j < weights.length; j++) {
    const q = Math.max(-127, Math.min(127, Math.round(weights[j]! / scale)))
    bytes[j] = q
    dequantized[j] = q * scale
  }
  return { scale, bytes, dequantized }
}

/** Area under the ROC curve, by the rank-sum formula (ties count half). */
export function auc(scores: readonly number[], positives: readonly boolean[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0])
  let rankSum = 0
  let positiveCount = 0
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j < order.length && order[j]![0] === order[i]![0]) j++
    const rank = (i + j + 1) / 2
    for (let k = i; k < j; k++) {
      if (positives[order[k]![1]]) {
        rankSum += rank
        positiveCount++
      }
    }
    i = j
  }
  const negativeCount = order.length - positiveCount
  if (positiveCount === 0 || negativeCount === 0) return Number.NaN
  return (rankSum - (positiveCount * (positiveCount + 1)) / 2) / (positiveCount * negativeCount)
}

/** The score above which `share` of the given scores lie. */
export function quantileAbove(scores: readonly number[], share: number): number {
  const sorted = [...scores].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * (1 - share)))] ?? 0
}

/** Platt's slope for sigmoid(slope × (logit − center)), fitted by Newton's method on class-balanced rows. */
export function fitSlope(logits: readonly number[], positives: readonly boolean[], center: number): number {
  const positiveCount = positives.filter(Boolean).length
  const negativeCount = positives.length - positiveCount
  if (positiveCount === 0 || negativeCount === 0) return 1
  let slope = 1
  for (let iteration = 0; iteration < 50; iteration++) {
    let gradient = 0
    let hessian = 1e-9
    logits.forEach((logit, i) => {
      const x = logit - center
      const weight = positives[i] ? 0.5 / positiveCount : 0.5 / negativeCount
      const p = 1 / (1 + Math.exp(-slope * x))
      gradient += weight * (p - (positives[i] ? 1 : 0)) * x
      hessian += weight * p * (1 - p) * x * x
    })
    const next = slope - gradient / hessian
    if (Math.abs(next - slope) < 1e-9) break
    slope = Math.max(0.01, next)
  }
  return slope
}

export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

export function modelFile(
  trained: TrainedWeights,
  calibration: ModelFile['calibration'],
  trainedOn: string[],
  figures: Record<string, unknown>,
): ModelFile {
  const { scale, bytes } = quantize(trained.weights)
  const weights = toBase64(new Uint8Array(bytes.buffer))
  return {
    format: 1,
    version: modelVersion({ weights, bias: trained.bias, calibration }),
    featureBits: Math.log2(FEATURE_COUNT),
    weightScale: scale,
    bias: trained.bias,
    calibration,
    weights,
    trainedOn,
    figures,
  }
}
