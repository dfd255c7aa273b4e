import type { ScreeningReason } from '../db/database.js'
import type { Decision, Rule, RuleResult, ScreeningContext, Submission, Verdict } from './screening.types.js'

const SEVERITY: Record<Verdict, number> = { publish: 0, hold: 1, reject: 2 }

/** Rules whose hold is a site policy rather than a finding about the comment; they do not "flag" it. */
const POLICY_RULES = new Set(['moderation_mode', 'new_commenter'])

export const modeRule: Rule = (_submission, context) =>
  context.mode === 'pre'
    ? { verdict: 'hold', reasons: [{ rule: 'moderation_mode', verdict: 'hold', message: 'Pre-moderation: every comment is reviewed' }] }
    : null

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
  return { verdict, reasons, flagged }
}

export const builtInRules: readonly Rule[] = [modeRule]
