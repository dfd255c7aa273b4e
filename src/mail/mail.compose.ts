// A mail's draft (subject, body and footer as blocks of lines) made into the message sent: plain text and
// simple HTML, in the reader's direction. The HTML is an `html` template, which escapes every value it
// is given; nothing here waits, so its answer is already a string. Web-standard APIs only: the same code
// runs on Node and on Workers.
import { html } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import { type Language, direction } from '../platform/i18n/i18n.js'
import { type Line, READER_MAIL } from '../platform/i18n/i18n.mail.js'
import { httpUrl } from '../platform/lib/urls.js'
import type { MailMessage } from '../platform/mail/mail.transport.js'

export type Block =
  | Line
  | { quote: string }
  | { button: string; url: string }
  | { link: string; url: string }
  | { rows: [string, string][] }

export interface Draft {
  to: string
  lang: Language
  subject: Line
  body: Block[]
  footer: Block[]
  headers: Record<string, string>
}

/** Flattens whitespace and shortens to at most `max` code points, never splitting a surrogate pair. */
export function excerpt(text: string, max = 280): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  const chars = Array.from(flat)
  if (chars.length <= max) return flat
  const cut = chars.slice(0, max - 1).join('')
  // End on a whole word when one ends near the cut; a long unbroken run is cut where it stands.
  const space = cut.lastIndexOf(' ')
  return `${(space > cut.length * 0.8 ? cut.slice(0, space) : cut).trimEnd()}…`
}

export function compose({ to, lang, subject, body, footer, headers }: Draft): MailMessage {
  // Collapsing whitespace also removes CR/LF, which would otherwise let a value inject headers.
  const dir = direction(lang)
  const subjectText = excerpt(lineText(subject, dir), 150)
  const quotes = READER_MAIL[lang].quotes
  const toText = (blocks: Block[]) => blocks.map((block) => blockText(block, quotes, dir)).join('\n\n')
  // "-- " is the signature delimiter: mail clients set what follows apart from the message.
  const text = `${toText(body) + (footer.length > 0 ? `\n\n-- \n${toText(footer)}` : '')}\n`
  return { to, subject: subjectText, text, html: page(lang, subjectText, body, footer).toString(), headers }
}

function page(lang: Language, title: string, body: Block[], footer: Block[]): HtmlEscapedString {
  const dir = direction(lang)
  const blocks = (list: Block[]) => list.flatMap((block, i) => [i === 0 ? '' : '\n', blockHtml(block, dir)])
  const footerHtml =
    footer.length > 0
      ? markup`\n<div style="margin-top:24px;padding-top:12px;border-top:1px solid #e0e0e0;font-size:13px;color:#666666">\n${blocks(footer)}\n</div>`
      : ''
  return markup`<!doctype html>
<html lang="${lang}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title></head>
<body style="margin:0;padding:24px 12px;background:#f2f2f2">
<div dir="${dir}" style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;border-radius:6px;font-family:-apple-system,'Segoe UI',Tahoma,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">
${blocks(body)}${footerHtml}
</div>
</body>
</html>
`
}

function blockText(block: Block, [open, close]: string[], dir: 'ltr' | 'rtl'): string {
  if (Array.isArray(block)) return lineText(block, dir)
  if ('quote' in block) return `${open}${block.quote}${close}`
  if ('rows' in block) return block.rows.map(([label, value]) => `${label}: ${value}`).join('\n')
  const label = 'button' in block ? block.button : block.link
  const url = httpUrl(block.url)
  return url ? `${label}:\n${url}` : label
}

const BUTTON_STYLE =
  'display:inline-block;padding:10px 20px;background:#1a56db;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold'

function blockHtml(block: Block, dir: 'ltr' | 'rtl'): HtmlEscapedString {
  if (Array.isArray(block)) return markup`<p style="margin:0 0 12px">${lineHtml(block)}</p>`
  if ('quote' in block) {
    const side = dir === 'rtl' ? 'right' : 'left'
    // dir="auto": an English comment quoted in an Arabic mail (or the reverse) keeps its own direction.
    return markup`<blockquote dir="auto" style="margin:0 0 12px;padding:8px 12px;border-${side}:3px solid #d0d0d0;background:#f7f7f7;white-space:pre-line">${block.quote}</blockquote>`
  }
  if ('rows' in block) {
    const rows = block.rows.map(
      ([label, value]) =>
        markup`<tr><td style="padding:2px 12px">${label}</td><td style="padding:2px 12px"><strong>${value}</strong></td></tr>`,
    )
    return markup`<table role="presentation" style="border-collapse:collapse;margin:0 0 12px">${rows}</table>`
  }
  const url = httpUrl(block.url)
  if ('button' in block) {
    return markup`<p style="margin:20px 0">${url ? markup`<a href="${url}" style="${BUTTON_STYLE}">${block.button}</a>` : block.button}</p>`
  }
  return markup`<p style="margin:0 0 12px">${url ? markup`<a href="${url}" style="color:#1a56db">${block.link}</a>` : block.link}</p>`
}

// Bidi controls inside a value could close the isolate around it early and reorder the rest of the line.
const stripBidiControls = (value: string) => value.replace(/[\u202a-\u202e\u2066-\u2069]/g, '')

/** Values are wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE, so a Latin name in Arabic text (or the reverse) stays in place. */
/** Letters that could reorder a line of the other direction: right-to-left scripts, and in a right-to-left line Latin letters and digits. */
const AGAINST = { ltr: /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/, rtl: /[A-Za-z0-9\u00c0-\u024f]/ }

/**
 * Plain text (and the subject) isolates a value only where its direction could reorder the line around
 * it: some mail clients print U+2068/U+2069, so "⁨The Daily⁩" in an English line is not worth the risk.
 */
const lineText = (line: Line, dir: 'ltr' | 'rtl') =>
  line
    .map((part) => {
      if (typeof part === 'string') return part
      const value = stripBidiControls(part.value)
      return AGAINST[dir].test(value) ? `\u2068${value}\u2069` : value
    })
    .join('')

const lineHtml = (line: Line) => line.map((part) => (typeof part === 'string' ? part : markup`<bdi>${stripBidiControls(part.value)}</bdi>`))

/** `html`, whose answer is a promise only when a value is one: none is here. */
function markup(strings: TemplateStringsArray, ...values: unknown[]): HtmlEscapedString {
  const out = html(strings, ...values)
  if (out instanceof Promise) throw new TypeError('a mail is rendered without waiting')
  return out
}
