const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', mdash: '—', ndash: '–', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', copy: '©',
}

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole
  })
}

/**
 * Disqus and WordPress store comments as HTML; this app stores the plain text as written and the widget
 * never renders HTML. Paragraphs and line breaks become newlines; a link keeps its address when its text
 * was only a shortened copy of it ("http://example.com/a/..."), so nothing a reader pointed to is lost.
 */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<a\s[^>]*href\s*=\s*["']([^"']*)["'][^>]*>([\s\S]*?)<\/a>/gi, (_m, href: string, inner: string) => {
      const label = inner.replace(/<[^>]*>/g, '').trim()
      const shortened = label.replace(/(\.\.\.|…)$/, '')
      return label === '' || (shortened !== '' && decodeEntities(href).startsWith(decodeEntities(shortened))) ? href : inner
    })
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')
    .replace(/<\/?(p|div|blockquote|li|ul|ol|h[1-6])(\s[^>]*)?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
  return decodeEntities(text)
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** The other way, for the Disqus export: text as Disqus expects a message, in paragraphs. */
export function textToHtml(text: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escape(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('')
}

/** A page's address as an article id: the embed names an article by its URL without the fragment. */
export function articleIdFromUrl(url: string): string {
  const hash = url.indexOf('#')
  return (hash >= 0 ? url.slice(0, hash) : url).trim()
}

/** Loose on purpose: an address that is clearly not one is dropped, and the comment kept without it. */
export function plausibleEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim() ?? ''
  return /^[^\s@]+@[^\s@]+$/.test(trimmed) && trimmed.length <= 320 ? trimmed : null
}
