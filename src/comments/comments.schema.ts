import { z } from 'zod'
import { ID_PATTERN } from '../platform/lib/ids.js'
import { CONTROL_CHARACTERS, CONTROL_OR_LINE_BREAK, LONE_SURROGATE, controlCharacterFields } from '../platform/lib/text.js'
import { REPORT_REASONS } from './comments.statuses.js'

const codePoints = (s: string) => {
  let n = 0
  for (const _ of s) n++
  return n
}

/** Trimmed, NFC-normalised reader text, refusing control characters and broken UTF-16. */
function readerText(label: string, min: number, max: number, { multiline }: { multiline: boolean }) {
  // Line breaks arrive as \n only (CR and CRLF become LF first).
  const control = multiline ? CONTROL_CHARACTERS : CONTROL_OR_LINE_BREAK
  return z
    .string({ error: `${label} is required` })
    .transform((s) => s.replace(/\r\n?/g, '\n'))
    .refine((s) => !LONE_SURROGATE.test(s), `${label} contains invalid characters`)
    .refine((s) => !control.test(s), `${label} contains control characters`)
    .transform((s) => s.normalize('NFC').trim())
    .refine((s) => codePoints(s) >= min, min === 1 ? `${label} is required` : `${label} is too short`)
    .refine((s) => codePoints(s) <= max, `${label} must be at most ${max.toLocaleString('en')} characters`)
}

/** NFC-normalised, so "café" typed two ways is one article. */
export const articleIdSchema = z
  .string()
  .min(1)
  .max(512)
  .refine((s) => !CONTROL_OR_LINE_BREAK.test(s) && !LONE_SURROGATE.test(s), 'invalid article id')
  .transform((s) => s.normalize('NFC'))

/** Bidi controls, zero-width characters and other invisibles: in a name they only disguise it. */
const INVISIBLE =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: each code point is listed on its own on purpose, combining ones included
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/g

/** Names the system writes itself: a reader may not appear as one. */
const RESERVED_NAMES = new Set(['[deleted]', '[removed]', 'deleted', 'system', 'moderator', 'admin', 'administrator'])

const readerName = readerText('Name', 1, 80, { multiline: false })
  .transform((s) => s.replace(INVISIBLE, '').trim())
  .refine((s) => s.length > 0, 'Name is required')
  .refine((s) => !RESERVED_NAMES.has(s.toLowerCase()), 'Please choose another name')

const optionalString = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional())

export const emailSchema = z
  .string({ error: 'Email is required' })
  .trim()
  .max(254, 'Email must be at most 254 characters')
  .pipe(z.email('Email is not a valid address'))

const formFlag = z.preprocess((v) => v === true || v === 'true' || v === 'on' || v === '1', z.boolean())

/** Name and email are required of guests; a verified reader (bearer token) posts under their own. */
export const commentInputSchema = z
  .object({
    name: optionalString(readerName),
    email: optionalString(emailSchema),
    /** Mail me about replies and moderators' decisions (verified readers only). */
    notify: formFlag.optional(),
    body: readerText('Comment', 1, 5000, { multiline: true }),
    parentId: optionalString(z.string().regex(ID_PATTERN, 'Not a valid comment id')),
    articleUrl: optionalString(z.url({ protocol: /^https?$/, error: 'Article URL must be an http(s) URL' }).max(2048)),
    articleTitle: optionalString(readerText('Article title', 1, 300, { multiline: false })),
    idempotencyKey: optionalString(z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'idempotencyKey must be 8–100 letters, digits, - or _')),
    /** The article's language, for the page that answers a form posted without JavaScript. */
    lang: optionalString(z.string().trim().max(35)),
    /** Honeypot: a field humans never see. */
    website: optionalString(z.string().max(2048)),
    formToken: optionalString(z.string().max(200)),
  })
  // Posts are parsed without validate() (they come as JSON or as a plain form): the same refusal of
  // control characters in any field, for the fields the text rules above leave open (lang, website…).
  .superRefine((input, ctx) => {
    for (const [path, message] of Object.entries(controlCharacterFields(input))) ctx.addIssue({ code: 'custom', path: [path], message })
  })

export type CommentInput = z.infer<typeof commentInputSchema>

export const commentEditSchema = z.object({ body: readerText('Comment', 1, 5000, { multiline: true }) })

export const readerNameSchema = readerName

/**
 * A name that came from elsewhere than the reader's own typing (the publisher's sign-in token, an import)
 * held to the same rules: cut to the longest name allowed, else replaced by `fallback` when refused.
 * "[deleted]" or a name of bidi controls never publishes.
 */
export function publishableName(raw: string, fallback: string): string {
  const named = readerName.safeParse([...raw.trim()].slice(0, 80).join(''))
  return named.success ? named.data : fallback
}

export const listQuerySchema = z.object({
  /** `respected`: most respected first (its cursor is "count~id"). */
  sort: z.enum(['newest', 'oldest', 'respected']).default('newest'),
  cursor: optionalString(z.string().regex(/^(?:\d{1,9}~)?[0-9a-hjkmnp-tv-z]{26}$/, 'invalid cursor')),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** `picks`: only the editors' picks, threads and replies alike, without their threads. */
  view: z.enum(['all', 'picks']).default('all'),
})

export const countsQuerySchema = z.object({
  articles: z
    .string()
    .max(20_000)
    .transform((s) => [...new Set(s.split(',').filter((id) => id !== ''))])
    .pipe(z.array(articleIdSchema).min(1, 'name at least one article').max(100, 'at most 100 articles')),
})

export const reportInputSchema = z.object({
  reason: z.enum(REPORT_REASONS, { error: `reason must be one of ${REPORT_REASONS.join(', ')}` }),
  note: optionalString(readerText('Note', 1, 500, { multiline: true })),
})

/** "id.receipt": a comment id and the receipt its post answered with (the receipt may be missing: then no answer). */
const RECEIPTED_ID = new RegExp(`^${ID_PATTERN.source.slice(1, -1)}(?:\\.[A-Za-z0-9_-]{16})?$`)

export const statusQuerySchema = z.object({
  ids: z
    .string()
    .max(2_000)
    .transform((s) => [...new Set(s.split(',').filter((id) => id !== ''))])
    .pipe(
      z
        .array(z.string().regex(RECEIPTED_ID, 'not a comment id with its receipt'))
        .min(1, 'name at least one comment')
        .max(50, 'at most 50 comments'),
    ),
})

/** A respect given (true) or taken back (false); a guest sends the random id their browser keeps. */
export const respectInputSchema = z.object({
  respected: z.boolean({ error: 'respected must be true or false' }),
  browser: optionalString(z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'browser must be 16–64 letters, digits, - or _')),
})
