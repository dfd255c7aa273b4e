import { button, h } from './dom.js'
import type { Messages } from './i18n/index.js'
import { CSS } from './styles.js'

// The widget's frame on the page: a shadow root holding the heading (with the count), the form's place,
// the tabs and the sort, the live region, the banner of new threads, the list and its "more" button.

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

export function createShell(container: HTMLElement, t: Messages, lang: string, articleId: string) {
  const host = document.createElement('nc-comments')
  const shadow = host.attachShadow({ mode: 'open' })
  const theme = container.dataset.theme ?? (pageIsDark() ? 'dark' : 'light')
  const root = h('div', { class: `nc ${theme}`, lang, dir: t.dir })
  shadow.append(h('style', { text: CSS }), root)
  // The page's own form, and any comments the server rendered beside it, are the no-JS fallback: the widget takes their place.
  for (const el of container.querySelectorAll('form,[data-nc-fallback]')) el.remove()
  container.append(host)

  const heading = h('h2', { text: t.heading })
  const live = h('p', { class: 'msg', role: 'status' })
  const list = h('ol', { 'aria-label': t.heading })
  const more = button({ class: 'more', hidden: true }, t.loadMore)
  // New threads are announced, not pushed under the reader's eyes: they show when asked for.
  const fresh = button({ class: 'more', hidden: true })
  let freshCount = 0
  const sort = h('select', {}, ...(['newest', 'oldest', 'respected'] as const).map((value) => h('option', { value, text: t[value] })))
  const composeSlot = h('div')
  // Past the ~120 stops of a long page of comments: to "Show more comments", else to the form.
  const skip = button(
    { class: 'skip', onclick: () => (more.hidden ? composeSlot.querySelector<HTMLElement>('[name],button') : more)?.focus() },
    t.skip,
  )
  const narrow = innerWidth < 600
  // "All" and "Picks", offered once an editor has picked something.
  const tabs = h('div', { role: 'group', 'aria-label': t.picks, hidden: true })
  const parts = [
    heading,
    composeSlot,
    h('div', { class: 'bar' }, tabs, h('label', { class: 'chk' }, t.sortLabel, sort)),
    live,
    // Its own live region: the button says it, no grey box repeats it.
    h('div', { role: 'status' }, fresh),
    skip,
    list,
    more,
  ]
  // A phone shows the comments first, the form after them.
  if (narrow) parts.push(parts.splice(1, 1)[0]!)
  root.append(...parts)

  const shell = {
    host,
    shadow,
    list,
    more,
    fresh,
    sort,
    tabs,
    composeSlot,
    narrow,
    announce: (text: string) => {
      live.textContent = text
    },
    /** The article's comment count, as last shown. */
    count: 0,
    setCount(n: number) {
      shell.count = n
      heading.textContent = n ? t.count(n) : t.heading
      for (const el of document.querySelectorAll<HTMLElement>(`[data-comment-count="${globalThis.CSS.escape(articleId)}"]`))
        el.textContent = t.count(n)
    },
    /** `n` more new threads (live), or exactly `n` (a check against the server's count). */
    offerFresh(n: number, exactly = false) {
      freshCount = exactly ? n : freshCount + n
      if (freshCount < 1) return
      fresh.textContent = t.fresh(freshCount)
      fresh.hidden = false
    },
    /** A new first page: whatever the banner offered is in it. */
    clear() {
      freshCount = 0
      fresh.hidden = true
      list.replaceChildren()
    },
  }
  return shell
}

export type Shell = ReturnType<typeof createShell>

/** The "All" and "Picks" tabs: hidden until an editor picks something, then each button shows its view. */
export function showTabs(tabs: HTMLElement, t: Messages, picks: number, view: string, choose: (view: string) => void) {
  tabs.hidden = !picks && view === 'all'
  tabs.replaceChildren(
    ...[
      ['all', t.heading],
      ['picks', `${t.picks} (${picks})`],
    ].map(([name, label]) => button({ 'aria-pressed': String(view === name), onclick: () => choose(name!) }, label)),
  )
}
