import type { CommenterStatus, ModerationMode, ScreeningReason } from '../platform/db/database.js'
import type { SiteSettings } from '../settings/settings.schema.js'
import type { Token } from './screening.normalize.js'
import type { LoadedSiteModel } from './screening.site-model.js'

export type Verdict = 'publish' | 'hold' | 'reject'

export interface Submission {
  authorName: string
  body: string
  /** Honeypot field content; humans leave it empty. */
  honeypot: string | undefined
  isReply: boolean
  /** The body's normalised words, computed once per submission. */
  tokens: Token[]
}

export interface ScreeningContext {
  settings: SiteSettings
  mode: ModerationMode
  /**
   * `verified`: the writer proved they own the email (nobody can yet: see issue 12). Until then anyone can
   * type a trusted reader's email, so trust and history lift no rule.
   */
  commenter: { status: CommenterStatus; approvedCount: number; rejectedCount: number; verified: boolean }
  /** Bodies the same commenter posted in the duplicate window. */
  recentBodies: string[]
  /** Seconds since the form token was issued, or why it vouches for nothing (see checkFormToken). */
  formAge: number | 'missing' | 'invalid' | 'expired' | 'reused'
  /** The site's active model, stacked on the shipped one; absent or null: the shipped model scores alone. */
  siteModel?: LoadedSiteModel | null
}

export interface RuleResult {
  verdict: Verdict
  reasons: ScreeningReason[]
}

/** A rule is pure: same submission and context, same result. null means "nothing to say". */
export type Rule = (submission: Submission, context: ScreeningContext) => RuleResult | null

export interface Decision {
  verdict: Verdict
  reasons: ScreeningReason[]
  /** Held by a rule (not only by pre-moderation or new-commenter policy): the "flagged" queue. */
  flagged: boolean
  /** The highest abuse score any scoring rule gave (the model, an external classifier), 0–1. */
  risk: number
}
