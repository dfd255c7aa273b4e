import { ReaderPage } from '../reader-pages/reader-page.js'
import { type Language, direction } from '../../platform/i18n/i18n.js'
import { FORM_ANSWER } from '../../platform/i18n/i18n.reader.js'

// The answer to a comment form posted without JavaScript: a small page in the article's language that
// says what happened, keeps what was typed when something needs fixing, and links back to the article.

export interface FormOutcome {
  result: 'published' | 'pending' | 'invalid' | 'refused'
  /** Why, in words the writer can act on (the server's own message): why it waits, or what to fix. */
  message?: string
  fields?: Record<string, string>
  typed: Record<string, string>
}

const LIMITS: Record<string, number> = { name: 80, email: 254, body: 5000 }

/** What is wrong with a field, in the page's language: the schema's own words are English. */
function fieldWords(t: (typeof FORM_ANSWER)[Language], name: string, typed = '') {
  const value = typed.trim()
  if (!value) return t.required
  if ([...value].length > (LIMITS[name] ?? Number.POSITIVE_INFINITY)) return t.tooLong(LIMITS[name]!)
  return name === 'email' ? t.badEmail : t.fieldInvalid
}

export function FormAnswerPage(props: { lang: Language; outcome: FormOutcome; action: string; articleUrl: string | null }) {
  const t = FORM_ANSWER[props.lang]
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
          <strong role="alert">{fieldWords(t, name, outcome.typed[name])}</strong>
        </>
      )}
    </p>
  )
  return (
    <ReaderPage lang={props.lang} dir={direction(props.lang)} title={t.title} css="input,textarea{font:inherit;max-width:100%}">
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
