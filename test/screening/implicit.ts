// npm run screening:eval -- --learning --implicit: how much an implicit approval should count. After the
// desk's first 1,000 decisions, the rest of the desk's rows arrive as a post-moderated stream with abuse at
// a newsroom's rate (10%): what the shipped-like model or a rule holds, the desk decides; of the abuse that
// was published, the desk finds half (readers report it) and the rest stays up. Everything still published
// is an implicit approval, the missed abuse among it labelled clean, as the product would label it.
import type { Language } from '../../src/screening/screening.features.js'
import { type LoadedModel, checksum } from '../../src/screening/screening.model.js'
import { loadSiteModel, scoreComment } from '../../src/screening/screening.site-model.js'
import type { SiteExample } from '../../src/screening/screening.site-train.js'
import type { Example } from '../../src/screening/screening.train.js'
import { type Newsroom, type Split, deskExample, learnAt, pct, promotionSummary, testScorer } from './learning.js'

const DECISIONS = 1000
const PREVALENCE = 0.1
const FOUND = 0.5
export const IMPLICIT_WEIGHTS = [0, 0.1, 0.25, 0.5, 1]
const chance = (text: string, salt: string) => Number.parseInt(checksum(`${salt}${text}`).slice(0, 8), 16) / 2 ** 32

/** The desk's decisions and implicit approvals after the stream, for one newsroom. */
export interface Stream {
  prevalence: number
  found: number
}
export const NEWSROOM_STREAM: Stream = { prevalence: PREVALENCE, found: FOUND }

export function simulateStream(
  examples: readonly Example[],
  split: Split,
  base: LoadedModel,
  stream = NEWSROOM_STREAM,
): { decisions: SiteExample[]; implicit: SiteExample[]; missed: number } {
  const decisions = split.desk.slice(0, DECISIONS).map((row, i) => deskExample(examples, row, i))
  const rest = split.desk.slice(DECISIONS)
  const abusive = rest.filter((row) => examples[row]!.abusive).length
  const keepAbusive = Math.min(1, ((stream.prevalence / (1 - stream.prevalence)) * (rest.length - abusive)) / Math.max(abusive, 1))
  const implicit: SiteExample[] = []
  let missed = 0
  rest.forEach((row, i) => {
    const example = examples[row]!
    if (example.abusive && chance(example.text, 'stream') >= keepAbusive) return
    const decided = deskExample(examples, row, DECISIONS + i)
    const held = decided.heldByRules || scoreComment(base, null, example.text).risk >= 0.5
    if (held || (example.abusive && chance(example.text, 'found') < stream.found)) decisions.push(decided)
    else {
      if (example.abusive) missed++
      implicit.push({ ...decided, label: 'clean', kind: 'implicit' })
    }
  })
  return { decisions, implicit, missed }
}

/** One line per weight: what the site model trained with implicit approvals at that weight does on the test rows. */
export function implicitWeightTable(
  examples: readonly Example[],
  split: Split,
  base: LoadedModel,
  newsroom: Newsroom,
  stream = NEWSROOM_STREAM,
): string[] {
  if (split.desk.length < DECISIONS + 1000) return []
  const { decisions, implicit, missed } = simulateStream(examples, split, base, stream)
  const score = testScorer(examples, split.test)
  const main: Language =
    split.languages.length === 1
      ? split.languages[0]!
      : decisions.filter((e) => e.language === 'ar').length * 2 > decisions.length
        ? 'ar'
        : 'en'
  return IMPLICIT_WEIGHTS.map((weight) => {
    const examplesAt = weight === 0 ? decisions : [...decisions, ...implicit.map((e) => ({ ...e, weight }))]
    const learned = learnAt(examplesAt, base, `implicit-${weight}`)
    const t = score(base, loadSiteModel(learned.candidate, base)).get(main)!
    return `${newsroom.name.padEnd(36)} ${main.padEnd(4)} ${String(decisions.length).padStart(9)} ${`${implicit.length} (${missed} abusive)`.padStart(18)} ${(weight === 0 ? 'left out' : String(weight)).padStart(8)} | ${pct(t.model.held, t.model.abusive).padStart(10)} ${pct(t.model.published, t.model.clean).padStart(10)} | ${pct(t.withRules.held, t.withRules.abusive).padStart(10)} ${pct(t.withRules.published, t.withRules.clean).padStart(10)} | ${promotionSummary(learned)}`
  })
}

export function printImplicit(lines: readonly string[], log: (line: string) => void, stream = NEWSROOM_STREAM): void {
  log(
    `\nimplicit approvals: ${DECISIONS} decisions, then a post-moderated stream (${stream.prevalence * 100}% abuse, ${stream.found * 100}% of published abuse found by the desk)`,
  )
  log(
    `${'newsroom'.padEnd(36)} lang decisions  implicit approvals   weight | model: held  published | rules+model: held published | promoted?`,
  )
  for (const line of lines) log(line)
}
