// How the workspace reads its forms: with the schemas the moderators' API validates its JSON with
// (http/shared/moderation.schemas.ts), given the fields as a browser sends them. Every value is a string,
// an empty box is "", an unticked box is not sent, and several boxes of one name arrive as a list.
import { z } from 'zod'
import type { CommentStatus } from '../../comments/comments.statuses.js'
import { notFound } from '../../platform/lib/errors.js'
import { ID_PATTERN } from '../../platform/lib/ids.js'
import { siteSettingsPatchSchema } from '../../settings/settings.schema.js'
import {
  articleRulesSchema,
  banSchema,
  eraseSchema,
  expectStatus,
  idParams,
  moderatorEmail,
  noteSchema,
  rejectSchema,
  shadowBanSchema,
  suspendSchema,
} from '../shared/moderation.schemas.js'
import { validate } from '../shared/validation.js'
import { APPROVE_BELOW_CHOICES } from './moderator-ui.queue-page.js'

/** A blank box means "not given", as a JSON body would leave the field out. */
const withoutBlanks = (fields: unknown) =>
  fields && typeof fields === 'object'
    ? Object.fromEntries(Object.entries(fields).filter(([, value]) => typeof value !== 'string' || value.trim() !== ''))
    : fields
const fromForm = <Schema extends z.ZodType>(schema: Schema) => z.preprocess(withoutBlanks, schema)

/** A box as typed, "" when not sent. */
const box = z.string().default('')
/** A ticked checkbox (or a hidden "true"); anything else is false. */
const checkbox = z
  .string()
  .optional()
  .transform((value) => value === 'true')
/** A number typed into a box; the schema it is handed to decides what is allowed. */
const typedNumber = <Schema extends z.ZodType>(schema: Schema) =>
  z.preprocess((value) => (typeof value === 'string' ? Number(value) : value), schema)
/** The ids ticked on a page: ones that are no id are dropped, and a page holds 100 at most. */
const ids = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => [value ?? []].flat().filter((id) => ID_PATTERN.test(id)))
  .transform((list) => list.slice(0, 100))
/** Where to go back to; `backUrl` keeps it inside the workspace. */
const back = z.string().optional()
/** The status the page showed; an unknown one is no claim at all. */
const expect = expectStatus.catch(undefined)

export const decisionForm = fromForm(z.object({ back, expect }))
export const rejectForm = fromForm(rejectSchema.omit({ expectStatus: true }).extend({ back, expect }))

export const standingForm = fromForm(banSchema.extend({ rejectPending: checkbox, back }))
export const suspendForm = fromForm(suspendSchema.extend({ days: typedNumber(suspendSchema.shape.days), back }))
export const shadowBanForm = fromForm(shadowBanSchema.extend({ back }))
export const noteForm = fromForm(noteSchema)
export const eraseForm = fromForm(eraseSchema.extend({ confirmed: z.literal('true', { error: 'Confirm that erasing cannot be undone' }) }))

/** `id:status` pairs: the status the page showed for each comment on it (unknown pairs are dropped). */
const seen = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => {
    const pairs = new Map<string, CommentStatus>()
    for (const pair of [value ?? []].flat().slice(0, 100)) {
      const [id = '', status] = pair.split(':')
      const known = expectStatus.safeParse(status)
      if (ID_PATTERN.test(id) && known.success && known.data) pairs.set(id, known.data)
    }
    return pairs
  })

export const bulkForm = fromForm(
  z
    .object({
      ids,
      seen,
      action: z.enum(['approve', 'reject'], { error: 'Choose to approve or to reject the selected comments' }),
      reason: rejectSchema.shape.reason,
      back,
    })
    .refine((form) => form.action !== 'reject' || form.reason, {
      path: ['reason'],
      message: 'Choose a reason for rejecting the selected comments',
    }),
)

export const approveBelowForm = fromForm(
  z.object({
    ids,
    // The page offers these; anything else asks about the lowest.
    maxRisk: typedNumber(z.literal(APPROVE_BELOW_CHOICES)).catch(APPROVE_BELOW_CHOICES[0]),
    confirmed: checkbox,
    back,
  }),
)

const lines = box.transform((text) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean),
)
/** An empty box is no number (null), which the settings take as "off" where they allow it. */
const numberOrNull = box.transform((text) => (text === '' ? null : Number(text)))
/** A number the settings cannot do without: an empty box leaves it as it is. */
const numberOrKept = box.transform((text) => (text === '' ? undefined : Number(text)))
const trimmed = box.transform((text) => text.trim())
const trimmedOrNull = box.transform((text) => text.trim() || null)

/**
 * The settings form as the change it asks for, checked by the API's own schema for a change. The form
 * never shows a secret: an empty box keeps the one set (it is left out of the change), a ticked box
 * forgets it.
 */
export const settingsForm = z
  .object({
    moderationMode: box,
    bannedWords: lines,
    suspectWords: lines,
    holdLinks: checkbox,
    maxLinks: numberOrNull,
    premodNewCommenters: numberOrNull,
    reportThreshold: numberOrNull,
    closeAfterDays: numberOrNull,
    rateLimitPerMinute: numberOrNull,
    modelEnabled: checkbox,
    modelHoldThreshold: numberOrNull,
    modelRejectThreshold: numberOrNull,
    learningHourUtc: numberOrNull,
    learningCleanPublishTarget: numberOrKept,
    externalClassifierUrl: trimmedOrNull,
    externalClassifierField: trimmed.transform((field) => field || 'score'),
    externalClassifierThreshold: numberOrNull,
    perspectiveEnabled: checkbox,
    perspectiveThreshold: numberOrNull,
    akismetEnabled: checkbox,
    webhookUrl: trimmedOrNull,
    requireVerifiedReaders: checkbox,
    siteName: trimmed,
    siteRulesUrl: trimmedOrNull,
    queueAlertThreshold: numberOrNull,
    ssoSecret: box,
    clearSsoSecret: checkbox,
    webhookSecret: box,
    clearWebhookSecret: checkbox,
  })
  .transform(({ ssoSecret, clearSsoSecret, webhookSecret, clearWebhookSecret, ...rules }): unknown => ({
    ...rules,
    ...(clearSsoSecret ? { ssoSecret: null } : ssoSecret ? { ssoSecret } : {}),
    ...(clearWebhookSecret ? { webhookSecret: null } : webhookSecret ? { webhookSecret } : {}),
  }))
  // Typed loosely on the way in: the patch schema is what decides, as it does for the API's PUT.
  .pipe(siteSettingsPatchSchema)

/** The article page's form: the box says open or closed (unticked is closed), and the mode. */
export const articleForm = fromForm(z.object({ commentsOpen: checkbox, moderationMode: articleRulesSchema.shape.moderationMode }))

/** A row of the articles list changes one thing at a time: open or closed, or the mode; what is not sent stays. */
export const articleRowForm = fromForm(
  z.object({
    commentsOpen: z
      .enum(['true', 'false'])
      .optional()
      .transform((open) => (open === undefined ? undefined : open === 'true')),
    moderationMode: articleRulesSchema.shape.moderationMode,
    back,
  }),
)

export const accountForm = z.object({
  email: z
    .string()
    .trim()
    .default('')
    .pipe(z.union([z.literal(''), moderatorEmail], { error: 'Not saved: that email address is not valid.' })),
  alerts: checkbox,
  digest: checkbox,
})

export const passwordForm = z.object({ current: box, password: box })

export const newPasswordForm = z.object({ password: box })

/** A path's id that is no id names nothing: the page says "not found", as for an unknown one. */
export const idParam = (what: string) =>
  validate('param', idParams, () => {
    throw notFound(what)
  })
