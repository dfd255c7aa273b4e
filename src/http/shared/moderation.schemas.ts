// What the two moderators' doors accept: the JSON API validates its bodies and queries with these, the
// workspace its forms (read through workspace/moderator-ui.forms.ts). A rule such as "a suspension is
// explained, in at most 500 characters" is written here once and holds at both doors.
import { z } from 'zod'
import { ARTICLE_MODES } from '../../articles/articles.actions.js'
import { articleIdSchema } from '../../comments/comments.schema.js'
import { COMMENT_STATUSES, REJECT_NOTE_MAX, REJECT_REASONS } from '../../comments/comments.statuses.js'
import { SUSPENSION_DAYS } from '../../moderation/moderation.commenters.js'
import { CURSOR_PATTERN, QUEUES, QUEUE_SORTS, type QueueName, type QueueSort } from '../../moderation/moderation.queue.js'
import { ID_PATTERN } from '../../platform/lib/ids.js'

export const idParams = z.object({ id: z.string().regex(ID_PATTERN, 'not an id') })
export const articleParams = z.object({ articleId: articleIdSchema })

export const queueQuerySchema = z.object({
  queue: z.enum(QUEUES as [QueueName, ...QueueName[]]).default('pending'),
  sort: z.enum(QUEUE_SORTS as [QueueSort, ...QueueSort[]]).optional(),
  articleId: articleIdSchema.optional(),
  cursor: z
    .string()
    .regex(CURSOR_PATTERN, 'invalid cursor')
    .refine((cursor) => !cursor.includes('~') || Number.isFinite(Number(cursor.split('~')[0])), 'invalid cursor')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
})

/** "2026-02-28T12:00:00.123456Z" names a real moment: JavaScript's calendar gives it back as written. */
const isCalendarTime = (stamp: string) => {
  const millis = Date.parse(`${stamp.slice(0, 23)}Z`)
  return stamp.slice(0, 4) !== '0000' && Number.isFinite(millis) && new Date(millis).toISOString() === `${stamp.slice(0, 23)}Z`
}

export const articlesQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  cursor: z
    .string()
    .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z~.{1,512}$/s, 'invalid cursor')
    // A time PostgreSQL would refuse (month 13, 30 February, year 0) is no cursor either.
    .refine((cursor) => isCalendarTime(cursor.slice(0, 27)), 'invalid cursor')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})

/** The status the moderator's page showed; when the comment has moved since, the decision answers 409. */
export const expectStatus = z.enum(COMMENT_STATUSES).optional()

export const approveSchema = z.object({ expectStatus })

export const rejectSchema = z.object({
  reason: z.enum(REJECT_REASONS).optional(),
  note: z.string().trim().max(REJECT_NOTE_MAX).optional(),
  expectStatus,
})

/** A moderator's address for alerts and the digest. */
export const moderatorEmail = z.email('Not a valid email address').max(254)

/** A moderator's own mail preferences (`PUT /api/v1/mod/account/mail`): any of the three; `email: null` stops all mail. */
export const mailPreferencesSchema = z
  .strictObject({ email: z.string().trim().pipe(moderatorEmail).nullable(), alerts: z.boolean(), digest: z.boolean() })
  .partial()

export const presenceSchema = z.object({ commentId: z.string().regex(ID_PATTERN) })

/** What a moderator writes about a commenter's standing; it goes into the audit log. */
export const COMMENTER_REASON_MAX = 500
const SAY_WHY = 'Say why: the reason is recorded in the audit log'
const reasonText = (params?: { error: string }) =>
  z.string(params).trim().max(COMMENTER_REASON_MAX, `A reason has at most ${COMMENTER_REASON_MAX} characters`)

/**
 * Ban, trust and reset may be explained; the contract's `POST …/ban` takes no body, so a reason is never
 * required of them (the workspace's form still asks for one).
 */
export const banSchema = z.object({ rejectPending: z.boolean().default(false), reason: reasonText().optional() })
export const commenterReasonSchema = z.object({ reason: reasonText().optional() })

/** A restriction short of a ban is always explained: the reason goes into the audit log. */
const requiredReason = reasonText({ error: SAY_WHY }).min(1, SAY_WHY)
export const suspendSchema = z.object({
  days: z.literal(SUSPENSION_DAYS, { error: 'Suspend for 1, 7 or 30 days' }),
  reason: requiredReason,
})
export const shadowBanSchema = z.object({ reason: requiredReason })

export const NOTE_MAX = 2000
export const noteSchema = z.object({
  body: z
    .string({ error: 'Write the note' })
    .trim()
    .min(1, 'Write the note')
    .max(NOTE_MAX, `A note has at most ${NOTE_MAX.toLocaleString('en')} characters`),
})

export const eraseSchema = z.object({ mode: z.enum(['tombstone', 'remove'], { error: 'Choose how to erase: tombstone or remove' }) })

/** A commenter's page of comments. */
export const commenterPageQuery = z.object({
  cursor: z.string().regex(ID_PATTERN, 'invalid cursor').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})

export const articleRulesSchema = z
  .object({
    commentsOpen: z.boolean(),
    moderationMode: z.enum(ARTICLE_MODES),
    title: z.string().trim().min(1).max(300),
    url: z.url({ protocol: /^https?$/ }).max(2048),
  })
  .partial()
  .strict()

export const newModeratorSchema = z.object({
  username: z.string(),
  password: z.string(),
  role: z.enum(['admin', 'moderator'], { error: 'Choose a role: admin or moderator' }),
})

/** A screening model version as routes name it: a site version (`site-…`) or the shipped model's checksum. */
export const modelVersionParams = z.object({ version: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'not a model version') })
