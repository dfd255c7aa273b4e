import type { Messages } from './en.js'

// Arabic: six plural forms, right-to-left layout.
function arabicCount(n: number): string {
  if (n === 0) return 'لا تعليقات'
  if (n === 1) return 'تعليق واحد'
  if (n === 2) return 'تعليقان'
  const mod = n % 100
  if (mod >= 3 && mod <= 10) return `${n} تعليقات`
  return `${n} تعليقًا`
}

export const ar: Messages = {
  dir: 'rtl',
  heading: 'التعليقات',
  count: arabicCount,
  sortLabel: 'ترتيب التعليقات',
  newest: 'الأحدث أولًا',
  oldest: 'الأقدم أولًا',
  loading: 'جارٍ تحميل التعليقات…',
  loadFailed: 'تعذّر تحميل التعليقات.',
  retry: 'أعد المحاولة',
  empty: 'لا تعليقات بعد. ابدأ النقاش.',
  closed: 'التعليقات مغلقة على هذا المقال.',
  loadMore: 'عرض مزيد من التعليقات',
  moreReplies: 'عرض مزيد من الردود',
  featured: 'اختيار المحررين',
  inReplyTo: (name) => `ردًا على ${name}`,
  name: 'الاسم',
  email: 'البريد الإلكتروني',
  emailNote: 'لا يُعرض أبدًا. نستخدمه فقط إن احتجنا إلى التواصل معك بشأن تعليقك.',
  comment: 'التعليق',
  remember: 'تذكّر اسمي وبريدي على هذا الجهاز',
  post: 'أرسل التعليق',
  posting: 'جارٍ الإرسال…',
  reply: 'ردّ',
  replyTo: (name) => `الرد على ${name}`,
  cancel: 'إلغاء',
  report: 'إبلاغ',
  reportTitle: 'لماذا ينبغي أن يراجع المشرفون هذا التعليق؟',
  reportSend: 'أرسل البلاغ',
  reportSent: 'شكرًا لك. سيراجعه أحد المشرفين.',
  reasons: { spam: 'رسائل مزعجة', abuse: 'إساءة أو تحرّش', off_topic: 'خارج الموضوع', misinformation: 'معلومات مضلّلة', other: 'سبب آخر' },
  awaiting: 'تعليقك بانتظار المراجعة. لا يراه أحد غيرك حتى يوافق عليه أحد المشرفين.',
  awaitingBadge: 'بانتظار المراجعة',
  published: 'نُشر تعليقك.',
  notPublished: 'لم يوافق المشرفون على نشر تعليق كتبته.',
  chars: (n, max) => `${n} / ${max}`,
  required: (field) => `حقل «${field}» مطلوب.`,
  tooLong: (field, max) => `يجب ألا يتجاوز حقل «${field}» ${max} حرف.`,
  badEmail: 'أدخل عنوان بريد إلكتروني صحيحًا.',
  fixFields: 'يرجى تصحيح الحقول المشار إليها.',
  rejected: 'يخالف هذا التعليق قواعد المجتمع ولا يمكن نشره. يرجى إعادة صياغته.',
  duplicate: 'سبق أن أرسلت هذا التعليق.',
  threadClosed: 'التعليقات مغلقة على هذا المقال.',
  banned: 'لا يمكنك التعليق على هذا الموقع.',
  tooFast: (s) => `أنت تعلّق بسرعة كبيرة. انتظر ${s} ثانية ثم أعد المحاولة.`,
  offline: 'يبدو أنك غير متصل بالإنترنت. تعليقك محفوظ هنا؛ أعد المحاولة عند الاتصال.',
  serverError: 'حدثت مشكلة في خدمة التعليقات. تعليقك محفوظ هنا؛ يرجى إعادة المحاولة.',
}
