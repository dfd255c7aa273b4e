import type { ScreeningReason } from '../db/database.js'
import type { RuleResult } from './screening.types.js'

export interface ExternalInput {
  body: string
  authorName: string
  email: string
  ip: string | null
  userAgent: string | null
  articleUrl: string | null
}

export interface ExternalSwitches {
  perspective: boolean
  akismet: boolean
  perspectiveThreshold: number
  /** A newsroom's own classifier, configured in the site settings; null when none is. */
  classifier: { url: string; field: string; threshold: number } | null
}

/** Third-party checks (Perspective, Akismet); each answers within its timeout or holds. */
export interface ExternalScreening {
  check(input: ExternalInput, enabled: ExternalSwitches): Promise<RuleResult[]>
}

export const noExternalScreening: ExternalScreening = { check: async () => [] }

export const PERSPECTIVE_URL = 'https://commentanalyzer.googleapis.com/v1alpha1/comments:analyze'
export const akismetUrl = (key: string) => `https://${key}.rest.akismet.com/1.1/comment-check`

const unavailable = (service: string, detail: string): RuleResult => ({
  verdict: 'hold',
  reasons: [{ rule: 'screening_unavailable', verdict: 'hold', message: `${service} did not answer usefully (${detail}); held for review` }],
})

function describeFailure(error: unknown): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout'
  return error instanceof Error ? error.message.slice(0, 120) : 'error'
}

export interface ExternalConfig {
  perspectiveApiKey: string | null
  akismetApiKey: string | null
  /** The site's own URL, Akismet's "blog" parameter. */
  siteUrl: string
  timeoutMs: number
}

async function perspective(key: string, input: ExternalInput, threshold: number, timeoutMs: number): Promise<RuleResult | null> {
  try {
    const response = await fetch(`${PERSPECTIVE_URL}?key=${encodeURIComponent(key)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        comment: { text: input.body },
        requestedAttributes: { TOXICITY: {} },
        doNotStore: true,
      }),
      signal: AbortSignal.timeout(timeoutMs),
    })
    if (!response.ok) return unavailable('Perspective', `HTTP ${response.status}`)
    const data = (await response.json()) as { attributeScores?: { TOXICITY?: { summaryScore?: { value?: unknown } } } }
    const score = data?.attributeScores?.TOXICITY?.summaryScore?.value
    if (typeof score !== 'number' || !(score >= 0 && score <= 1)) return unavailable('Perspective', 'malformed answer')
    const reason: ScreeningReason = {
      rule: 'perspective_toxicity',
      verdict: score >= threshold ? 'hold' : 'publish',
      message: `Toxicity ${score.toFixed(2)} (holds at ${threshold})`,
      score,
    }
    return { verdict: reason.verdict, reasons: [reason] }
  } catch (error) {
    return unavailable('Perspective', describeFailure(error))
  }
}

async function akismet(key: string, siteUrl: string, input: ExternalInput, timeoutMs: number): Promise<RuleResult | null> {
  try {
    const response = await fetch(akismetUrl(key), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        blog: siteUrl,
        user_ip: input.ip ?? '',
        user_agent: input.userAgent ?? '',
        permalink: input.articleUrl ?? '',
        comment_type: 'comment',
        comment_author: input.authorName,
        comment_author_email: input.email,
        comment_content: input.body,
      }).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    })
    if (!response.ok) return unavailable('Akismet', `HTTP ${response.status}`)
    const text = (await response.text()).trim()
    if (text === 'true') {
      return { verdict: 'hold', reasons: [{ rule: 'akismet_spam', verdict: 'hold', message: 'Akismet says spam' }] }
    }
    if (text === 'false') return null
    return unavailable('Akismet', 'malformed answer')
  } catch (error) {
    return unavailable('Akismet', describeFailure(error))
  }
}

/** Reads `a.b.0.c` out of a parsed JSON answer. */
export function valueAtPath(data: unknown, path: string): unknown {
  let value = data
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined
    value = Array.isArray(value) ? value[Number(key)] : (value as Record<string, unknown>)[key]
  }
  return value
}

/**
 * Any HTTP classifier that answers a POST of {text} with a 0–1 score somewhere in its JSON: whatever
 * replaces Perspective. Same timeout, and the same "hold on any failure", as the other services.
 */
async function classifier(
  config: NonNullable<ExternalSwitches['classifier']>,
  input: ExternalInput,
  timeoutMs: number,
): Promise<RuleResult> {
  const service = 'The external classifier'
  try {
    const response = await fetch(config.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ text: input.body }),
      signal: AbortSignal.timeout(timeoutMs),
    })
    if (!response.ok) return unavailable(service, `HTTP ${response.status}`)
    const score = valueAtPath(await response.json(), config.field)
    if (typeof score !== 'number' || !(score >= 0 && score <= 1)) return unavailable(service, `no 0–1 number at "${config.field}"`)
    const verdict = score >= config.threshold ? 'hold' : 'publish'
    return {
      verdict,
      reasons: [
        { rule: 'external_classifier', verdict, message: `External classifier ${score.toFixed(2)} (holds at ${config.threshold})`, score },
      ],
    }
  } catch (error) {
    return unavailable(service, error instanceof SyntaxError ? 'not JSON' : describeFailure(error))
  }
}

/** The real services; each runs only when its key is configured and the site has it switched on. */
export function externalScreening(config: ExternalConfig): ExternalScreening {
  return {
    async check(input, enabled) {
      const checks: Promise<RuleResult | null>[] = []
      if (config.perspectiveApiKey && enabled.perspective) {
        checks.push(perspective(config.perspectiveApiKey, input, enabled.perspectiveThreshold, config.timeoutMs))
      }
      if (config.akismetApiKey && enabled.akismet) {
        checks.push(akismet(config.akismetApiKey, config.siteUrl, input, config.timeoutMs))
      }
      if (enabled.classifier) checks.push(classifier(enabled.classifier, input, config.timeoutMs))
      const results = await Promise.all(checks)
      return results.filter((r): r is RuleResult => r !== null)
    },
  }
}
