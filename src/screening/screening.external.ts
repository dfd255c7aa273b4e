import type { RuleResult } from './screening.types.js'

export interface ExternalInput {
  body: string
  authorName: string
  email: string
  ip: string | null
  userAgent: string | null
  articleUrl: string | null
}

/** Third-party checks (Perspective, Akismet); each answers within its timeout or holds. */
export interface ExternalScreening {
  check(input: ExternalInput, enabled: { perspective: boolean; akismet: boolean; perspectiveThreshold: number }): Promise<RuleResult[]>
}

export const noExternalScreening: ExternalScreening = { check: async () => [] }
