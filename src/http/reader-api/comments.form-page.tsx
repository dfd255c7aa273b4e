import { ReaderPage } from '../reader-pages/reader-page.js'
import type { Language } from '../../platform/i18n/i18n.js'

// The answer to a comment form posted without JavaScript: a small page in the article's language that
// says what happened, keeps what was typed when something needs fixing, and links back to the article.

const TEXT = {
  en: {
    dir: 'ltr' as const,
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
  },
  ar: {
    dir: 'rtl' as const,
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
  },
}

export interface FormOutcome {
  result: 'published' | 'pending' | 'invalid' | 'refused'
  /** Why, in words the writer can act on (the server's own message): why it waits, or what to fix. */
  message?: string
  fields?: Record<string, string>
  typed: Record<string, string>
}

export function FormAnswerPage(props: { lang: Language; outcome: FormOutcome; action: string; articleUrl: string | null }) {
  const t = TEXT[props.lang]
  const { outcome } = props
  const again = outcome.result === 'invalid' || outcome.result === 'refused'
  const field = (name: string, label: string, multiline = false) => (
    <p>
      {/* biome-ignore lint/a11y/noLabelWithoutControl: the label wraps its control (either branch below) */}
      <label>
        {label}
        <br />
        {multiline ? (
          <textarea name={name} rows={6} cols={60} dir="auto" required>
            {outcome.typed[name] ?? ''}
          </textarea>
        ) : (
          <input name={name} value={outcome.typed[name] ?? ''} dir="auto" required />
        )}
      </label>
      {outcome.fields?.[name] && (
        <>
          <br />
          <strong role="alert">{outcome.fields[name]}</strong>
        </>
      )}
    </p>
  )
  return (
    <ReaderPage lang={props.lang} dir={t.dir} title={t.title} css="input,textarea{font:inherit;max-width:100%}">
      <p role="status">{outcome.result === 'pending' && outcome.message ? outcome.message : t[outcome.result]}</p>
      {again && outcome.message && <p>{outcome.message}</p>}
      {again && (
        <form method="post" action={props.action}>
          {['parentId', 'articleUrl', 'articleTitle', 'lang'].map(
            (name) => outcome.typed[name] && <input type="hidden" name={name} value={outcome.typed[name]} />,
          )}
          {field('name', t.name)}
          {field('email', t.email)}
          {field('body', t.comment, true)}
          <button type="submit">{t.send}</button>
        </form>
      )}
      {props.articleUrl && (
        <p>
          <a href={props.articleUrl}>{t.back}</a>
        </p>
      )}
    </ReaderPage>
  )
}
