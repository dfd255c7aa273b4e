import { type DomNode, type FormatCallback, type HtmlToTextOptions, compile } from 'html-to-text'
import { escapeMarkup } from '../platform/lib/markup.js'
import { httpUrl } from '../platform/lib/urls.js'

/** The text of an element's children, as a reader sees it: for comparing a link's label with its address. */
function textOf(nodes: DomNode[] | undefined, depth = 0): string {
  if (!nodes || depth > 20) return ''
  return nodes.map((n) => (n.type === 'text' ? (n.data ?? '') : textOf(n.children, depth + 1))).join('')
}

/** The address a reader could open, kept as written when it is a usable http(s) one. */
function openableAddress(raw: string | undefined): string | null {
  const trimmed = raw?.trim() ?? ''
  const normalised = httpUrl(trimmed)
  // An address with spaces inside would break in plain text: its normalised form keeps it one word.
  return normalised === null ? null : /\s/.test(trimmed) ? normalised : trimmed
}

const bare = (address: string) =>
  address
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/$/, '')

/**
 * A label that is the address itself, or the shortened copy Disqus and WordPress print
 * ("https://example.org/a/..."): the address alone says it, and says it whole.
 */
function labelIsTheAddress(label: string, href: string): boolean {
  if (label === '') return true
  const shortened = label.replace(/(\.\.\.|…)$/, '')
  if (shortened !== label) return shortened !== '' && bare(href).startsWith(bare(shortened))
  return bare(label) === bare(href)
}

/** A link keeps its address: "Gravatar (https://gravatar.com)". Other schemes keep only their words. */
const formatLink: FormatCallback = (elem, walk, builder) => {
  const href = openableAddress(elem.attribs?.href)
  if (href === null) return walk(elem.children ?? [], builder)
  const label = textOf(elem.children).replace(/\s+/g, ' ').trim()
  if (labelIsTheAddress(label, href)) return builder.addInline(href, { noWordTransform: true })
  walk(elem.children ?? [], builder)
  builder.addInline(` (${href})`, { noWordTransform: true })
}

/** An image keeps its description and, when it has one a reader can open, its address. */
const formatImage: FormatCallback = (elem, _walk, builder) => {
  const alt = elem.attribs?.alt?.replace(/\s+/g, ' ').trim() ?? ''
  const src = openableAddress(elem.attribs?.src)
  const text = [alt, src === null ? '' : alt === '' ? src : `(${src})`].filter((part) => part !== '').join(' ')
  if (text !== '') builder.addInline(text, { noWordTransform: true })
}

/** Elements that stand on lines of their own in a browser, so their words never run into the next ones. */
const BLOCKS = [
  'address',
  'article',
  'aside',
  'dd',
  'details',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'header',
  'main',
  'nav',
  'section',
  'summary',
  'tr',
  'caption',
]

const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  // Bounds on work and depth whatever a file holds: a crafted message costs time linear in its size.
  limits: { maxInputLength: 1_000_000, maxDepth: 100, ellipsis: '…' },
  formatters: { commentLink: formatLink, commentImage: formatImage },
  selectors: [
    { selector: 'a', format: 'commentLink' },
    { selector: 'img', format: 'commentImage' },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, format: 'paragraph' })),
    ...BLOCKS.map((selector) => ({ selector, format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } })),
    // A definition list stands apart from what is around it, as a paragraph does; its terms are lines.
    { selector: 'dl', format: 'paragraph' },
    { selector: 'ul', options: { itemPrefix: '- ' } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false, maxColumnWidth: 200 } },
  ],
}

const fromHtml = compile(OPTIONS)
// Markdown as readers typed it, with HTML in it here and there: its own line breaks are the writer's.
const fromMarkup = compile({ ...OPTIONS, preserveNewlines: true })

/** Trailing spaces off each line and at most one blank line in a row; linear in the text's length. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/**
 * Disqus, WordPress and Remark42 store comments as HTML; this app stores the plain text as written and
 * the widget never renders HTML. html-to-text reads the HTML as a browser would: paragraphs, list items,
 * definitions and other blocks become lines, entities are decoded, and a link keeps its address.
 */
export function htmlToText(html: string): string {
  const text = html.replace(/\r\n?/g, '\n')
  return tidy(hasMarkup(text) ? fromHtml(text) : collapse(text))
}

/** Isso and Commento keep what the reader typed (Markdown, with the odd HTML tag): its newlines stay. */
export function markupToText(markup: string): string {
  const text = markup.replace(/\r\n?/g, '\n')
  return tidy(hasMarkup(text) ? fromMarkup(text) : text.split('\n').map(collapse).join('\n'))
}

// Most comments hold no tag and no entity: they skip the parser, which costs ten times as much, and come
// out as it would give them (whitespace runs made one space).
const hasMarkup = (text: string) => text.includes('<') || text.includes('&')
const collapse = (text: string) => text.replace(/[ \t\n\f\u200b]+/g, ' ').trim()

/** The other way, for the Disqus export: text as Disqus expects a message, in paragraphs. */
export function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeMarkup(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('')
}

/** A page's address as an article id: the embed names an article by its URL without the fragment. */
export function articleIdFromUrl(url: string): string {
  const hash = url.indexOf('#')
  return (hash >= 0 ? url.slice(0, hash) : url).trim()
}

/** The article's address as stored and served: only an http(s) one; a javascript: or data: "link" is dropped. */
export function articleUrl(url: string | null | undefined): string | null {
  const trimmed = url?.trim() ?? ''
  return trimmed !== '' && httpUrl(trimmed) !== null ? trimmed : null
}

/** Loose on purpose: an address that is clearly not one is dropped, and the comment kept without it. */
export function plausibleEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim() ?? ''
  return /^[^\s@]+@[^\s@]+$/.test(trimmed) && trimmed.length <= 320 ? trimmed : null
}
