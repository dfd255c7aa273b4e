import type { ScreeningReason } from '../platform/db/database.js'
import type { Language } from '../platform/i18n/i18n.js'

// What a writer is told about their own comment, in the article's language: why it waits, or which rule
// refused it, in plain words. Never a threshold, a score or the word that matched: those would teach
// an abuser how to slip past. Moderators see the exact reasons in the queue.

const TEXT = {
  en: {
    waits: {
      moderation_mode: 'Your comment awaits moderation: on this article a moderator reads every comment before it appears.',
      new_commenter: 'Your comment awaits moderation: a moderator reads the first comments of each new commenter before they appear.',
      links: 'Your comment awaits moderation: a moderator checks comments with links before they appear.',
      review: 'Your comment awaits moderation: our automatic check asked a moderator to read it before it appears.',
    },
    waitsEnd: ' Only you can see it until then.',
    refused: {
      banned_word: 'Your comment uses language this site does not publish. Please rephrase it.',
      model_abuse: 'Your comment reads as abusive, which this site does not publish. Please rephrase it.',
      other: 'Your comment breaks this site’s rules and was not published. Please rephrase it.',
    },
    duplicate: 'You already posted this comment.',
    closed: 'Comments on this article are closed.',
    banned: 'You can no longer comment on this site.',
    verifyFirst: 'This site asks commenters to verify their email first.',
    /** The name of a reader whose name was refused or never given, until they choose one. */
    unnamed: 'Reader',
    suspended: (until: Date) =>
      `You cannot comment until ${until.toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' })} UTC.`,
  },
  ar: {
    waits: {
      moderation_mode: 'تعليقك بانتظار المراجعة: في هذا المقال يقرأ مشرف كل تعليق قبل ظهوره.',
      new_commenter: 'تعليقك بانتظار المراجعة: يقرأ مشرف التعليقات الأولى لكل معلّق جديد قبل ظهورها.',
      links: 'تعليقك بانتظار المراجعة: يراجع مشرف التعليقات التي تحتوي على روابط قبل ظهورها.',
      review: 'تعليقك بانتظار المراجعة: طلب الفحص الآلي أن يقرأه مشرف قبل ظهوره.',
    },
    waitsEnd: ' لا يراه أحد غيرك حتى ذلك الحين.',
    refused: {
      banned_word: 'يحتوي تعليقك على ألفاظ لا ينشرها هذا الموقع. يرجى إعادة صياغته.',
      model_abuse: 'يبدو تعليقك مسيئًا، وهذا الموقع لا ينشر الإساءة. يرجى إعادة صياغته.',
      other: 'يخالف تعليقك قواعد هذا الموقع ولم يُنشر. يرجى إعادة صياغته.',
    },
    duplicate: 'لقد نشرت هذا التعليق من قبل.',
    closed: 'التعليقات على هذا المقال مغلقة.',
    banned: 'لم يعد بإمكانك التعليق على هذا الموقع.',
    verifyFirst: 'يطلب هذا الموقع من المعلّقين تأكيد بريدهم الإلكتروني أولًا.',
    unnamed: 'قارئ',
    suspended: (until: Date) =>
      `لا يمكنك التعليق حتى ${until.toLocaleString('ar', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' })} بالتوقيت العالمي.`,
  },
} as const

export const readerText = (lang: Language) => TEXT[lang]

/**
 * Why a comment waits. The writer's own circumstances come first (the article's rule, being new, a link);
 * anything screening noticed is "an automatic check", whichever check it was.
 */
export function waitingNotice(lang: Language, reasons: readonly ScreeningReason[] = []): string {
  const t = TEXT[lang]
  const held = new Set(reasons.filter((r) => r.verdict === 'hold').map((r) => r.rule))
  const why = (['moderation_mode', 'new_commenter', 'links'] as const).find((rule) => held.has(rule)) ?? 'review'
  return t.waits[why] + t.waitsEnd
}

/** Which rule refused a comment, in plain words. */
export function refusalNotice(lang: Language, reasons: readonly ScreeningReason[] = []): string {
  const t = TEXT[lang]
  const rule = reasons.find((r) => r.verdict === 'reject')?.rule
  return rule === 'banned_word' || rule === 'model_abuse' ? t.refused[rule] : t.refused.other
}
