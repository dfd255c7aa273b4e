import { z } from 'zod'
import { DEFAULT_BANNED_WORDS, DEFAULT_SUSPECT_WORDS } from '../screening/screening.defaults.js'

const wordList = z.array(z.string().trim().min(1).max(100)).max(10_000)

/** Site rules; every field has a default so a fresh install behaves sensibly for a news site. */
export const siteSettingsSchema = z.object({
  /** Post-moderation with screening: low-risk comments appear at once, risky ones wait, listed words reject. */
  moderationMode: z.enum(['pre', 'post']).default('post'),
  bannedWords: wordList.default(DEFAULT_BANNED_WORDS),
  suspectWords: wordList.default(DEFAULT_SUSPECT_WORDS),
  holdLinks: z.boolean().default(false),
  /** More links than this holds a comment, even with holdLinks off. */
  maxLinks: z.number().int().min(0).max(100).default(2),
  premodNewCommenters: z.number().int().min(0).max(1000).default(0),
  reportThreshold: z.number().int().min(1).max(1000).default(3),
  closeAfterDays: z.number().int().min(1).max(36_500).nullable().default(null),
  rateLimitPerMinute: z.number().int().min(0).max(100_000).default(5),
  /** Seconds a reader must spend between the form being served and posting; faster is treated as a bot. */
  minSecondsToPost: z.number().int().min(0).max(600).default(3),
  /** The in-process abuse model: at or above the hold threshold a comment waits, at the reject threshold it is refused. */
  modelEnabled: z.boolean().default(true),
  /** 0.5 holds about 5% of clean comments (cross-source estimate, see the model card in docs/screening.md). */
  modelHoldThreshold: z.number().min(0).max(1).default(0.5),
  /** Off by default: a model's mistakes should wait for a person, not be refused. */
  modelRejectThreshold: z.number().min(0).max(1).nullable().default(null),
  /** The hour (UTC) the site model retrains from the desk's decisions each night; null: only when an admin asks. */
  learningHourUtc: z.number().int().min(0).max(23).nullable().default(3),
  /**
   * Share of the site's approved comments a site model's threshold publishes, per language (the rest are
   * held); a new version is promoted only if it holds more abuse at this share.
   */
  learningCleanPublishTarget: z.number().min(0.8).max(0.999).default(0.95),
  /** A newsroom's own classifier: POST {text} → JSON with a 0–1 score at `externalClassifierField`. */
  externalClassifierUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullable()
    .default(null),
  externalClassifierField: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/)
    .default('score'),
  externalClassifierThreshold: z.number().min(0).max(1).default(0.8),
  perspectiveEnabled: z.boolean().default(true),
  perspectiveThreshold: z.number().min(0).max(1).default(0.8),
  akismetEnabled: z.boolean().default(true),
  webhookUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullable()
    .default(null),
  /** Shared secret for the X-Comments-Signature header (HMAC-SHA256 of the body). */
  webhookSecret: z.string().min(16).max(200).nullable().default(null),
  /** Only readers who proved their email (or signed in through the publisher) may post. */
  requireVerifiedReaders: z.boolean().default(false),
  /** The publisher's HS256 secret for sign-in tokens (SSO); never answered in full. */
  ssoSecret: z.string().min(32, 'ssoSecret must be at least 32 characters').max(512).nullable().default(null),
  /** How mails name the site ("Comments on NAME"). */
  siteName: z.string().trim().min(1).max(100).default('Comments'),
  /** The page with the site's comment rules, linked from rejection mails. */
  siteRulesUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullable()
    .default(null),
  /** Moderators are alerted when this many comments wait; null turns the alert off. */
  queueAlertThreshold: z.number().int().min(1).max(100_000).nullable().default(50),
})

export type SiteSettings = z.infer<typeof siteSettingsSchema>

type SettingsShape = typeof siteSettingsSchema.shape

/**
 * A partial update: only the fields sent. Built from the fields without their defaults, because zod
 * fills a default even under .partial(), and a PUT of one field would reset all the others.
 */
export const siteSettingsPatchSchema = z
  .object(
    Object.fromEntries(Object.entries(siteSettingsSchema.shape).map(([key, field]) => [key, field.unwrap().optional()])) as {
      [K in keyof SettingsShape]: z.ZodOptional<ReturnType<SettingsShape[K]['unwrap']>>
    },
  )
  .strict()

export const defaultSiteSettings = (): SiteSettings => siteSettingsSchema.parse({})

/**
 * The site's name for readers' mails: a site that never named itself ("Comments", the default, which
 * reads oddly as "comment on Comments") is named by the address of the page the reader came from.
 */
export function siteNameFor(settings: Pick<SiteSettings, 'siteName'>, pageUrl: string): string {
  if (settings.siteName !== defaultSiteSettings().siteName) return settings.siteName
  try {
    return new URL(pageUrl).host
  } catch {
    return settings.siteName
  }
}
