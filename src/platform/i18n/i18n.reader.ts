// The server's words for readers, in English and Arabic: what a writer is told about their comment, the
// page that answers a form posted without JavaScript, and the mail preferences and account pages.
import type { ScreeningReason } from '../db/database.js'
import type { Catalogue, Language } from './i18n.js'

// What a writer is told about their own comment, in the article's language: why it waits, or which rule
// refused it, in plain words. Never a threshold, a score or the word that matched: those would teach
// an abuser how to slip past. Moderators see the exact reasons in the queue.
const noticesEn = {
  waits: {
    moderation_mode: 'Your comment awaits moderation: on this article a moderator reads every comment before it appears.',
    new_commenter: 'Your comment awaits moderation: a moderator reads the first comments of each new commenter before they appear.',
    links: 'Your comment awaits moderation: a moderator checks comments with links before they appear.',
    review: 'Your comment awaits moderation: our automatic check asked a moderator to read it before it appears.',
  },
  waitsEnd: ' Only you can see it until then.',
  /** Without JavaScript nothing shows the writer their waiting comment: only where it will appear. */
  waitsEndNoScript: ' It will appear under the article once a moderator approves it.',
  tooFast: (seconds: number) => `You are commenting too quickly. Please wait ${seconds} seconds and send again.`,
  /** A refusal with no words of its own for readers (a retry key sent twice, say). */
  refusedOther: 'Your comment could not be taken. Please send it again.',
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
}

export const NOTICES: Catalogue<typeof noticesEn> = {
  en: noticesEn,
  ar: {
    waits: {
      moderation_mode: 'تعليقك بانتظار المراجعة: في هذا المقال يقرأ مشرف كل تعليق قبل ظهوره.',
      new_commenter: 'تعليقك بانتظار المراجعة: يقرأ مشرف التعليقات الأولى لكل معلّق جديد قبل ظهورها.',
      links: 'تعليقك بانتظار المراجعة: يراجع مشرف التعليقات التي تحتوي على روابط قبل ظهورها.',
      review: 'تعليقك بانتظار المراجعة: طلب الفحص الآلي أن يقرأه مشرف قبل ظهوره.',
    },
    waitsEnd: ' لا يراه أحد غيرك حتى ذلك الحين.',
    waitsEndNoScript: ' سيظهر تحت المقال بعد أن يوافق عليه أحد المشرفين.',
    tooFast: (seconds) => `أنت تعلّق بسرعة كبيرة. انتظر ${seconds} ثانية ثم أرسل مجددًا.`,
    refusedOther: 'تعذّر استلام تعليقك. يرجى إرساله مجددًا.',
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
    suspended: (until) =>
      `لا يمكنك التعليق حتى ${until.toLocaleString('ar', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' })} بالتوقيت العالمي.`,
  },
}

/**
 * Why a comment waits. The writer's own circumstances come first (the article's rule, being new, a link);
 * anything screening noticed is "an automatic check", whichever check it was.
 */
export function waitingNotice(lang: Language, reasons: readonly ScreeningReason[] = []): string {
  const t = NOTICES[lang]
  const held = new Set(reasons.filter((r) => r.verdict === 'hold').map((r) => r.rule))
  const why = (['moderation_mode', 'new_commenter', 'links'] as const).find((rule) => held.has(rule)) ?? 'review'
  return t.waits[why] + t.waitsEnd
}

/** The same notice for a writer without JavaScript, whose page shows nothing until a moderator decides. */
export function noScriptNotice(notice: string): string {
  for (const t of Object.values(NOTICES)) notice = notice.replace(t.waitsEnd, t.waitsEndNoScript)
  return notice
}

/** Which rule refused a comment, in plain words. */
export function refusalNotice(lang: Language, reasons: readonly ScreeningReason[] = []): string {
  const t = NOTICES[lang]
  const rule = reasons.find((r) => r.verdict === 'reject')?.rule
  return rule === 'banned_word' || rule === 'model_abuse' ? t.refused[rule] : t.refused.other
}

/** The answer to a comment form posted without JavaScript, and the form again when something needs fixing. */
const formAnswerEn = {
  published: 'Your comment is published.',
  pending: 'Thank you. Your comment awaits moderation and will appear once a moderator approves it.',
  invalid: 'Please correct the fields below and send again.',
  refused: 'Your comment was not published.',
  back: 'Back to the article',
  name: 'Name',
  email: 'Email (never shown)',
  comment: 'Comment',
  send: 'Send again',
  title: 'Your comment',
  required: 'This field is required.',
  badEmail: 'Enter a valid email address.',
  tooLong: (max: number) => `At most ${max} characters.`,
  fieldInvalid: 'Please check this field.',
}

export const FORM_ANSWER: Catalogue<typeof formAnswerEn> = {
  en: formAnswerEn,
  ar: {
    published: 'نُشر تعليقك.',
    pending: 'شكرًا لك. تعليقك بانتظار المراجعة وسيظهر بعد أن يوافق عليه أحد المشرفين.',
    invalid: 'يرجى تصحيح الحقول أدناه ثم الإرسال مجددًا.',
    refused: 'لم يُنشر تعليقك.',
    back: 'العودة إلى المقال',
    name: 'الاسم',
    email: 'البريد الإلكتروني (لا يُعرض أبدًا)',
    comment: 'التعليق',
    send: 'أرسل مجددًا',
    title: 'تعليقك',
    required: 'هذا الحقل مطلوب.',
    badEmail: 'أدخل عنوان بريد إلكتروني صحيحًا.',
    tooLong: (max) => `${max} حرف على الأكثر.`,
    fieldInvalid: 'يرجى التحقق من هذا الحقل.',
  },
}

/** The mail preferences page, reached from the link in every notification. */
const preferencesPageEn = {
  title: 'Email preferences',
  intro: 'Choose which emails you get about your comments.',
  replies: 'Someone replies to my comment',
  approved: 'A moderator publishes my comment',
  rejected: 'A moderator does not publish my comment (with the reason)',
  featured: 'My comment is chosen as a pick',
  save: 'Save',
  none: 'Unsubscribe from all',
  saved: 'Saved.',
  unsubscribed: 'You will get no more emails about your comments.',
  invalid: 'This link is not valid. Use the link from your most recent email.',
}

export const PREFERENCES_PAGE: Catalogue<typeof preferencesPageEn> = {
  en: preferencesPageEn,
  ar: {
    title: 'إعدادات البريد الإلكتروني',
    intro: 'اختر الرسائل التي تصلك بشأن تعليقاتك.',
    replies: 'عندما يردّ أحد على تعليقي',
    approved: 'عندما ينشر مشرف تعليقي',
    rejected: 'عندما لا ينشر مشرف تعليقي (مع السبب)',
    featured: 'عندما يُختار تعليقي ضمن المختارات',
    save: 'حفظ',
    none: 'إلغاء الاشتراك في كل الرسائل',
    saved: 'تم الحفظ.',
    unsubscribed: 'لن تصلك بعد الآن رسائل بشأن تعليقاتك.',
    invalid: 'هذا الرابط غير صالح. استخدم الرابط في أحدث رسالة وصلتك.',
  },
}

/** A signed-in reader's account page: their data, their mail preferences, signing out, deleting the account. */
const accountPageEn = {
  title: 'Your account',
  intro: (name: string, email: string | null) => `You comment as ${name}${email ? ` (${email})` : ''}.`,
  data: 'Download my data',
  dataHint: 'Everything this site stores about you and your comments, as a JSON file.',
  preferences: 'Email preferences',
  signOutEverywhere: 'Sign out everywhere',
  signOutEverywhereHint:
    'Ends your sign-in on every device and browser, this one included. You stay signed in on a device for 30 days after you last comment or read there, 180 days at most.',
  signedOutEverywhere: 'You are signed out on every device.',
  erase: 'Delete my account',
  eraseHint: 'Your name, email and comments are deleted. Comments others replied to stay as empty “[deleted]” places in their threads.',
  confirm: 'I understand this cannot be undone',
  erased: 'Your account and comments were deleted.',
  back: 'Back to the article',
  invalid: 'This link has expired or is not valid. Open “Your account” again from the comments.',
}

export const ACCOUNT_PAGE: Catalogue<typeof accountPageEn> = {
  en: accountPageEn,
  ar: {
    title: 'حسابك',
    intro: (name, email) => `تعلّق باسم ${name}${email ? ` (${email})` : ''}.`,
    data: 'تنزيل بياناتي',
    dataHint: 'كل ما يحفظه هذا الموقع عنك وعن تعليقاتك، في ملف JSON.',
    preferences: 'إعدادات البريد الإلكتروني',
    signOutEverywhere: 'تسجيل الخروج من كل الأجهزة',
    signOutEverywhereHint:
      'ينهي تسجيل دخولك على كل جهاز ومتصفح، بما فيها هذا. يبقى دخولك على الجهاز قائمًا 30 يومًا بعد آخر استخدام له، و180 يومًا على الأكثر.',
    signedOutEverywhere: 'سجّلت الخروج من كل الأجهزة.',
    erase: 'حذف حسابي',
    eraseHint: 'يُحذف اسمك وبريدك وتعليقاتك. تبقى التعليقات التي ردّ عليها آخرون أماكن فارغة «[محذوف]» في نقاشاتها.',
    confirm: 'أفهم أنه لا يمكن التراجع عن ذلك',
    erased: 'حُذف حسابك وتعليقاتك.',
    back: 'العودة إلى المقال',
    invalid: 'انتهت صلاحية هذا الرابط أو أنه غير صالح. افتح «حسابك» مجددًا من التعليقات.',
  },
}

/** Above the first comments a server renders for readers without JavaScript (the demo pages, the fragment). */
export const FALLBACK_COMMENTS: Catalogue<{ heading: string; deleted: string }> = {
  en: { heading: 'Comments so far', deleted: 'Deleted by its author.' },
  ar: { heading: 'التعليقات حتى الآن', deleted: 'حذفه كاتبه.' },
}
