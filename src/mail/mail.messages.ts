// The emails the comment system sends, in English and Arabic, as plain text and simple HTML.
// Pure string building on web-standard APIs only: the same code runs on Node and on Workers.

import { httpUrl } from '../platform/lib/urls.js'
import type { RejectReason } from '../comments/comments.statuses.js'
import type { MailMessage } from '../platform/mail/mail.transport.js'
import type { Language } from '../platform/i18n/i18n.js'

export type { MailMessage }

export interface ReaderMailBase {
  to: string
  lang: Language
  siteName: string
  articleTitle: string | null
  /** Link to the comment on the article page. */
  commentUrl: string
  /** One-click, POST-able (RFC 8058). */
  unsubscribeUrl: string
  preferencesUrl: string
}

export interface ModeratorMailBase {
  to: string
  siteName: string
  queueUrl: string
  /** Where the moderator switches alerts off. */
  preferencesUrl: string
}

/** Picks 'ar' for any Arabic language tag ('ar', 'ar-SY', 'AR'), else 'en'. */

/** Flattens whitespace and shortens to at most `max` code points, never splitting a surrogate pair. */
export function excerpt(text: string, max = 280): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  const chars = Array.from(flat)
  if (chars.length <= max) return flat
  const cut = chars.slice(0, max - 1).join('')
  // End on a whole word when one ends near the cut; a long unbroken run is cut where it stands.
  const space = cut.lastIndexOf(' ')
  return `${(space > cut.length * 0.8 ? cut.slice(0, space) : cut).trimEnd()}…`
}

/** A value from a reader or publisher: escaped in HTML and isolated from the direction of the text around it. */
interface Value {
  value: string
}
type Line = (string | Value)[]
type Block = Line | { quote: string } | { button: string; url: string } | { link: string; url: string } | { rows: [string, string][] }

/** Interpolated strings become values; interpolated lines (our own wording) are spliced in as they are. */
function t(strings: TemplateStringsArray, ...parts: (string | number | Line)[]): Line {
  const line: Line = [strings[0]!]
  parts.forEach((part, i) => {
    if (Array.isArray(part)) line.push(...part)
    else line.push(typeof part === 'number' ? String(part) : { value: part })
    line.push(strings[i + 1]!)
  })
  return line
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`

function arabicMinutes(n: number): string {
  if (n === 1) return 'دقيقة واحدة'
  if (n === 2) return 'دقيقتين'
  return n >= 3 && n <= 10 ? `${n} دقائق` : `${n} دقيقة`
}

const EN = {
  quotes: ['“', '”'],
  verifySubject: (site: string) => t`Confirm your email to comment on ${site}`,
  verifyIntro: (site: string) => t`To comment on ${site}, confirm your email address with the link below.`,
  verifyButton: 'Confirm my email',
  verifyValidity: (minutes: number) => [`The link is valid for ${plural(minutes, 'minute')} and works once.`],
  verifyIgnore: ['If you did not ask for this, ignore this mail: nothing happens without the link.'],
  replySubject: (name: string, site: string) => t`${name} replied to your comment on ${site}`,
  replyIntro: (name: string, title: string | null) => t`${name} replied to your comment${title === null ? [] : t` on “${title}”`}:`,
  readReply: 'Read the reply',
  approvedSubject: (site: string) => t`Your comment on ${site} is published`,
  approvedIntro: (title: string | null) => t`Your comment${title === null ? [] : t` on “${title}”`} has been published:`,
  featuredSubject: (site: string) => t`Your comment is featured on ${site}`,
  featuredIntro: (site: string, title: string | null) =>
    t`The editors of ${site} picked your comment${title === null ? [] : t` on “${title}”`} as a featured comment:`,
  seeComment: 'See your comment',
  rejectedSubject: (site: string) => t`Your comment on ${site} was not published`,
  rejectedIntro: (title: string | null) => t`Your comment${title === null ? [] : t` on “${title}”`} was not published:`,
  reasonLine: (reason: string) => [`Reason: ${reason}.`],
  reasons: {
    spam: 'spam or advertising',
    abuse: 'insults, threats or abuse',
    off_topic: 'off topic for the discussion',
    misinformation: 'false or misleading information',
    other: 'it breaks the site rules',
  } satisfies Record<RejectReason, string>,
  noteIntro: ['A note from the moderators:'],
  readRules: 'Read the site rules',
  goToDiscussion: 'Go to the discussion',
  readerFooter: (site: string) => t`You receive this email because you comment on ${site}.`,
  preferences: 'Email preferences',
  unsubscribe: 'Unsubscribe from these emails',
}

const AR: typeof EN = {
  quotes: ['«', '»'],
  verifySubject: (site) => t`أكّد بريدك الإلكتروني للتعليق في ${site}`,
  verifyIntro: (site) => t`لتتمكّن من التعليق في ${site}، أكّد عنوان بريدك الإلكتروني عبر الرابط أدناه.`,
  verifyButton: 'تأكيد بريدي الإلكتروني',
  verifyValidity: (minutes) => [`الرابط صالح لمدة ${arabicMinutes(minutes)}، ويعمل مرة واحدة فقط.`],
  verifyIgnore: ['إذا لم تطلب ذلك، فتجاهل هذه الرسالة؛ لن يحدث شيء من دون الرابط.'],
  replySubject: (name, site) => t`ردّ ${name} على تعليقك في ${site}`,
  replyIntro: (name, title) => t`ردّ ${name} على تعليقك${title === null ? [] : t` على «${title}»`}:`,
  readReply: 'اقرأ الردّ',
  approvedSubject: (site) => t`نُشر تعليقك في ${site}`,
  approvedIntro: (title) => t`نُشر تعليقك${title === null ? [] : t` على «${title}»`}:`,
  featuredSubject: (site) => t`اختير تعليقك ضمن التعليقات المميّزة في ${site}`,
  featuredIntro: (site, title) => t`اختار محرّرو ${site} تعليقك${title === null ? [] : t` على «${title}»`} ضمن التعليقات المميّزة:`,
  seeComment: 'شاهد تعليقك',
  rejectedSubject: (site) => t`لم يُنشر تعليقك في ${site}`,
  rejectedIntro: (title) => t`لم يُنشر تعليقك${title === null ? [] : t` على «${title}»`}:`,
  reasonLine: (reason) => [`السبب: ${reason}.`],
  reasons: {
    spam: 'رسائل مزعجة أو إعلانات',
    abuse: 'إساءة أو شتائم أو تهديد',
    off_topic: 'خروج عن موضوع النقاش',
    misinformation: 'معلومات كاذبة أو مضلِّلة',
    other: 'مخالفة قواعد التعليق في الموقع',
  },
  noteIntro: ['ملاحظة من المشرفين:'],
  readRules: 'اطّلع على قواعد التعليق',
  goToDiscussion: 'الانتقال إلى النقاش',
  readerFooter: (site) => t`تصلك هذه الرسالة لأنك تعلّق في ${site}.`,
  preferences: 'إعدادات البريد الإلكتروني',
  unsubscribe: 'إلغاء الاشتراك في هذه الرسائل',
}

const STRINGS = { en: EN, ar: AR }

export function verifyEmailMail(input: { to: string; lang: Language; siteName: string; link: string; validMinutes: number }): MailMessage {
  const s = STRINGS[input.lang]
  return compose({
    to: input.to,
    lang: input.lang,
    subject: s.verifySubject(input.siteName),
    body: [
      s.verifyIntro(input.siteName),
      { button: s.verifyButton, url: input.link },
      s.verifyValidity(input.validMinutes),
      s.verifyIgnore,
    ],
    footer: [],
    headers: {},
  })
}

export function replyMail(input: ReaderMailBase & { replierName: string; replyExcerpt: string }): MailMessage {
  const s = STRINGS[input.lang]
  return readerMail(input, s.replySubject(input.replierName, input.siteName), [
    s.replyIntro(input.replierName, input.articleTitle),
    { quote: excerpt(input.replyExcerpt) },
    { button: s.readReply, url: input.commentUrl },
  ])
}

export function approvedMail(input: ReaderMailBase & { commentExcerpt: string }): MailMessage {
  const s = STRINGS[input.lang]
  return readerMail(input, s.approvedSubject(input.siteName), [
    s.approvedIntro(input.articleTitle),
    { quote: excerpt(input.commentExcerpt) },
    { button: s.seeComment, url: input.commentUrl },
  ])
}

export function rejectedMail(
  input: ReaderMailBase & { commentExcerpt: string; reason: RejectReason; note: string | null; rulesUrl: string | null },
): MailMessage {
  const s = STRINGS[input.lang]
  const note = input.note?.trim()
  return readerMail(input, s.rejectedSubject(input.siteName), [
    s.rejectedIntro(input.articleTitle),
    { quote: excerpt(input.commentExcerpt) },
    s.reasonLine(s.reasons[input.reason]),
    ...(note ? [s.noteIntro, { quote: note }] : []),
    ...(input.rulesUrl ? [{ link: s.readRules, url: input.rulesUrl }] : []),
    { button: s.goToDiscussion, url: input.commentUrl },
  ])
}

export function featuredMail(input: ReaderMailBase & { commentExcerpt: string }): MailMessage {
  const s = STRINGS[input.lang]
  return readerMail(input, s.featuredSubject(input.siteName), [
    s.featuredIntro(input.siteName, input.articleTitle),
    { quote: excerpt(input.commentExcerpt) },
    { button: s.seeComment, url: input.commentUrl },
  ])
}

export function reportsAlertMail(
  input: ModeratorMailBase & { reports: number; commentExcerpt: string; authorName: string; articleTitle: string | null },
): MailMessage {
  const on = input.articleTitle === null ? [] : t` on “${input.articleTitle}”`
  return moderatorMail(input, t`[${input.siteName}] ${[plural(input.reports, 'report')]} on a comment by ${input.authorName}`, [
    t`A comment by ${input.authorName}${on} has ${[plural(input.reports, 'report')]}:`,
    { quote: excerpt(input.commentExcerpt) },
  ])
}

export function queueAlertMail(input: ModeratorMailBase & { waiting: number; threshold: number }): MailMessage {
  const waiting = [plural(input.waiting, 'comment')]
  return moderatorMail(input, t`[${input.siteName}] ${waiting} waiting for moderation`, [
    t`${waiting} ${[input.waiting === 1 ? 'is' : 'are']} waiting for moderation on ${input.siteName}. Your alert threshold is ${input.threshold}.`,
  ])
}

export function dailyDigestMail(
  input: ModeratorMailBase & {
    day: string
    waiting: number
    reported: number
    published: number
    held: number
    rejected: number
    oldestWaitingHours: number | null
  },
): MailMessage {
  const hours = input.oldestWaitingHours
  const rows: [string, string][] = [
    ['Waiting for moderation', String(input.waiting)],
    ['Reported', String(input.reported)],
    ['Published', String(input.published)],
    ['Held for review', String(input.held)],
    ['Rejected', String(input.rejected)],
  ]
  if (hours !== null) rows.push(['Oldest waiting comment', hours < 1 ? 'under an hour' : plural(Math.round(hours), 'hour')])
  return moderatorMail(input, t`[${input.siteName}] Moderation digest for ${[input.day]}: ${input.waiting} waiting`, [
    t`Moderation on ${input.siteName} for ${[input.day]}:`,
    { rows },
  ])
}

function readerMail(input: ReaderMailBase, subject: Line, body: Block[]): MailMessage {
  const s = STRINGS[input.lang]
  const unsubscribe = httpUrl(input.unsubscribeUrl)
  return compose({
    to: input.to,
    lang: input.lang,
    subject,
    body,
    footer: [
      s.readerFooter(input.siteName),
      { link: s.preferences, url: input.preferencesUrl },
      { link: s.unsubscribe, url: input.unsubscribeUrl },
    ],
    // A header that cannot be followed is worse than none: mailbox providers then distrust the sender.
    headers: unsubscribe ? { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {},
  })
}

function moderatorMail(input: ModeratorMailBase, subject: Line, body: Block[]): MailMessage {
  return compose({
    to: input.to,
    lang: 'en',
    subject,
    body: [...body, { button: 'Open the moderation queue', url: input.queueUrl }],
    footer: [t`You receive this alert as a moderator of ${input.siteName}.`, { link: 'Alert settings', url: input.preferencesUrl }],
    headers: {},
  })
}

interface Draft {
  to: string
  lang: Language
  subject: Line
  body: Block[]
  footer: Block[]
  headers: Record<string, string>
}

function compose({ to, lang, subject, body, footer, headers }: Draft): MailMessage {
  const dir = lang === 'ar' ? 'rtl' : 'ltr'
  // Collapsing whitespace also removes CR/LF, which would otherwise let a value inject headers.
  const subjectText = excerpt(lineText(subject), 150)
  const quotes = STRINGS[lang].quotes
  const toText = (blocks: Block[]) => blocks.map((block) => blockText(block, quotes)).join('\n\n')
  const toHtml = (blocks: Block[]) => blocks.map((block) => blockHtml(block, dir)).join('\n')
  // "-- " is the signature delimiter: mail clients set what follows apart from the message.
  const text = `${toText(body) + (footer.length > 0 ? `\n\n-- \n${toText(footer)}` : '')}\n`
  const footerHtml =
    footer.length > 0
      ? `\n<div style="margin-top:24px;padding-top:12px;border-top:1px solid #e0e0e0;font-size:13px;color:#666666">\n${toHtml(footer)}\n</div>`
      : ''
  const html = `<!doctype html>
<html lang="${lang}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(subjectText)}</title></head>
<body style="margin:0;padding:24px 12px;background:#f2f2f2">
<div dir="${dir}" style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;border-radius:6px;font-family:-apple-system,'Segoe UI',Tahoma,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">
${toHtml(body)}${footerHtml}
</div>
</body>
</html>
`
  return { to, subject: subjectText, text, html, headers }
}

function blockText(block: Block, [open, close]: string[]): string {
  if (Array.isArray(block)) return lineText(block)
  if ('quote' in block) return `${open}${block.quote}${close}`
  if ('rows' in block) return block.rows.map(([label, value]) => `${label}: ${value}`).join('\n')
  const label = 'button' in block ? block.button : block.link
  const url = httpUrl(block.url)
  return url ? `${label}:\n${url}` : label
}

function blockHtml(block: Block, dir: 'ltr' | 'rtl'): string {
  if (Array.isArray(block)) return `<p style="margin:0 0 12px">${lineHtml(block)}</p>`
  if ('quote' in block) {
    const side = dir === 'rtl' ? 'right' : 'left'
    // dir="auto": an English comment quoted in an Arabic mail (or the reverse) keeps its own direction.
    return `<blockquote dir="auto" style="margin:0 0 12px;padding:8px 12px;border-${side}:3px solid #d0d0d0;background:#f7f7f7;white-space:pre-line">${escapeHtml(block.quote)}</blockquote>`
  }
  if ('rows' in block) {
    const rows = block.rows.map(
      ([label, value]) =>
        `<tr><td style="padding:2px 12px">${escapeHtml(label)}</td><td style="padding:2px 12px"><strong>${escapeHtml(value)}</strong></td></tr>`,
    )
    return `<table role="presentation" style="border-collapse:collapse;margin:0 0 12px">${rows.join('')}</table>`
  }
  const url = httpUrl(block.url)
  if ('button' in block) {
    const style =
      'display:inline-block;padding:10px 20px;background:#1a56db;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold'
    return `<p style="margin:20px 0">${url ? `<a href="${escapeHtml(url)}" style="${style}">${escapeHtml(block.button)}</a>` : escapeHtml(block.button)}</p>`
  }
  return `<p style="margin:0 0 12px">${url ? `<a href="${escapeHtml(url)}" style="color:#1a56db">${escapeHtml(block.link)}</a>` : escapeHtml(block.link)}</p>`
}

// Bidi controls inside a value could close the isolate around it early and reorder the rest of the line.
const stripBidiControls = (value: string) => value.replace(/[\u202a-\u202e\u2066-\u2069]/g, '')

/** Values are wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE, so a Latin name in Arabic text (or the reverse) stays in place. */
const lineText = (line: Line) =>
  line.map((part) => (typeof part === 'string' ? part : `\u2068${stripBidiControls(part.value)}\u2069`)).join('')

const lineHtml = (line: Line) =>
  line.map((part) => (typeof part === 'string' ? escapeHtml(part) : `<bdi>${escapeHtml(stripBidiControls(part.value))}</bdi>`)).join('')

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!)
