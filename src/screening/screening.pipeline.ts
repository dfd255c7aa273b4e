import type { ScreeningReason } from '../platform/db/database.js'
import { tokenize } from './screening.normalize.js'
import type { Decision, Rule, RuleResult, ScreeningContext, Submission, Verdict } from './screening.types.js'

const SEVERITY: Record<Verdict, number> = { publish: 0, hold: 1, reject: 2 }

/** Rules whose hold is a site policy rather than a finding about the comment; they do not "flag" it. */
const POLICY_RULES = new Set(['moderation_mode', 'new_commenter'])

/** Rules whose score is an abuse probability: the comment's risk is the highest of them. */
const RISK_RULES = new Set(['model_abuse', 'external_classifier', 'perspective_toxicity'])

/** Runs every rule in order; the strictest verdict wins and every reason is kept. */
export function runRules(rules: readonly Rule[], submission: Submission, context: ScreeningContext): Decision {
  const results: RuleResult[] = []
  for (const rule of rules) {
    const result = rule(submission, context)
    if (result) results.push(result)
  }
  return combine(results)
}

export function combine(results: RuleResult[]): Decision {
  let verdict: Verdict = 'publish'
  const reasons: ScreeningReason[] = []
  for (const result of results) {
    if (SEVERITY[result.verdict] > SEVERITY[verdict]) verdict = result.verdict
    reasons.push(...result.reasons)
  }
  const flagged = reasons.some((r) => r.verdict !== 'publish' && !POLICY_RULES.has(r.rule))
  let risk = 0
  for (const r of reasons) if (RISK_RULES.has(r.rule) && typeof r.score === 'number' && r.score > risk) risk = r.score
  // Two decimals: what moderators see, and a value whose text form ("0.87") pages the queue exactly.
  return { verdict, reasons, flagged, risk: Math.round(risk * 100) / 100 }
}

/** Prepares a submission once (tokenising the body) so no rule repeats the work. */
export function prepareSubmission(input: Omit<Submission, 'tokens'>): Submission {
  return { ...input, tokens: tokenize(input.body) }
}
