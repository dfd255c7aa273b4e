// One training run of a site's screening: train a candidate on every example, and decide whether it
// replaces the active model. The evidence is the newest decisions: the same training on the older ones
// scores them, the active model scores them, and the candidate is promoted only if, at the site's
// clean-publish target, it holds more of their abuse without publishing fewer of their clean comments.
// Pure: the caller reads the examples and the active version, and stores what comes back.
import type { Language } from './screening.features.js'
import type { LoadedModel } from './screening.model.js'
import {
  type Figures,
  type LoadedSiteModel,
  type SiteModelFile,
  SiteModelMismatch,
  loadSiteModel,
  scoreComment,
} from './screening.site-model.js'
import { holdThreshold } from './screening.site-stack.js'
import {
  DEFAULT_SITE_OPTIONS,
  IMPLICIT_AFTER_MS,
  type SiteExample,
  type SiteTrainingInput,
  canonicalOrder,
  figuresOf,
  timeOf,
  trainSiteModel,
} from './screening.site-train.js'

export interface LearnInput extends SiteTrainingInput {
  /** The active site model, or null while the shipped model is active. */
  active: SiteModelFile | null
  /** The newest share of decisions held back as evidence (default 0.2). */
  heldBackShare?: number
  /** The site's model hold threshold (risk, default 0.5): where "held" is counted. */
  holdAt?: number
}

/** Fewer held-back decisions than this say nothing reliable about a difference of a few points. */
export const MIN_HELD_BACK = { abusive: 20, clean: 50 }

export interface ModelFigures {
  /** The version that scored (the shipped model's checksum for the shipped model). */
  version: string
  /** At the model's own thresholds, as it would run. */
  all: Figures
  byLanguage: Partial<Record<Language, Figures>>
  /** Share of abuse held when each model's threshold publishes exactly the target share of these clean comments. */
  recallAtTarget: number
}

export interface HeldBack {
  /** Decisions held back and not seen by the active model, by language and label. */
  examples: Partial<Record<Language, { abusive: number; clean: number }>>
  before: ModelFigures | null
  after: ModelFigures | null
}

export type PromotionCode =
  | 'promoted'
  | 'too_few_decisions'
  | 'too_few_held_back'
  | 'not_more_abuse_held'
  | 'fewer_clean_published'
  /** Set when it is stored: an administrator changed the active model while it trained. */
  | 'active_changed'

export interface LearnResult {
  /** Trained on every example; kept as a version whether or not it is promoted. */
  candidate: SiteModelFile
  promote: boolean
  reason: { code: PromotionCode; message: string }
  heldBack: HeldBack
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`

/** The newest `share` of decisions, and the examples older than all of them (what the twin trains on). */
export function splitHeldBack(examples: readonly SiteExample[], share: number): { older: SiteExample[]; heldBack: SiteExample[] } {
  const ordered = canonicalOrder(examples)
  const decisions = ordered.filter((e) => e.kind === 'decision')
  const count = Math.floor(decisions.length * share)
  if (count === 0) return { older: ordered, heldBack: [] }
  const first = decisions[decisions.length - count]!
  const at = ordered.indexOf(first)
  return { older: ordered.slice(0, at), heldBack: decisions.slice(decisions.length - count) }
}

/** The figures of a model (shipped, or shipped with a site model) on some decisions, the rules' holds included. */
export function measure(
  shipped: LoadedModel,
  site: LoadedSiteModel | null,
  decisions: readonly SiteExample[],
  holdAt: number,
  target: number,
): ModelFigures {
  const risks = decisions.map((e) => scoreComment(shipped, site, e.text).risk)
  const tally = (rows: number[], threshold: number): Figures =>
    figuresOf(
      rows.map((i) => ({
        abusive: decisions[i]!.label === 'abusive',
        held: risks[i]! >= threshold || decisions[i]!.heldByRules === true,
      })),
    )
  const all = [...decisions.keys()]
  const byLanguage: ModelFigures['byLanguage'] = {}
  for (const language of ['ar', 'en'] as const) {
    const rows = all.filter((i) => decisions[i]!.language === language)
    if (rows.length) byLanguage[language] = tally(rows, holdAt)
  }
  // Risk is calibrated per language to the model's own threshold, so one cut across languages compares like with like.
  const approved = all.filter((i) => decisions[i]!.label === 'clean')
  const byRules = approved.filter((i) => decisions[i]!.heldByRules).length
  const atTarget = holdThreshold(
    approved.filter((i) => !decisions[i]!.heldByRules).map((i) => risks[i]!),
    target,
    byRules,
  )
  return { version: site?.version ?? shipped.version, all: tally(all, holdAt), byLanguage, recallAtTarget: tally(all, atTarget).recall }
}

const heldCleanCount = (f: ModelFigures) => f.all.clean - Math.round(f.all.cleanPublished * f.all.clean)

/**
 * How many of n clean held-back comments a model may hold and still be taken to meet the target: a
 * threshold that holds 5% of clean comments holds 5% of n on average, and more on some samples (the
 * upper end of a one-sided 95% interval). Past that, its thresholds have drifted from this site's comments.
 */
export function cleanHeldAllowance(n: number, target: number): number {
  const share = 1 - target
  return Math.floor(n * share + 1.645 * Math.sqrt(n * share * target))
}

function activeModel(active: SiteModelFile | null, shipped: LoadedModel): LoadedSiteModel | null {
  if (!active) return null
  try {
    return loadSiteModel(active, shipped)
  } catch (error) {
    // Stacked on another shipped model: what serves now is the shipped model, so that is what to beat.
    if (error instanceof SiteModelMismatch) return null
    throw error
  }
}

export function learnSiteModel(input: LearnInput): LearnResult {
  const target = input.options?.cleanPublishTarget ?? DEFAULT_SITE_OPTIONS.cleanPublishTarget
  const holdAt = input.holdAt ?? 0.5
  const candidate = trainSiteModel(input)
  const { older, heldBack } = splitHeldBack(input.examples, input.heldBackShare ?? 0.2)
  // Decisions the active model learned from would flatter it: only newer ones are evidence, and not those on
  // comments published long enough before its training to have been among its implicit approvals.
  const since = input.active?.trainedThrough ? new Date(input.active.trainedThrough).getTime() : Number.NEGATIVE_INFINITY
  const implicitBefore = input.active ? new Date(input.active.trainedAt).getTime() - IMPLICIT_AFTER_MS : Number.NEGATIVE_INFINITY
  const evidence = heldBack.filter(
    (e) => timeOf(e) > since && !(e.publishedAt !== undefined && timeOf({ decidedAt: e.publishedAt }) <= implicitBefore),
  )
  const examples: HeldBack['examples'] = {}
  for (const e of evidence) {
    const c = examples[e.language] ?? { abusive: 0, clean: 0 }
    c[e.label]++
    examples[e.language] = c
  }
  const result = (
    promote: boolean,
    code: PromotionCode,
    message: string,
    before: ModelFigures | null = null,
    after: ModelFigures | null = null,
  ): LearnResult => ({
    candidate,
    promote,
    reason: { code, message },
    heldBack: { examples, before, after },
  })

  if (Object.keys(candidate.languages).length === 0) {
    return result(
      false,
      'too_few_decisions',
      `No language has ${input.options?.minDecisions ?? DEFAULT_SITE_OPTIONS.minDecisions} decisions with enough rejections for abuse yet; the shipped model stays.`,
    )
  }
  const abusive = evidence.filter((e) => e.label === 'abusive').length
  const clean = evidence.length - abusive
  if (abusive < MIN_HELD_BACK.abusive || clean < MIN_HELD_BACK.clean) {
    return result(
      false,
      'too_few_held_back',
      `The newest decisions the active model has not seen hold ${abusive} abusive and ${clean} clean comments; ${MIN_HELD_BACK.abusive} and ${MIN_HELD_BACK.clean} are needed to compare.`,
    )
  }
  const twin = trainSiteModel({ ...input, examples: older, version: `${input.version}-held-back` })
  const before = measure(input.shipped, activeModel(input.active, input.shipped), evidence, holdAt, target)
  const after = measure(input.shipped, loadSiteModel(twin, input.shipped), evidence, holdAt, target)
  after.version = candidate.version
  const compared = `${percent(after.recallAtTarget)} of abuse held against ${percent(before.recallAtTarget)} at ${percent(target)} of clean comments published`
  if (!(after.recallAtTarget > before.recallAtTarget))
    return result(false, 'not_more_abuse_held', `It holds no more abuse: ${compared}.`, before, after)
  // At its own thresholds it may hold more clean comments than the active model only while it still meets the target.
  if (heldCleanCount(after) > Math.max(heldCleanCount(before), cleanHeldAllowance(clean, target))) {
    return result(
      false,
      'fewer_clean_published',
      `It would publish ${percent(after.all.cleanPublished)} of clean comments against ${percent(before.all.cleanPublished)} (target ${percent(target)}).`,
      before,
      after,
    )
  }
  return result(
    true,
    'promoted',
    `Promoted: ${compared}; ${percent(after.all.cleanPublished)} of clean comments published at its thresholds.`,
    before,
    after,
  )
}
