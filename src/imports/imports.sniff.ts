import { EXPORT_FORMAT } from './imports.export.js'
import type { Format } from './imports.types.js'

/** What a file looks like from its first kilobytes: a format read here, Isso's JSON (not read), or unknown. */
export type Guess = Format | 'isso-json' | null

const DESCRIPTIONS: Record<Exclude<Guess, null>, string> = {
  disqus: 'a Disqus export',
  wordpress: 'a WordPress export (WXR)',
  jsonl: 'JSON lines of comments',
  commento: 'a Commento export',
  remark42: 'a Remark42 backup',
  isso: 'an Isso database (SQLite)',
  backup: 'an export of this app',
  'isso-json': "JSON for Isso's own importer",
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function firstLineAsJson(text: string): unknown {
  const newline = text.indexOf('\n')
  try {
    return JSON.parse(newline < 0 ? text : text.slice(0, newline))
  } catch {
    return undefined
  }
}

/** Tells the format from the start of a file (as `headText` reads it); null when nothing is recognisable. */
export function sniffFormat(head: string): Guess {
  const text = head.replace(/^[\s\uFEFF]+/, '')
  if (text.startsWith('SQLite format 3')) return 'isso'
  if (text.startsWith('<')) {
    if (/<disqus[\s>]/.test(text)) return 'disqus'
    if (/<rss[\s>]/.test(text) && /wordpress\.org\/export\//.test(text)) return 'wordpress'
    return null
  }
  const first = firstLineAsJson(text)
  if (isObject(first)) {
    if (first.type === 'export' && first.format === EXPORT_FORMAT) return 'backup'
    if ('version' in first && (Array.isArray(first.users) || Array.isArray(first.posts))) return 'remark42'
    if ('articleId' in first) return 'jsonl'
  }
  // Commento writes one JSON document, minified or pretty-printed: its first line says little alone.
  if (text.startsWith('{') && /"(commentHex|commenterHex|commenters)"\s*:/.test(text)) return 'commento'
  if (text.startsWith('[') && /"comments"\s*:/.test(text) && /"(remote_addr|author|created)"\s*:/.test(text)) return 'isso-json'
  return null
}

/** A word for the operator when the file given is recognisably not in the format asked for. */
export function formatHint(asked: Format, guess: Guess): string | null {
  if (guess === null || guess === asked) return null
  if (guess === 'isso-json') {
    return `this looks like ${DESCRIPTIONS[guess]}, which is not read here: import Isso's database file with "npm run import -- isso FILE"`
  }
  return `this looks like ${DESCRIPTIONS[guess]}: run "npm run import -- ${guess} FILE"`
}
