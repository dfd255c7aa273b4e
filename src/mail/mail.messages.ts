// The emails the comment system sends: which words, values and links each one carries. Their words are
// in platform/i18n/i18n.mail.ts; mail.compose.ts makes a draft into plain text and HTML.
import type { RejectReason } from '../comments/comments.statuses.js'
import type { Language } from '../platform/i18n/i18n.js'
import { type Line, MODERATOR_MAIL, READER_MAIL } from '../platform/i18n/i18n.mail.js'
import { httpUrl } from '../platform/lib/urls.js'
import type { MailMessage } from '../platform/mail/mail.transport.js'
import { type Block, compose, excerpt } from './mail.compose.js'

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

export function verifyEmailMail(input: {
  to: string
  lang: Language
  siteName: string
  /** The article the reader asked from, when its title is known: the mail names it. */
  articleTitle?: string | null
  link: string
  validMinutes: number
}): MailMessage {
  const s = READER_MAIL[input.lang]
  return compose({
    to: input.to,
    lang: input.lang,
    subject: s.verifySubject(input.siteName),
    body: [
      s.verifyIntro(input.siteName, input.articleTitle ?? null),
      { button: s.verifyButton, url: input.link },
      s.verifyValidity(input.validMinutes),
      s.verifyIgnore,
    ],
    footer: [],
    headers: {},
  })
}

export function replyMail(input: ReaderMailBase & { replierName: string; replyExcerpt: string }): MailMessage {
  const s = READER_MAIL[input.lang]
  return readerMail(input, s.replySubject(input.replierName, input.siteName), [
    s.replyIntro(input.replierName, input.articleTitle),
    { quote: excerpt(input.replyExcerpt) },
    { button: s.readReply, url: input.commentUrl },
  ])
}

export function approvedMail(input: ReaderMailBase & { commentExcerpt: string }): MailMessage {
  const s = READER_MAIL[input.lang]
  return readerMail(input, s.approvedSubject(input.siteName), [
    s.approvedIntro(input.articleTitle),
    { quote: excerpt(input.commentExcerpt) },
    { button: s.seeComment, url: input.commentUrl },
  ])
}

export function rejectedMail(
  input: ReaderMailBase & { commentExcerpt: string; reason: RejectReason; note: string | null; rulesUrl: string | null },
): MailMessage {
  const s = READER_MAIL[input.lang]
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
  const s = READER_MAIL[input.lang]
  return readerMail(input, s.featuredSubject(input.siteName), [
    s.featuredIntro(input.siteName, input.articleTitle),
    { quote: excerpt(input.commentExcerpt) },
    { button: s.seeComment, url: input.commentUrl },
  ])
}

const m = MODERATOR_MAIL

export function reportsAlertMail(
  input: ModeratorMailBase & { reports: number; commentExcerpt: string; authorName: string; articleTitle: string | null },
): MailMessage {
  return moderatorMail(input, m.reportsSubject(input.siteName, input.reports, input.authorName), [
    m.reportsIntro(input.authorName, input.articleTitle, input.reports),
    { quote: excerpt(input.commentExcerpt) },
  ])
}

export function queueAlertMail(input: ModeratorMailBase & { waiting: number; threshold: number }): MailMessage {
  return moderatorMail(input, m.queueSubject(input.siteName, input.waiting), [m.queueIntro(input.siteName, input.waiting, input.threshold)])
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
  const label = m.digestRows
  const rows: [string, string][] = [
    [label.waiting, String(input.waiting)],
    [label.reported, String(input.reported)],
    [label.published, String(input.published)],
    [label.held, String(input.held)],
    [label.rejected, String(input.rejected)],
  ]
  if (input.oldestWaitingHours !== null) rows.push([label.oldestWaiting, m.oldestWait(input.oldestWaitingHours)])
  return moderatorMail(input, m.digestSubject(input.siteName, input.day, input.waiting), [
    m.digestIntro(input.siteName, input.day),
    { rows },
  ])
}

function readerMail(input: ReaderMailBase, subject: Line, body: Block[]): MailMessage {
  const s = READER_MAIL[input.lang]
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
    body: [...body, { button: m.openQueue, url: input.queueUrl }],
    footer: [m.footer(input.siteName), { link: m.alertSettings, url: input.preferencesUrl }],
    headers: {},
  })
}
