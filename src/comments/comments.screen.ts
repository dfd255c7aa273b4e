// Screening a comment's text for the write path and for edits: the built-in rules, then the third-party
// checks a site enabled; and the per-minute limit that posts and edits share.
import type { Db } from '../platform/db/database.js'
import { AppError } from '../platform/lib/errors.js'
import { type RateLimitResult, hitRateLimit } from '../platform/lib/rate-limit.js'
import type { ExternalScreening } from '../screening/screening.external.js'
import { combine, runRules } from '../screening/screening.pipeline.js'
import { builtInRules, isTrusted } from '../screening/screening.rules.js'
import type { Decision, ScreeningContext, Submission } from '../screening/screening.types.js'
import { type Metrics, secondsSince } from '../platform/ops/ops.metrics.js'

/** Screens one comment, timed for operators (screening_duration_seconds). */
export async function screen(
  services: { external: ExternalScreening; metrics: Metrics },
  submission: Submission,
  context: ScreeningContext,
  externalInput: Parameters<ExternalScreening['check']>[0],
): Promise<Decision> {
  const start = performance.now()
  try {
    return await screenNow(services, submission, context, externalInput)
  } finally {
    services.metrics.screened(secondsSince(start))
  }
}

async function screenNow(
  services: { external: ExternalScreening },
  submission: Submission,
  context: ScreeningContext,
  externalInput: Parameters<ExternalScreening['check']>[0],
): Promise<Decision> {
  const builtIn = runRules(builtInRules, submission, context)
  // A rejection needs no second opinion; a verified trusted commenter publishes unless a word rule fires.
  if (builtIn.verdict === 'reject' || isTrusted(context)) return builtIn
  const external = await services.external.check(externalInput, {
    perspective: context.settings.perspectiveEnabled,
    akismet: context.settings.akismetEnabled,
    perspectiveThreshold: context.settings.perspectiveThreshold,
    classifier: context.settings.externalClassifierUrl
      ? {
          url: context.settings.externalClassifierUrl,
          field: context.settings.externalClassifierField,
          threshold: context.settings.externalClassifierThreshold,
        }
      : null,
  })
  return external.length === 0 ? builtIn : combine([builtIn, ...external])
}

/** A decision made stricter by a hold for a reason screening does not see (a ban's, a suspension's). */
export function holdFor(decision: Decision, rule: string, message: string): Decision {
  if (decision.verdict === 'reject') return decision
  return combine([decision, { verdict: 'hold', reasons: [{ rule, verdict: 'hold', message }] }])
}

/** The model version that scored the comment (the shipped model's or a site model's); null when none did. */
export function modelVersionOf(decision: Decision): string | null {
  return decision.reasons.find((r) => r.rule === 'model_abuse')?.model ?? null
}

/** Why screening decided so, in words, for the history's reason column (null when it simply published). */
export function auditReasonOf(decision: Decision): string | null {
  if (decision.verdict === 'publish') return null
  return (
    decision.reasons
      .filter((r) => r.verdict === decision.verdict)
      .map((r) => ((r.match ?? r.term) ? `${r.message} (“${r.match ?? r.term}”)` : r.message))
      .join('; ')
      .slice(0, 500) || null
  )
}

/**
 * Counts one write against the site's per-minute limit (`rateLimitPerMinute`), from the address (its
 * network's hash) and by the writer (`reader:ID`, or a guest's `email:HASH`); 429 past either. Posts and
 * edits share the count: each stores text, is screened, and empties the article's cached list.
 */
export async function countWrite(
  db: Db,
  perMinute: number,
  who: { addressHash: string | null; writer: string },
  now: Date,
  what: 'comments' | 'edits',
) {
  if (perMinute <= 0) return
  for (const key of [who.addressHash ? `post:ip:${who.addressHash}` : null, `post:${who.writer}`]) {
    if (!key) continue
    refuseOverLimit([await hitRateLimit(db, key, perMinute, 60, now)], what)
  }
}

/** The 429 of the per-minute limit, for the first counter past it (the write path counts inside its checks). */
export function refuseOverLimit(limits: readonly RateLimitResult[], what: 'comments' | 'edits') {
  const limit = limits.find((l) => !l.allowed)
  if (limit)
    throw new AppError(429, 'rate_limited', `Too many ${what}; try again in ${limit.retryAfter} seconds`, undefined, {
      'Retry-After': String(limit.retryAfter),
    })
}
