// A site model: what this site's moderators taught, stacked on the shipped model. It is a small JSON
// object (kept in the database, loaded by every replica and the Worker at run time, never bundled):
// sparse int8 weights over the same hashed features, and per language the stacking weights and the
// site's own hold threshold. Loading folds it into one linear model per language, so scoring and
// explaining a comment cost what they cost with the shipped model alone.
import { FEATURE_BITS, FEATURE_COUNT, type Language, detectLanguage } from './screening.features.js'
import { type LoadedModel, type ModelScore, decodeBase64, scoreTokens } from './screening.model.js'
import { type Token, tokenize } from './screening.normalize.js'
import { toBase64 } from './screening.train.js'

export const SITE_MODEL_FORMAT = 'site-model/1'

export interface SiteLanguageModel {
  /** The moderators' explicit decisions in this language that the model learned from. */
  decisions: number
  /** logit = shipped × (the shipped model's calibrated logit) + site × (the site model's logit) + bias. */
  stack: { shipped: number; site: number; bias: number }
  /** risk = sigmoid(slope × (logit − center)); `center` is the site's hold threshold, so risk 0.5 holds there. */
  calibration: { center: number; slope: number }
}

export interface ExampleCount {
  abusive: number
  clean: number
  /** Of the clean ones, how many were implicit approvals (still published, never rejected or reported). */
  implicit: number
}

/** The figures of one model on some decisions, at its own thresholds. */
export interface Figures {
  abusive: number
  clean: number
  /** Share of abusive comments held. */
  recall: number
  /** Share of clean comments published. */
  cleanPublished: number
}

export interface SiteModelFile {
  format: typeof SITE_MODEL_FORMAT
  version: string
  /** The shipped model this one is stacked on: a site model is only valid with it. */
  baseVersion: string
  trainedAt: string
  /** The newest decision it learned from (ISO time), or null when it learned from none. */
  trainedThrough: string | null
  featureBits: number
  /** Sparse weights: ascending feature indices as LEB128 gaps, and int8 weights (× weightScale), both base64. */
  site: { bias: number; weightScale: number; indices: string; weights: string }
  /** Languages with enough decisions; any other language is scored by the shipped model alone. */
  languages: Partial<Record<Language, SiteLanguageModel>>
  examples: Partial<Record<Language, ExampleCount>>
  /**
   * Per language, cross-validated figures at the thresholds above: abuse held among the rejections, clean
   * published among the approvals (explicit and implicit), the rules' holds included; AUC over the decisions.
   */
  crossValidated: Partial<Record<Language, Figures & { auc: number }>>
}

/** Sparse int8 weights in the file's form. */
export function encodeSparse(indices: readonly number[], weights: Int8Array): { indices: string; weights: string } {
  const bytes: number[] = []
  let previous = 0
  for (const index of indices) {
    let gap = index - previous
    previous = index
    while (gap >= 0x80) {
      bytes.push((gap & 0x7f) | 0x80)
      gap >>>= 7
    }
    bytes.push(gap)
  }
  return {
    indices: toBase64(Uint8Array.from(bytes)),
    weights: toBase64(new Uint8Array(weights.buffer, weights.byteOffset, weights.length)),
  }
}

/** The site model's weights as a dense vector over every feature (zero where it learned nothing). */
export function decodeSparse(site: SiteModelFile['site']): Float32Array {
  const gaps = decodeBase64(site.indices)
  const weights = new Int8Array(decodeBase64(site.weights).buffer)
  const dense = new Float32Array(FEATURE_COUNT)
  let index = 0
  let k = 0
  for (let i = 0; i < gaps.length; ) {
    let gap = 0
    let shift = 0
    let byte: number
    do {
      byte = gaps[i++]!
      gap |= (byte & 0x7f) << shift
      shift += 7
    } while (byte & 0x80)
    index += gap
    if (index >= FEATURE_COUNT || k >= weights.length) throw new Error("The site model's weights do not match this version of the features")
    dense[index] = weights[k++]! * site.weightScale
  }
  if (k !== weights.length) throw new Error("The site model's weights do not match this version of the features")
  return dense
}

/**
 * The combined linear model for one language. Both models are linear in the same features with the same
 * length normalisation, so the stack is one weight vector: explanations keep working unchanged.
 */
export function combine(
  shipped: LoadedModel,
  siteWeights: Float32Array,
  siteBias: number,
  language: Language,
  lm: SiteLanguageModel,
  version: string,
): LoadedModel {
  const { center, slope } = shipped.calibration[language]
  const a = lm.stack.shipped * slope
  const b = lm.stack.site
  const weights = new Float32Array(FEATURE_COUNT)
  for (let j = 0; j < FEATURE_COUNT; j++) weights[j] = a * shipped.weights[j]! + b * siteWeights[j]!
  const bias = a * (shipped.bias - center) + b * siteBias + lm.stack.bias
  return { version, weights, bias, calibration: { ...shipped.calibration, [language]: lm.calibration } }
}

/** A site model ready to score: one combined model per language it covers. */
export interface LoadedSiteModel {
  version: string
  baseVersion: string
  byLanguage: Partial<Record<Language, LoadedModel>>
}

export class SiteModelMismatch extends Error {}

/**
 * Loads a site model on top of the shipped model it was trained on. A site model stacked on another
 * shipped model (the deploy changed it) is refused: its weights were fitted to the other model's scores.
 */
export function loadSiteModel(file: SiteModelFile, shipped: LoadedModel): LoadedSiteModel {
  if (file.format !== SITE_MODEL_FORMAT || file.featureBits !== FEATURE_BITS)
    throw new SiteModelMismatch('The site model file does not match this version of the features')
  if (file.baseVersion !== shipped.version) {
    throw new SiteModelMismatch(
      `The site model ${file.version} was trained on ${file.baseVersion}, not on the shipped ${shipped.version}: retrain it`,
    )
  }
  const siteWeights = decodeSparse(file.site)
  const byLanguage: LoadedSiteModel['byLanguage'] = {}
  for (const [language, lm] of Object.entries(file.languages) as [Language, SiteLanguageModel][]) {
    byLanguage[language] = combine(shipped, siteWeights, file.site.bias, language, lm, file.version)
  }
  return { version: file.version, baseVersion: file.baseVersion, byLanguage }
}

export interface ScoredComment extends ModelScore {
  /** The version that scored it: a site model's, or the shipped model's for a language the site model does not cover. */
  version: string
  kind: 'shipped' | 'site'
}

/** The model that scores a language: the site's where it has one, the shipped model otherwise. */
export function modelFor(shipped: LoadedModel, site: LoadedSiteModel | null, language: Language): LoadedModel {
  return site?.byLanguage[language] ?? shipped
}

/** Scores a comment with the active models (the shipped one, and the site's when there is one) and names the one that scored. */
export function scoreComment(
  shipped: LoadedModel,
  site: LoadedSiteModel | null,
  body: string,
  tokens: readonly Token[] = tokenize(body),
): ScoredComment {
  const model = modelFor(shipped, site, detectLanguage(tokens))
  return { ...scoreTokens(model, tokens, body), version: model.version, kind: model === shipped ? 'shipped' : 'site' }
}
