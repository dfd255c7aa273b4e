// The words of the mails the comment system sends. Readers' mails come in every language; moderators'
// alerts, like the workspace they link to, in English. A line is built with `t`, which keeps each value
// (a name, a title, a site) apart from our own wording, so the mail can escape and isolate it.
import type { ReportReason } from '../db/database.js'
import type { Catalogue } from './i18n.js'

/** A value from a reader or publisher: escaped in HTML and isolated from the direction of the text around it. */
export interface Value {
  value: string
}
export type Line = (string | Value)[]

/** Interpolated strings become values; interpolated lines (our own wording) are spliced in as they are. */
export function t(strings: TemplateStringsArray, ...parts: (string | number | Line)[]): Line {
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

const readerMailEn = {
  quotes: ['“', '”'],
  verifySubject: (site: string) => t`Confirm your email to comment on ${site}`,
  verifyIntro: (site: string, title: string | null) =>
    t`To comment on ${title === null ? [] : t`“${title}” at `}${site}, confirm your email address with the link below.`,
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
  } satisfies Record<ReportReason, string>,
  noteIntro: ['A note from the moderators:'],
  readRules: 'Read the site rules',
  goToDiscussion: 'Go to the discussion',
  readerFooter: (site: string) => t`You receive this email because you comment on ${site}.`,
  preferences: 'Email preferences',
  unsubscribe: 'Unsubscribe from these emails',
}

export const READER_MAIL: Catalogue<typeof readerMailEn> = {
  en: readerMailEn,
  ar: {
    quotes: ['«', '»'],
    verifySubject: (site) => t`أكّد بريدك الإلكتروني للتعليق في ${site}`,
    verifyIntro: (site, title) =>
      t`لتتمكّن من التعليق ${title === null ? [] : t`على «${title}» `}في ${site}، أكّد عنوان بريدك الإلكتروني عبر الرابط أدناه.`,
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
  },
}

/** Moderators' alerts and digest: English, as the workspace is. */
export const MODERATOR_MAIL = {
  reportsSubject: (site: string, reports: number, author: string) => t`[${site}] ${[plural(reports, 'report')]} on a comment by ${author}`,
  reportsIntro: (author: string, title: string | null, reports: number) =>
    t`A comment by ${author}${title === null ? [] : t` on “${title}”`} has ${[plural(reports, 'report')]}:`,
  queueSubject: (site: string, waiting: number) => t`[${site}] ${[plural(waiting, 'comment')]} waiting for moderation`,
  queueIntro: (site: string, waiting: number, threshold: number) =>
    t`${[plural(waiting, 'comment')]} ${[waiting === 1 ? 'is' : 'are']} waiting for moderation on ${site}. Your alert threshold is ${threshold}.`,
  digestSubject: (site: string, day: string, waiting: number) => t`[${site}] Moderation digest for ${[day]}: ${waiting} waiting`,
  digestIntro: (site: string, day: string) => t`Moderation on ${site} for ${[day]}:`,
  digestRows: {
    waiting: 'Waiting for moderation',
    reported: 'Reported',
    published: 'Published',
    held: 'Held for review',
    rejected: 'Rejected',
    oldestWaiting: 'Oldest waiting comment',
  },
  oldestWait: (hours: number) => (hours < 1 ? 'under an hour' : plural(Math.round(hours), 'hour')),
  openQueue: 'Open the moderation queue',
  footer: (site: string) => t`You receive this alert as a moderator of ${site}.`,
  alertSettings: 'Alert settings',
}
