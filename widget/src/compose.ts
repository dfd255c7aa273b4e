import { type Api, ApiError } from './api.js'
import { h, randomId, uid } from './dom.js'
import type { Messages } from './i18n/index.js'
import { identity, store } from './store.js'
import { VERIFY_KEY, readerSession } from './reader.js'
import type { Comment, OwnComment } from './types.js'

export interface ComposeContext {
  api: Api
  t: Messages
  articleId: string
  articleUrl: string
  articleTitle: string | null
  /** A form token good for one post; each call hands over the current one and fetches the next. */
  takeFormToken: () => Promise<string | undefined>
  /** Called with the stored comment. `held`: why it waits, in the server's words (a string, maybe empty), or false when published. */
  onPosted: (comment: OwnComment, held: string | false) => void
  /** Rebuilds the forms after signing in or out. */
  signedChange: (message: string) => void
  /** The widget's polite live region, shared by the whole widget. */
  announce: (text: string) => void
  lang: string
}

const LIMITS = { name: 80, email: 254, body: 5000 } as const
type Field = keyof typeof LIMITS
const length = (s: string) => [...s].length

/** The same checks the server makes, so most mistakes are caught before a round trip. */
function check(
  t: Messages,
  labels: Record<Field, string>,
  values: Record<Field, string>,
  fields: readonly Field[],
): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {}
  for (const field of fields) {
    const value = values[field]
    if (!value) errors[field] = t.required(labels[field])
    else if (length(value) > LIMITS[field]) errors[field] = t.tooLong(labels[field], LIMITS[field])
  }
  if (fields.includes('email') && !errors.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) errors.email = t.badEmail
  return errors
}

/** The comment form; with `parent` it is the inline reply form of one comment. */
export function composeForm(ctx: ComposeContext, parent?: Comment, onCancel?: () => void): HTMLFormElement {
  const { t } = ctx
  const labels: Record<Field, string> = { name: t.name, email: t.email, body: t.comment }
  const remembered = identity.get()
  const session = readerSession.get()
  const fields: readonly Field[] = session ? ['body'] : ['name', 'email', 'body']
  const inputs = {} as Record<Field, HTMLInputElement | HTMLTextAreaElement>
  const errors = {} as Record<Field, HTMLElement>

  const field = (name: Field, control: HTMLInputElement | HTMLTextAreaElement, hint?: Node) => {
    const id = uid(name)
    control.id = id
    control.name = name
    errors[name] = h('span', { class: 'err', id: `${id}-err` })
    control.setAttribute('aria-describedby', `${hint ? `${id}-hint ` : ''}${id}-err`)
    inputs[name] = control
    return h(
      'div',
      { class: 'f' },
      h('label', { for: id }, labels[name]),
      control,
      hint && h('span', { class: 'hint', id: `${id}-hint` }, hint),
      errors[name],
    )
  }

  const counter = h('span', { class: 'cnt', 'aria-live': 'off' })
  const body = h('textarea', { required: true, rows: 5, dir: 'auto' })
  const updateCounter = () => (counter.textContent = t.chars(length(body.value), LIMITS.body))
  body.addEventListener('input', updateCounter)
  updateCounter()
  const remember = h('input', { type: 'checkbox', checked: !!remembered })
  const notify = h('input', { type: 'checkbox' })
  const status = h('p', { class: 'msg', role: 'status', 'aria-live': 'polite' })
  const submit = h('button', { type: 'submit', class: 'p' }, parent ? t.reply : t.post)
  const honeypot = h('input', { name: 'website', tabindex: -1, autocomplete: 'off' })

  const say = (text: string, bad = false) => {
    status.className = bad ? 'msg bad' : 'msg'
    status.textContent = text
  }
  const signOut = async () => {
    await ctx.api.readers.signOut().catch(() => undefined)
    readerSession.set(null)
    ctx.signedChange(t.signedOut)
  }
  const askForLink = async () => {
    const email = inputs.email.value.trim()
    if (showErrors(check(t, labels, { name: 'x', email, body: 'x' }, ['email']))) return
    try {
      const nonce = randomId()
      await ctx.api.readers.verify({ email, articleUrl: ctx.articleUrl, articleId: ctx.articleId, lang: ctx.lang, nonce })
      store.write(VERIFY_KEY, { name: inputs.name.value.trim() || undefined, nonce })
      say(t.verifySent(email))
    } catch (error) {
      say(error instanceof ApiError && error.status === 429 ? t.tooFast(error.retryAfter || 60) : t.serverError, true)
    }
  }

  // A signed-in reader comments under their verified name: no name or email to type.
  const link = (text: string, onclick: () => unknown) =>
    h(
      'button',
      { type: 'button', class: 'link', onclick: () => void Promise.resolve(onclick()).catch(() => say(t.serverError, true)) },
      text,
    )
  const identityFields = session
    ? h(
        'p',
        { class: 'meta' },
        h('span', { dir: 'auto', text: t.signedInAs(session.reader.name) }),
        !parent && session.reader.via === 'email' && link(t.signOut, signOut),
        // Data, mail preferences and deleting the account are on the server's own page.
        !parent && link(t.account, async () => location.assign(await ctx.api.readers.account(location.href.split('#')[0]!))),
      )
    : h(
        'div',
        { class: 'row' },
        field('name', h('input', { autocomplete: 'name', required: true, dir: 'auto', value: remembered?.name })),
        field(
          'email',
          h('input', { type: 'email', autocomplete: 'email', required: true, dir: 'ltr', value: remembered?.email }),
          h('span', {}, t.emailNote, ' ', link(t.verify, askForLink)),
        ),
      )
  const form = h(
    'form',
    { novalidate: true, 'aria-label': parent ? t.replyTo(parent.authorName) : t.post },
    identityFields,
    field('body', body, counter),
    h('div', { class: 'hp', 'aria-hidden': 'true' }, h('label', {}, 'Website', honeypot)),
    session ? h('label', { class: 'chk' }, notify, t.notify) : h('label', { class: 'chk' }, remember, t.remember),
    status,
    h('div', { class: 'bar' }, submit, onCancel && h('button', { type: 'button', onclick: onCancel }, t.cancel)),
  )

  // One key per attempt: retrying the same text after a failure reuses it, so the server stores one comment.
  let attempt: { key: string; snapshot: string } | null = null

  const showErrors = (found: Partial<Record<Field, string>>) => {
    let first: HTMLElement | null = null
    for (const name of fields) {
      errors[name].textContent = found[name] ?? ''
      inputs[name].setAttribute('aria-invalid', String(!!found[name]))
      if (found[name] && !first) first = inputs[name]
    }
    first?.focus()
    return !!first
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    if (submit.disabled) return
    const values = { name: inputs.name?.value.trim() ?? '', email: inputs.email?.value.trim() ?? '', body: body.value.trim() }
    if (showErrors(check(t, labels, values, fields))) return say(t.fixFields, true)
    const snapshot = JSON.stringify([values, parent?.id])
    if (attempt?.snapshot !== snapshot) attempt = { key: randomId(), snapshot }
    submit.disabled = true
    submit.textContent = t.posting
    say('')
    // What was said about an earlier comment ("awaits moderation") is not about this one.
    ctx.announce('')
    try {
      const { status: code, data } = await ctx.api.post(ctx.articleId, {
        ...(session ? { body: values.body, notify: notify.checked } : values),
        parentId: parent?.id,
        lang: ctx.lang,
        articleUrl: ctx.articleUrl,
        articleTitle: ctx.articleTitle ?? undefined,
        idempotencyKey: attempt.key,
        formToken: await ctx.takeFormToken(),
        website: honeypot.value || undefined,
      })
      if (session) readerSession.remember(data.comment.id)
      else identity.set(remember.checked ? { name: values.name, email: values.email } : null)
      attempt = null
      body.value = ''
      updateCounter()
      ctx.onPosted({ ...data.comment, receipt: data.receipt }, code === 202 && (data.notice ?? ''))
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError(500, 'server_error', String(error))
      if (e.code === 'invalid_reader_token') {
        readerSession.set(null)
        ctx.signedChange(t.sessionEnded)
      } else if (e.code === 'rejected_content') showErrors({ body: e.message })
      else if (e.status === 422 && Object.keys(e.fields).length) {
        const found: Partial<Record<Field, string>> = {}
        for (const name of Object.keys(e.fields)) {
          if (fields.includes(name as Field)) found[name as Field] = name === 'email' ? t.badEmail : e.fields[name]
        }
        if (!showErrors(found)) say(t.fixFields, true)
      } else {
        // The server words its refusals in the article's language; what it cannot say is said here.
        say(
          e.status === 429
            ? t.tooFast(e.retryAfter || 60)
            : e.code === 'offline'
              ? t.offline
              : e.status === 403
                ? e.message
                : t.serverError,
          true,
        )
        status.focus()
      }
    } finally {
      submit.disabled = false
      submit.textContent = parent ? t.reply : t.post
    }
  })
  status.tabIndex = -1
  return form
}
