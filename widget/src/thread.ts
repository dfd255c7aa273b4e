import { type Api, ApiError } from './api.js'
import { readerSession } from './reader.js'
import { pending, store } from './store.js'
import { composeForm, type ComposeContext } from './compose.js'
import { bodyText, button, h, randomId } from './dom.js'
import type { Messages } from './i18n/index.js'
import type { Comment } from './types.js'

export interface ThreadContext extends ComposeContext {
  open: boolean
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31536e3],
  ['month', 2592e3],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
]

export function relativeTime(lang: string, iso: string, now = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000
  const format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })
  for (const [unit, size] of UNITS) if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit)
  return format.format(0, 'second')
}

/** One comment: text only, `dir="auto"` so a Arabic name in an English thread (and the reverse) reads right. */
export function commentItem(
  ctx: ThreadContext,
  comment: Comment,
  options: { mine?: boolean; parentName?: string | undefined } = {},
): HTMLLIElement {
  const { t } = ctx
  const date = new Date(comment.createdAt)
  const actions = h('div', { class: 'meta' })
  const body = h('p', { class: comment.deleted ? 'body gone' : 'body', dir: 'auto', text: t.deletedBody })
  if (!comment.deleted) bodyText(body, comment.body, comment.links)
  const item = h(
    'li',
    { class: options.mine ? 'c mine' : 'c', id: `nc-${comment.id}`, tabindex: -1 },
    h(
      'div',
      { class: 'meta' },
      // Named by the buttons below (aria-describedby): "Reply", "Report" and "Respect" say whose comment.
      h('span', { class: 'who', dir: 'auto', id: `w${comment.id}`, text: comment.authorName }),
      options.parentName && h('span', { dir: 'auto', text: t.inReplyTo(options.parentName) }),
      h('time', { datetime: comment.createdAt, title: date.toLocaleString(ctx.lang), text: relativeTime(ctx.lang, comment.createdAt) }),
      comment.verified && h('span', { class: 'tag ok', text: `✓ ${t.verifiedBadge}` }),
      h('span', { class: 'ed', hidden: !comment.editedAt, text: t.edited }),
      comment.featured && h('span', { class: 'tag', text: t.featured }),
      options.mine && h('span', { class: 'tag wait', text: t.awaitingBadge }),
    ),
    body,
    actions,
  )
  const own = readerSession.owns(comment.id)
  if (own && !comment.deleted) ownActions(ctx, item, actions, comment, own.at)
  if (options.mine || comment.deleted) return item
  const by = { class: 'link', 'aria-expanded': 'false', 'aria-describedby': `w${comment.id}` }
  if (ctx.open)
    actions.append(button({ ...by, onclick: (e) => toggleReply(ctx, item, comment, e.currentTarget as HTMLButtonElement) }, t.reply))
  actions.append(button({ ...by, onclick: (e) => toggleReport(ctx, actions, comment, e.currentTarget as HTMLButtonElement) }, t.report))
  // Nobody respects their own words: not offered on the reader's own comments.
  if (!own && !pending.list(ctx.articleId).some((c) => c.id === comment.id)) actions.append(respectButton(ctx, comment, by))
  return item
}

/** The writer's own comment: edit within ten minutes of posting, delete at any time. */
function ownActions(ctx: ThreadContext, item: HTMLLIElement, actions: HTMLElement, comment: Comment, postedAt: number) {
  const { t } = ctx
  const body = item.querySelector<HTMLElement>('.body')!
  if (Date.now() - postedAt < 600_000) {
    actions.append(
      button(
        {
          class: 'link',
          onclick: () => {
            const text = h('textarea', { dir: 'auto', 'aria-label': t.edit, rows: 4 })
            text.value = body.textContent ?? ''
            const note = h('p', { class: 'msg bad', role: 'status' })
            const form = h(
              'form',
              { 'aria-label': t.edit },
              text,
              note,
              h(
                'div',
                { class: 'bar' },
                h('button', { type: 'submit', class: 'p' }, t.save),
                button({ onclick: () => form.replaceWith(body) }, t.cancel),
              ),
            )
            form.addEventListener('keydown', (e) => e.key === 'Escape' && form.replaceWith(body))
            form.addEventListener('submit', async (e) => {
              e.preventDefault()
              try {
                const { data } = await ctx.api.edit(comment.id, text.value.trim())
                bodyText(body, data.comment.body, data.comment.links)
                item.querySelector<HTMLElement>('.ed')!.hidden = false
                form.replaceWith(body)
                item.focus()
              } catch (error) {
                note.textContent =
                  error instanceof ApiError && (error.code === 'rejected_content' || error.status === 403) ? error.message : t.serverError
              }
            })
            body.replaceWith(form)
            text.focus()
          },
        },
        t.edit,
      ),
    )
  }
  actions.append(
    button(
      {
        class: 'link',
        onclick: async () => {
          if (!confirm(t.confirmRemove)) return
          // Gone by the writer's own hand: nothing left to wait for, nor to announce as turned down when the
          // live notice of the deletion outruns this answer.
          const waiting = pending.list(ctx.articleId)
          pending.keep(ctx.articleId, (c) => c.id !== comment.id)
          try {
            const { data } = await ctx.api.remove(comment.id)
            if (data.tombstone) {
              // Others replied: the thread stays, under an empty comment.
              body.className = 'body gone'
              body.textContent = t.deletedBody
              actions.replaceChildren()
            } else item.remove()
            ctx.announce(t.removed)
          } catch {
            const own = waiting.find((c) => c.id === comment.id)
            if (own) pending.add(ctx.articleId, own)
            ctx.announce(t.serverError)
          }
        },
      },
      t.remove,
    ),
  )
}

/** One "respect" per reader: pressed again, it is taken back. The count is the server's. */
function respectButton(ctx: ThreadContext, comment: Comment, by: Record<string, string>) {
  const given = new Set(store.read<string[]>('nc:respected', []))
  const pressed = button({ ...by, 'aria-expanded': null, 'aria-pressed': String(given.has(comment.id)) })
  const show = (n: number) => (pressed.textContent = `${ctx.t.respect} · ${n}`)
  show(comment.respect ?? 0)
  pressed.addEventListener('click', async () => {
    const respected = pressed.getAttribute('aria-pressed') !== 'true'
    try {
      const { data } = await ctx.api.respect(comment.id, respected, browserId())
      const ids = new Set(store.read<string[]>('nc:respected', []))
      respected ? ids.add(comment.id) : ids.delete(comment.id)
      store.write('nc:respected', [...ids].slice(-500))
      pressed.setAttribute('aria-pressed', String(respected))
      show(data.respect)
    } catch {
      ctx.announce(ctx.t.serverError)
    }
  })
  return pressed
}

/**
 * A random id this browser keeps: with the address, it is who a guest's respect belongs to. Kept for the
 * page too, for when storage is refused; getRandomValues, as randomUUID needs an https page.
 */
let browser: string | null = null
function browserId() {
  browser ??= store.read<string | null>('nc:browser', null) ?? randomId()
  store.write('nc:browser', browser)
  return browser
}

function toggleReply(ctx: ThreadContext, item: HTMLLIElement, comment: Comment, button: HTMLButtonElement) {
  const existing = item.querySelector(':scope > form')
  if (existing) {
    existing.remove()
    button.setAttribute('aria-expanded', 'false')
    return button.focus()
  }
  const close = () => toggleReply(ctx, item, comment, button)
  const form = composeForm(
    {
      ...ctx,
      onPosted: (posted, held) => {
        close()
        ctx.onPosted(posted, held)
      },
    },
    comment,
    close,
  )
  form.addEventListener('keydown', (e) => e.key === 'Escape' && close())
  item.insertBefore(form, item.querySelector(':scope > ol'))
  button.setAttribute('aria-expanded', 'true')
  // The first field still to fill (the comment, at least, is empty).
  form.querySelector<HTMLElement>('[required]:invalid')?.focus()
}

function toggleReport(ctx: ThreadContext, actions: HTMLElement, comment: Comment, button: HTMLButtonElement) {
  const { t } = ctx
  const existing = actions.querySelector('form')
  if (existing) {
    existing.remove()
    button.setAttribute('aria-expanded', 'false')
    return
  }
  const reason = h('select', { name: 'reason' }, ...Object.entries(t.reasons).map(([value, label]) => h('option', { value, text: label })))
  const note = h('p', { class: 'msg', role: 'status' })
  const send = h('button', { type: 'submit' }, t.reportSend)
  const form = h('form', { 'aria-label': t.report }, h('label', {}, t.reportTitle, reason), h('div', { class: 'bar' }, send), note)
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    send.disabled = true
    try {
      await ctx.api.report(comment.id, reason.value)
      // Said once, where the reader is.
      form.replaceChildren(h('p', { class: 'msg', role: 'status', text: t.reportSent }))
      button.disabled = true
    } catch {
      note.textContent = t.serverError
      send.disabled = false
    }
  })
  actions.append(form)
  button.setAttribute('aria-expanded', 'true')
  reason.focus()
}

/** A thread: the comment, its replies (flat, oldest first) and, when the server has more, a button for them. */
export function threadItem(ctx: ThreadContext, api: Api, comment: Comment): HTMLLIElement {
  const item = commentItem(ctx, comment)
  const replies = h('ol')
  const names = new Map([[comment.id, comment.authorName]])
  const add = (list: Comment[]) => {
    for (const reply of list) {
      names.set(reply.id, reply.authorName)
      replies.append(commentItem(ctx, reply, { parentName: reply.parentId !== comment.id ? names.get(reply.parentId ?? '') : undefined }))
    }
  }
  add(comment.replies ?? [])
  item.append(replies)
  // The list answers up to 50 replies inline; a full batch means the thread may go on.
  if ((comment.replies?.length ?? 0) >= 50) {
    // Replies are comments too: the list's own "Show more comments".
    const more = button({ class: 'link more' }, ctx.t.loadMore)
    let cursor: string | null = comment.replies!.at(-1)!.id
    more.addEventListener('click', async () => {
      if (!cursor) return
      const page = await api.replies(comment.id, cursor)
      add(page.replies)
      cursor = page.nextCursor
      if (!cursor) more.remove()
    })
    item.append(more)
  }
  return item
}

export type { Messages }
