// Every node is built with createElement and textContent: reader text can never become markup.

type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>
type Child = Node | string | null | undefined | false

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue
    if (typeof value === 'function') el.addEventListener(key.slice(2), value)
    else if (key === 'text') el.textContent = String(value)
    else el.setAttribute(key, value === true ? '' : String(value))
  }
  append(el, ...children)
  return el
}

/** A button that acts where it is: it never submits the form it sits in. */
export const button = (attrs: Attrs, ...children: Child[]) => h('button', { type: 'button', ...attrs }, ...children)

export function append(parent: Node, ...children: Child[]) {
  for (const child of children) if (child) parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child)
}

let counter = 0
/** Ids unique inside one shadow root, for label/aria wiring. */
export const uid = (prefix: string) => `nc-${prefix}-${++counter}`

/**
 * A comment's text into `el`: plain text, with the addresses the server found as links that pass no
 * reputation (`nofollow ugc`) and no window handle (`noopener`). Built from nodes, never from HTML.
 */
export function bodyText(el: HTMLElement, body: string, links: { start: number; end: number; href: string }[] = []) {
  let at = 0
  el.replaceChildren()
  for (const link of links) {
    if (link.start < at || !/^https?:\/\//i.test(link.href)) continue
    append(
      el,
      body.slice(at, link.start),
      h('a', { href: link.href, rel: 'nofollow ugc noopener', target: '_blank', text: body.slice(link.start, link.end) }),
    )
    at = link.end
  }
  append(el, body.slice(at))
}

/** 28 or more random letters and digits: retry keys, the browser's own id. */
export const randomId = () => [...crypto.getRandomValues(new Uint32Array(4))].map((n) => (n + 2 ** 32).toString(36)).join('')
