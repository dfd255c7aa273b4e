import { describe, expect, it } from 'vitest'
import { type Language, pickLanguage } from '../platform/i18n/i18n.js'
import {
  approvedMail,
  dailyDigestMail,
  featuredMail,
  queueAlertMail,
  rejectedMail,
  replyMail,
  reportsAlertMail,
  verifyEmailMail,
  type MailMessage,
  type ModeratorMailBase,
  type ReaderMailBase,
} from './mail.messages.js'
import { excerpt } from './mail.compose.js'

const FSI = '\u2068'
const PDI = '\u2069'

const reader = (lang: Language, patch: Partial<ReaderMailBase> = {}): ReaderMailBase => ({
  to: 'reader@example.org',
  lang,
  siteName: 'The Daily',
  articleTitle: 'Budget vote delayed',
  commentUrl: 'https://news.example.org/a/budget#c-42',
  unsubscribeUrl: 'https://news.example.org/mail/unsubscribe?t=abc&k=1',
  preferencesUrl: 'https://news.example.org/mail/preferences?t=abc',
  ...patch,
})

const moderator: ModeratorMailBase = {
  to: 'mod@example.org',
  siteName: 'The Daily',
  queueUrl: 'https://news.example.org/moderate/queue',
  preferencesUrl: 'https://news.example.org/moderate/settings#alerts',
}

const escapedHref = (url: string) => `href="${url.replaceAll('&', '&amp;')}"`

function expectReaderFooter(mail: MailMessage, base: ReaderMailBase) {
  expect(mail.headers).toEqual({
    'List-Unsubscribe': `<${base.unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  })
  const footer = mail.text.slice(mail.text.lastIndexOf('\n-- \n'))
  expect(footer).toContain(base.preferencesUrl)
  expect(footer).toContain(base.unsubscribeUrl)
  expect(mail.html).toContain(escapedHref(base.preferencesUrl))
  expect(mail.html).toContain(escapedHref(base.unsubscribeUrl))
}

function expectDirection(mail: MailMessage, lang: Language) {
  const dir = lang === 'ar' ? 'rtl' : 'ltr'
  expect(mail.html).toContain(`<html lang="${lang}" dir="${dir}">`)
  expect(mail.html).toMatch(new RegExp(`<div dir="${dir}" style="max-width:`))
}

describe('pickLanguage', () => {
  it('picks Arabic for any Arabic tag and English for everything else', () => {
    expect(['ar', 'ar-SY', 'AR', 'ar_EG', ' ar '].map(pickLanguage)).toEqual(['ar', 'ar', 'ar', 'ar', 'ar'])
    expect(['en', 'en-GB', 'fr', 'arn', '', null, undefined].map(pickLanguage)).toEqual(['en', 'en', 'en', 'en', 'en', 'en', 'en'])
  })
})

describe('excerpt', () => {
  it('keeps short text, flattening its whitespace', () => {
    expect(excerpt('  one\n\ntwo  ')).toBe('one two')
  })

  it('shortens long text to at most max code points with an ellipsis, on a word when one is near', () => {
    const text = 'word '.repeat(100)
    const short = excerpt(text, 50)
    expect(Array.from(short).length).toBeLessThanOrEqual(50)
    expect(short).toMatch(/word…$/)
  })

  it('never splits a surrogate pair', () => {
    const text = '😀'.repeat(300)
    const short = excerpt(text)
    expect(short).toBe(`${'😀'.repeat(279)}…`)
    expect(short).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/)
    expect(excerpt('a😀😀😀', 3)).toBe('a😀…')
  })
})

describe('verifyEmailMail', () => {
  const input = { to: 'new@example.org', siteName: 'The Daily', link: 'https://news.example.org/verify?token=x&y=1', validMinutes: 30 }

  it('in English: the link, how long it is valid, once, and ignore if not asked', () => {
    const mail = verifyEmailMail({ ...input, lang: 'en' })
    expect(mail.to).toBe('new@example.org')
    expect(mail.subject).toBe('Confirm your email to comment on The Daily')
    // No isolates where nothing needs them: some mail clients print U+2068/U+2069 (issue 22, bug 18).
    expect(`${mail.subject}${mail.text}`).not.toMatch(/[\u2068\u2069]/)
    expect(mail.text).toContain(input.link)
    expect(mail.text).toContain('valid for 30 minutes and works once')
    expect(mail.text).toContain('If you did not ask for this, ignore this mail')
    expect(mail.html).toContain(escapedHref(input.link))
    expect(mail.headers).toEqual({})
    expect(mail.text).not.toContain('\n-- \n')
    expectDirection(mail, 'en')
  })

  it('in Arabic, with Arabic counting of minutes', () => {
    const mail = verifyEmailMail({ ...input, lang: 'ar' })
    expect(mail.subject).toBe(`أكّد بريدك الإلكتروني للتعليق في ${FSI}The Daily${PDI}`)
    expect(mail.text).toContain('صالح لمدة 30 دقيقة')
    expect(mail.text).toContain('مرة واحدة')
    expect(mail.text).toContain('فتجاهل هذه الرسالة')
    expect(mail.text).toContain(input.link)
    expect(mail.html).toContain('<bdi>The Daily</bdi>')
    expect(mail.headers).toEqual({})
    expectDirection(mail, 'ar')
    expect(verifyEmailMail({ ...input, lang: 'ar', validMinutes: 2 }).text).toContain('دقيقتين')
    expect(verifyEmailMail({ ...input, lang: 'ar', validMinutes: 5 }).text).toContain('5 دقائق')
  })

  it('names the article the reader asked from, in both languages (issue 22, bug 18)', () => {
    const en = verifyEmailMail({ ...input, lang: 'en', articleTitle: 'Aid lorries wait at the border' })
    expect(en.text).toContain('To comment on “Aid lorries wait at the border” at The Daily, confirm your email address')
    expect(en.html).toContain('<bdi>Aid lorries wait at the border</bdi>')
    const ar = verifyEmailMail({ ...input, lang: 'ar', siteName: 'الجريدة', articleTitle: 'شاحنات المساعدات تنتظر' })
    expect(ar.text).toContain('لتتمكّن من التعليق على «شاحنات المساعدات تنتظر» في الجريدة، أكّد')
  })

  it('does not link a URL that is not http(s)', () => {
    const mail = verifyEmailMail({ ...input, lang: 'en', link: 'javascript:alert(1)' })
    expect(mail.html).not.toContain('javascript:')
    expect(mail.text).not.toContain('javascript:')
    expect(mail.html).toContain('Confirm my email')
  })
})

describe('reader mails', () => {
  it('reply, in English', () => {
    const base = reader('en')
    const mail = replyMail({ ...base, replierName: 'Sam', replyExcerpt: 'I disagree.' })
    expect(mail.subject).toBe('Sam replied to your comment on The Daily')
    expect(mail.text).toContain('Sam replied to your comment on “Budget vote delayed”:')
    expect(mail.text).toContain('“I disagree.”')
    expect(mail.text).toContain(`Read the reply:\n${base.commentUrl}`)
    expect(mail.html).toContain(escapedHref(base.commentUrl))
    expectReaderFooter(mail, base)
    expectDirection(mail, 'en')
  })

  it('reply, in Arabic, with an English name isolated in the Arabic line', () => {
    const base = reader('ar', { siteName: 'الجريدة', articleTitle: 'Budget vote' })
    const mail = replyMail({ ...base, replierName: 'Sam 2', replyExcerpt: 'لا أوافق.' })
    expect(mail.subject).toBe(`ردّ ${FSI}Sam 2${PDI} على تعليقك في الجريدة`)
    expect(mail.text).toContain(`على «${FSI}Budget vote${PDI}»`)
    expect(mail.text).toContain('«لا أوافق.»')
    expect(mail.text).toContain(`اقرأ الردّ:\n${base.commentUrl}`)
    expect(mail.html).toContain('<bdi>Sam 2</bdi>')
    expect(mail.html).toContain('<bdi>Budget vote</bdi>')
    expectReaderFooter(mail, base)
    expectDirection(mail, 'ar')
  })

  it('leaves out the article when its title is unknown', () => {
    const mail = approvedMail({ ...reader('en', { articleTitle: null }), commentExcerpt: 'Thanks.' })
    expect(mail.text).toContain('Your comment has been published:')
    expect(mail.text).not.toContain('null')
  })

  for (const lang of ['en', 'ar'] as const) {
    it(`approved and featured, in ${lang}`, () => {
      const base = reader(lang)
      for (const mail of [approvedMail({ ...base, commentExcerpt: 'My view.' }), featuredMail({ ...base, commentExcerpt: 'My view.' })]) {
        expect(mail.subject).toContain(lang === 'en' ? ' The Daily' : `${FSI}The Daily${PDI}`)
        expect(mail.text).toContain('My view.')
        expect(mail.text).toContain(base.commentUrl)
        expect(mail.html).toContain(escapedHref(base.commentUrl))
        expectReaderFooter(mail, base)
        expectDirection(mail, lang)
      }
    })
  }

  it('approved and featured say what happened', () => {
    expect(approvedMail({ ...reader('en'), commentExcerpt: 'x' }).subject).toContain('is published')
    expect(featuredMail({ ...reader('en'), commentExcerpt: 'x' }).text).toContain('as a featured comment')
    expect(approvedMail({ ...reader('ar'), commentExcerpt: 'x' }).subject).toContain('نُشر تعليقك')
    expect(featuredMail({ ...reader('ar'), commentExcerpt: 'x' }).text).toContain('التعليقات المميّزة')
  })

  it('rejected, in English: the reason in words, the note and the rules', () => {
    const base = reader('en')
    const rulesUrl = 'https://news.example.org/rules'
    const mail = rejectedMail({ ...base, commentExcerpt: 'Buy now', reason: 'spam', note: 'Links to a shop.', rulesUrl })
    expect(mail.subject).toBe('Your comment on The Daily was not published')
    expect(mail.text).toContain('Reason: spam or advertising.')
    expect(mail.text).toContain('A note from the moderators:\n\n“Links to a shop.”')
    expect(mail.text).toContain(`Read the site rules:\n${rulesUrl}`)
    expect(mail.html).toContain(`<a href="${rulesUrl}"`)
    expectReaderFooter(mail, base)
  })

  it('rejected, in Arabic, for every reason', () => {
    const words = { spam: 'إعلانات', abuse: 'إساءة', off_topic: 'خروج عن موضوع', misinformation: 'مضلِّلة', other: 'مخالفة قواعد' }
    for (const [reason, word] of Object.entries(words)) {
      const mail = rejectedMail({ ...reader('ar'), commentExcerpt: 'x', reason: reason as keyof typeof words, note: null, rulesUrl: null })
      expect(mail.text).toContain(`السبب: `)
      expect(mail.text).toContain(word)
      expect(mail.text).not.toContain('ملاحظة من المشرفين')
      expect(mail.text).not.toContain('قواعد التعليق:')
      expectDirection(mail, 'ar')
    }
    const withNote = rejectedMail({
      ...reader('ar'),
      commentExcerpt: 'x',
      reason: 'abuse',
      note: 'شتائم',
      rulesUrl: 'https://news.example.org/rules',
    })
    expect(withNote.text).toContain('ملاحظة من المشرفين:\n\n«شتائم»')
    expect(withNote.text).toContain('اطّلع على قواعد التعليق:\nhttps://news.example.org/rules')
  })

  it('sends no List-Unsubscribe header that could not be followed', () => {
    const mail = approvedMail({ ...reader('en', { unsubscribeUrl: 'mailto:x@example.org' }), commentExcerpt: 'x' })
    expect(mail.headers).toEqual({})
  })

  it('shortens long excerpts', () => {
    const mail = approvedMail({ ...reader('en'), commentExcerpt: 'long '.repeat(200) })
    expect(mail.text).toContain('long…”')
  })
})

describe('escaping', () => {
  const hostile = `<script>alert("x")</script> & 'quotes'`

  it('escapes every reader and publisher value in the HTML', () => {
    const base = reader('en', { siteName: hostile, articleTitle: hostile })
    const mails = [
      replyMail({ ...base, replierName: hostile, replyExcerpt: hostile }),
      approvedMail({ ...base, commentExcerpt: hostile }),
      featuredMail({ ...base, commentExcerpt: hostile }),
      rejectedMail({ ...base, commentExcerpt: hostile, reason: 'other', note: hostile, rulesUrl: null }),
      reportsAlertMail({
        ...moderator,
        siteName: hostile,
        reports: 2,
        commentExcerpt: hostile,
        authorName: hostile,
        articleTitle: hostile,
      }),
      queueAlertMail({ ...moderator, siteName: hostile, waiting: 3, threshold: 2 }),
      dailyDigestMail({
        ...moderator,
        siteName: hostile,
        day: '2025-01-01',
        waiting: 1,
        reported: 0,
        published: 0,
        held: 0,
        rejected: 0,
        oldestWaitingHours: null,
      }),
      verifyEmailMail({ to: 'a@example.org', lang: 'ar', siteName: hostile, link: 'https://x.example/', validMinutes: 10 }),
    ]
    for (const mail of mails) {
      expect(mail.html).not.toContain('<script>')
      expect(mail.html).not.toContain(`"x"`)
      expect(mail.html).not.toContain(`'quotes'`)
      expect(mail.html).toContain('&lt;script&gt;')
      expect(mail.text).toContain('<script>')
    }
  })

  it('keeps subjects on one line and short', () => {
    const mail = replyMail({
      ...reader('en'),
      replierName: 'Evil\r\nBcc: everyone@example.org',
      replyExcerpt: 'x',
      siteName: 'S'.repeat(400),
    })
    expect(mail.subject).not.toMatch(/[\r\n]/)
    expect(Array.from(mail.subject).length).toBeLessThanOrEqual(150)
    expect(mail.subject.endsWith('…')).toBe(true)
  })

  it('removes bidi controls from values so they cannot escape their isolate', () => {
    const mail = replyMail({ ...reader('ar'), replierName: `Sam${PDI}\u202e`, replyExcerpt: 'x' })
    expect(mail.subject).toContain(`${FSI}Sam${PDI} `)
    expect(mail.text).not.toContain('\u202e')
  })
})

describe('moderator mails', () => {
  function expectModeratorFooter(mail: MailMessage) {
    expect(mail.headers).toEqual({})
    expect(mail.text).toContain(`\n-- \n`)
    expect(mail.text).toContain(moderator.preferencesUrl)
    expect(mail.text).not.toContain('Unsubscribe')
    expect(mail.html).toContain(escapedHref(moderator.preferencesUrl))
    expect(mail.text).toContain(moderator.queueUrl)
    expect(mail.html).toContain(escapedHref(moderator.queueUrl))
    expectDirection(mail, 'en')
  }

  it('reports alert', () => {
    const mail = reportsAlertMail({
      ...moderator,
      reports: 3,
      commentExcerpt: 'You are all idiots',
      authorName: 'محمد',
      articleTitle: 'Budget',
    })
    expect(mail.subject).toBe(`[The Daily] 3 reports on a comment by ${FSI}محمد${PDI}`)
    expect(mail.text).toContain('on “Budget” has 3 reports:')
    expect(mail.text).toContain('“You are all idiots”')
    expectModeratorFooter(mail)
    expect(reportsAlertMail({ ...moderator, reports: 1, commentExcerpt: 'x', authorName: 'A', articleTitle: null }).text).toContain(
      'A has 1 report:',
    )
  })

  it('queue alert', () => {
    const mail = queueAlertMail({ ...moderator, waiting: 25, threshold: 20 })
    expect(mail.subject).toBe('[The Daily] 25 comments waiting for moderation')
    expect(mail.text).toContain('25 comments are waiting')
    expect(mail.text).toContain('threshold is 20')
    expectModeratorFooter(mail)
    expect(queueAlertMail({ ...moderator, waiting: 1, threshold: 1 }).text).toContain('1 comment is waiting')
  })

  it('daily digest', () => {
    const input = {
      ...moderator,
      day: '2025-03-14',
      waiting: 7,
      reported: 2,
      published: 120,
      held: 9,
      rejected: 4,
      oldestWaitingHours: 5.4,
    }
    const mail = dailyDigestMail(input)
    expect(mail.subject).toBe('[The Daily] Moderation digest for 2025-03-14: 7 waiting')
    for (const row of [
      'Waiting for moderation: 7',
      'Reported: 2',
      'Published: 120',
      'Held for review: 9',
      'Rejected: 4',
      'Oldest waiting comment: 5 hours',
    ]) {
      expect(mail.text).toContain(row)
    }
    expect(mail.html).toContain('<strong>120</strong>')
    expectModeratorFooter(mail)
    expect(dailyDigestMail({ ...input, oldestWaitingHours: null }).text).not.toContain('Oldest')
    expect(dailyDigestMail({ ...input, oldestWaitingHours: 0.2 }).text).toContain('under an hour')
  })
})
