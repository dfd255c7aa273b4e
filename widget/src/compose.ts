import { type Api, ApiError } from './api.js'
import { type Errors, type Field, type FieldSet, LIMITS, fieldSet, length } from './compose.fields.js'
import { button, h, randomId } from './dom.js'
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

/** Settled when no post is under way: what the live stream says waits for it. */
export const posting = { done: Promise.resolve() as Promise<unknown> }

/** What the form says back, in its own status line. */
function say(status: HTMLElement, text: string, bad = false) {
  status.className = bad ? 'msg bad' : 'msg'
  status.textContent = text
}

/** Who is writing: a signed-in reader comments under their verified name, a guest types name and email. */
function identityFields(ctx: ComposeContext, fields: FieldSet, status: HTMLElement, parent?: Comment) {
  const { t } = ctx
  const session = readerSession.get()
  const link = (text: string, onclick: () => unknown) =>
    button({ class: 'link', onclick: () => void Promise.resolve(onclick()).catch(() => say(status, t.serverError, true)) }, text)
  if (session)
    return h(
      'p',
      { class: 'meta' },
      h('span', { dir: 'auto', text: t.signedInAs(session.reader.name) }),
      !parent && session.reader.via === 'email' && link(t.signOut, () => signOut(ctx)),
      // Data, mail preferences and deleting the account are on the server's own page.
      !parent && link(t.account, async () => location.assign(await ctx.api.readers.account(location.href.split('#')[0]!))),
    )
  const remembered = identity.get()
  return h(
    'div',
    { class: 'row' },
    fields.row('name', h('input', { autocomplete: 'name', required: true, dir: 'auto', value: remembered?.name })),
    fields.row(
      'email',
      h('input', { type: 'email', autocomplete: 'email', required: true, dir: 'ltr', value: remembered?.email }),
      h(
        'span',
        {},
        t.emailNote,
        ' ',
        link(t.verify, () => askForLink(ctx, fields, status)),
      ),
    ),
  )
}

async function signOut(ctx: ComposeContext) {
  await ctx.api.readers.signOut().catch(() => undefined)
  readerSession.set(null)
  ctx.signedChange(ctx.t.signedOut)
}

/** Mails a sign-in link; the name typed and a nonce stay here, for the browser that opens the link. */
async function askForLink(ctx: ComposeContext, fields: FieldSet, status: HTMLElement) {
  const { t } = ctx
  const { inputs } = fields
  const email = inputs.email.value.trim()
  if (fields.show(fields.check({ name: 'x', email, body: 'x' }, ['email']))) return
  try {
    const nonce = randomId()
    await ctx.api.readers.verify({ email, articleUrl: ctx.articleUrl, articleId: ctx.articleId, lang: ctx.lang, nonce })
    store.write(VERIFY_KEY, { name: inputs.name.value.trim() || undefined, nonce })
    say(status, t.verifySent(email))
  } catch (error) {
    say(status, error instanceof ApiError && error.status === 429 ? t.tooFast(error.retryAfter || 60) : t.serverError, true)
  }
}

/** Says why the server did not take the comment: beside the field at fault, or in the form's status. */
function refused(ctx: ComposeContext, fields: FieldSet, status: HTMLElement, e: ApiError) {
  const { t } = ctx
  if (e.code === 'invalid_reader_token') {
    readerSession.set(null)
    ctx.signedChange(t.sessionEnded)
  } else if (e.code === 'rejected_content') fields.show({ body: e.message })
  else if (e.status === 422 && Object.keys(e.fields).length) {
    const found: Errors = {}
    for (const name of Object.keys(e.fields)) {
      if (fields.names.includes(name as Field)) found[name as Field] = name === 'email' ? t.badEmail : e.fields[name]
    }
    if (!fields.show(found)) say(status, t.fixFields, true)
  } else {
    // The server words its refusals in the article's language; what it cannot say is said here.
    say(
      status,
      e.status === 429 ? t.tooFast(e.retryAfter || 60) : e.code === 'offline' ? t.offline : e.status === 403 ? e.message : t.serverError,
      true,
    )
    status.focus()
  }
}

/** The comment form; with `parent` it is the inline reply form of one comment. */
export function composeForm(ctx: ComposeContext, parent?: Comment, onCancel?: () => void): HTMLFormElement {
  const { t } = ctx
  const session = readerSession.get()
  const fields = fieldSet(t, session ? ['body'] : ['name', 'email', 'body'])
  const { inputs } = fields
  const counter = h('span', { class: 'cnt' })
  const body = h('textarea', { required: true, rows: 5, dir: 'auto' })
  const updateCounter = () => (counter.textContent = t.chars(length(body.value), LIMITS.body))
  body.addEventListener('input', updateCounter)
  updateCounter()
  const remember = h('input', { type: 'checkbox', checked: !!identity.get() })
  const notify = h('input', { type: 'checkbox' })
  const status = h('p', { class: 'msg', role: 'status' })
  const submit = h('button', { type: 'submit', class: 'p' }, parent ? t.reply : t.post)
  const honeypot = h('input', { name: 'website', tabindex: -1, autocomplete: 'off' })
  const form = h(
    'form',
    { novalidate: true, 'aria-label': parent ? t.replyTo(parent.authorName) : t.post },
    identityFields(ctx, fields, status, parent),
    fields.row('body', body, counter),
    h('div', { class: 'hp', 'aria-hidden': 'true' }, h('label', {}, 'Website', honeypot)),
    session ? h('label', { class: 'chk' }, notify, t.notify) : h('label', { class: 'chk' }, remember, t.remember),
    status,
    h('div', { class: 'bar' }, submit, onCancel && button({ onclick: onCancel }, t.cancel)),
  )

  // One key per attempt: retrying the same text after a failure reuses it, so the server stores one comment.
  let attempt: { key: string; snapshot: string } | null = null
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    if (submit.disabled) return
    const values = { name: inputs.name?.value.trim() ?? '', email: inputs.email?.value.trim() ?? '', body: body.value.trim() }
    if (fields.show(fields.check(values))) return say(status, t.fixFields, true)
    const snapshot = JSON.stringify([values, parent?.id])
    if (attempt?.snapshot !== snapshot) attempt = { key: randomId(), snapshot }
    submit.disabled = true
    submit.textContent = t.posting
    let settle = () => {}
    posting.done = new Promise<void>((resolve) => (settle = resolve))
    say(status, '')
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
      refused(ctx, fields, status, error instanceof ApiError ? error : new ApiError(500, '', ''))
    } finally {
      settle()
      submit.disabled = false
      submit.textContent = parent ? t.reply : t.post
    }
  })
  status.tabIndex = -1
  return form
}
