import { type Api, api as createApi } from './api.js'
import { composeForm } from './compose.js'
import { bodyText, h } from './dom.js'
import { pickLanguage } from './i18n/index.js'
import { pending } from './store.js'
import { readerSession, signInFromPage } from './reader.js'
import { type LiveData, followLive } from './live.js'
import { CSS } from './styles.js'
import type { OwnComment, Page } from './types.js'
import { commentItem, type ThreadContext, threadItem } from './thread.js'

export interface WidgetOptions {
  origin: string
}

/** Which article this container is about: its data attribute, else the page's canonical URL, else the page URL. */
export function articleIdentity(el: HTMLElement) {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel=canonical]')?.href
  const url = el.dataset.articleUrl ?? canonical ?? location.href.split(/[?#]/)[0]!
  return { id: el.dataset.articleId ?? url, url, title: el.dataset.articleTitle ?? document.title ?? null }
}

/** Dark when the page paints a dark background, or declares a dark colour scheme the reader prefers. */
function pageIsDark(): boolean {
  for (const el of [document.body, document.documentElement]) {
    const [r, g, b, a] = (getComputedStyle(el).backgroundColor.match(/[\d.]+/g) ?? []).map(Number)
    if (r !== undefined && (a === undefined || a > 0)) return 0.2126 * r + 0.7152 * g! + 0.0722 * b! < 110
  }
  // No background anywhere: the canvas is white unless the page opts into dark.
  const scheme = getComputedStyle(document.documentElement).colorScheme
  return /dark/.test(scheme) && (!/light/.test(scheme) || matchMedia('(prefers-color-scheme: dark)').matches)
}

export function mountWidget(container: HTMLElement, { origin }: WidgetOptions) {
  const article = articleIdentity(container)
  const { lang, t } = pickLanguage(container.dataset.lang, container.closest<HTMLElement>('[lang]')?.lang, document.documentElement.lang)
  const api: Api = createApi(origin, readerSession.token)
  const signingIn = signInFromPage(api, container, lang)
  const host = document.createElement('nc-comments')
  const shadow = host.attachShadow({ mode: 'open' })
  const theme = container.dataset.theme ?? (pageIsDark() ? 'dark' : 'light')
  const root = h('div', { class: `nc ${theme}`, lang, dir: t.dir })
  shadow.append(h('style', { text: CSS }), root)
  // The page's own form is the no-JS fallback; the widget takes its place.
  for (const form of container.querySelectorAll('form')) form.remove()
  container.append(host)

  const heading = h('h2', { text: t.heading })
  const live = h('p', { class: 'msg', role: 'status', 'aria-live': 'polite' })
  const list = h('ol', { 'aria-label': t.heading })
  const more = h('button', { type: 'button', class: 'more', hidden: true }, t.loadMore)
  // New threads are announced, not pushed under the reader's eyes: they show when asked for.
  const fresh = h('button', { type: 'button', class: 'more', hidden: true })
  let freshCount = 0
  const sort = h(
    'select',
    {},
    ...[
      ['newest', t.newest],
      ['oldest', t.oldest],
      ['respected', t.respected],
    ].map(([value, text]) => h('option', { value, text })),
  )
  const composeSlot = h('div')
  // "All" and "Picks", offered once an editor has picked something.
  let view = 'all'
  const tabs = h('div', { role: 'group', 'aria-label': t.picks, hidden: true })
  root.append(
    heading,
    composeSlot,
    h('div', { class: 'bar' }, tabs, h('label', { class: 'chk' }, t.sortLabel, sort)),
    live,
    fresh,
    list,
    more,
  )

  const announce = (text: string) => {
    live.textContent = text
  }
  let cursor: string | null = null
  let count = 0
  const setCount = (n: number) => {
    count = n
    heading.textContent = n ? t.count(n) : t.heading
    for (const el of document.querySelectorAll<HTMLElement>(`[data-comment-count="${globalThis.CSS.escape(article.id)}"]`))
      el.textContent = t.count(n)
  }
  /** `n` more new threads (live), or exactly `n` (a check against the server's count). */
  const offerFresh = (n: number, exactly = false) => {
    freshCount = exactly ? n : freshCount + n
    if (freshCount < 1) return
    fresh.textContent = t.fresh(freshCount)
    fresh.hidden = false
    announce(t.fresh(freshCount))
  }

  // The server takes each token once: the next one is fetched as soon as one is used.
  let nextFormToken = api.formToken(article.id).catch(() => undefined)

  const ctx: ThreadContext = {
    api,
    t,
    lang,
    open: true,
    articleId: article.id,
    articleUrl: article.url,
    articleTitle: article.title,
    takeFormToken: () => {
      const token = nextFormToken
      nextFormToken = api.formToken(article.id).catch(() => undefined)
      return token
    },
    announce,
    signedChange: (message) => {
      if (ctx.open) composeSlot.replaceChildren(composeForm(ctx))
      announce(message)
    },
    onPosted: (comment, held) => {
      if (held !== false) pending.add(article.id, comment)
      else setCount(count + 1)
      showOwn(comment, held !== false)
      announce(held === false ? t.published : held || t.awaitingBadge)
    },
  }

  /** Places a comment the reader just wrote (or wrote before a reload) where it belongs, and focuses it. */
  const showOwn = (comment: OwnComment, held: boolean, focus = true) => {
    const item = held ? commentItem(ctx, comment, { mine: true }) : threadItem(ctx, api, comment)
    const thread = comment.parentId
      ? (shadow.getElementById(`nc-${comment.parentId}`)?.closest('ol')?.closest('li') ?? shadow.getElementById(`nc-${comment.parentId}`))
      : null
    // A reply belongs in its thread: while that thread is not on this page, neither is the reply.
    if (comment.parentId && !thread) return
    const target = thread?.querySelector(':scope > ol') ?? list
    list.querySelector(':scope > li.empty')?.remove()
    if (thread) target.append(item)
    else target.prepend(item)
    if (focus) item.focus()
  }

  const render = (page: Page, append: boolean) => {
    if (!append) {
      freshCount = 0
      fresh.hidden = true
      list.replaceChildren()
      // The form is built once (and again only if the thread opens or closes), so re-sorting keeps what the reader typed.
      if (!composeSlot.firstChild || ctx.open !== page.article.commentsOpen) {
        ctx.open = page.article.commentsOpen
        composeSlot.replaceChildren(ctx.open ? composeForm(ctx) : h('p', { class: 'msg', text: t.closed }))
      }
      setCount(page.article.commentCount)
      tabs.hidden = !page.article.picks && view === 'all'
      tabs.replaceChildren(
        ...[
          ['all', t.heading],
          ['picks', `${t.picks} (${page.article.picks})`],
        ].map(([name, label]) =>
          h(
            'button',
            {
              type: 'button',
              'aria-pressed': String(view === name),
              onclick: () => {
                view = name!
                void load().then(() => tabs.querySelector<HTMLElement>('[aria-pressed=true]')?.focus())
              },
            },
            label,
          ),
        ),
      )
    }
    const items = page.comments.map((c) => threadItem(ctx, api, c))
    list.append(...items)
    if (!append && items.length === 0) list.append(h('li', { class: 'c empty', text: t.empty }))
    cursor = page.nextCursor
    more.hidden = !cursor
    return items
  }

  const turnedDown = (c: OwnComment, reason?: string) =>
    announce(t.notPublished(c.body.length > 60 ? `${c.body.slice(0, 60)}…` : c.body, (t.reasons as Record<string, string>)[reason ?? '']))

  const restorePending = async () => {
    const stored = pending.list(article.id)
    // Already in the public list: approved since the last visit, nothing left to wait for.
    const waiting = stored.filter((c) => !shadow.getElementById(`nc-${c.id}`))
    if (waiting.length < stored.length) pending.keep(article.id, new Set(waiting.map((c) => c.id)))
    if (!waiting.length) return
    for (const c of waiting) showOwn(c, true, false)
    const answer = await api.statuses(waiting).catch(() => null)
    if (!answer) return
    const { statuses, reasons } = answer
    pending.keep(article.id, new Set(waiting.filter((c) => statuses[c.id] === 'pending').map((c) => c.id)))
    for (const c of waiting) {
      if (statuses[c.id] === 'pending') continue
      shadow.getElementById(`nc-${c.id}`)?.remove()
      // No answer means no valid receipt (kept from an older widget): let it go quietly.
      if (statuses[c.id] === 'rejected') turnedDown(c, reasons[c.id])
    }
  }

  const load = async () => {
    announce(t.loading)
    try {
      const [signedIn, page] = await Promise.all([signingIn, api.list(article.id, sort.value, null, view)])
      render(page, false)
      follow(page.article.live)
      announce(signedIn === 'verified' ? t.verified : signedIn === 'failed' ? t.verifyFailed : '')
      await restorePending()
    } catch {
      announce(t.loadFailed)
      list.replaceChildren(h('li', { class: 'c' }, h('button', { type: 'button', onclick: load }, t.retry)))
    }
    host.dataset.state = 'ready'
  }
  let following = false
  const follow = (transport: Page['article']['live']) => {
    if (following) return
    following = true
    followLive(host, origin, article.id, transport, {
      message: onLive,
      // No stream here: a cheap revalidation (304 while nothing changed) says whether there is news.
      poll: () =>
        void api.list(article.id, sort.value).then(
          (page) => offerFresh(page.article.commentCount - count, true),
          () => undefined,
        ),
    })
  }

  sort.addEventListener('change', load)
  fresh.addEventListener('click', load)

  /** What the live stream says, applied where the reader is not reading: counts, replies in open threads, their own comments. */
  const onLive = (event: string, data: LiveData) => {
    if (typeof data.count === 'number') setCount(data.count)
    const comment = data.comment
    const id = comment?.id ?? data.id ?? ''
    const shown = shadow.getElementById(`nc-${id}`)
    const waiting = pending.list(article.id)
    const mine = waiting.some((c) => c.id === id)
    if (mine) pending.keep(article.id, new Set(waiting.filter((c) => c.id !== id).map((c) => c.id)))
    if (event === 'hidden') {
      shown?.remove()
      // Which comment, and why: the stream says neither, the writer's receipt asks for both.
      const own = waiting.find((c) => c.id === id)
      // Only a refusal is news: the writer's own deletion (its answer may come after this notice) is not.
      if (own)
        void api.statuses([own]).then(
          (a) => a.statuses[id] === 'rejected' && turnedDown(own, a.reasons[id]),
          () => undefined,
        )
      return
    }
    if (!comment) return
    if (event === 'edited') {
      const body = shown?.querySelector<HTMLElement>('.body')
      if (body && comment.deleted) {
        body.className = 'body gone'
        body.textContent = t.deletedBody
      } else if (body) bodyText(body, comment.body, comment.links)
    } else if (mine) {
      // The reader's own comment was just approved: it turns published where it stands.
      shown?.remove()
      showOwn(comment, false, false)
      announce(t.published)
    } else if (!shown) {
      if (comment.parentId && shadow.getElementById(`nc-${comment.parentId}`)) showOwn(comment, false, false)
      else offerFresh(1)
    }
  }
  more.addEventListener('click', async () => {
    more.disabled = true
    try {
      const [first] = render(await api.list(article.id, sort.value, cursor, view), true)
      first?.focus()
      await restorePending()
    } catch {
      announce(t.loadFailed)
    }
    more.disabled = false
  })
  return load()
}
