import { find } from 'linkifyjs'

/** A web address in a comment's text, as UTF-16 offsets (how JavaScript counts) and the address to open. */
export interface LinkSpan {
  start: number
  end: number
  href: string
}

/**
 * The web addresses in a reader's text. Found here, once, with linkifyjs and its list of real top-level
 * domains (so "file.txt" and "Mr.Smith" stay words), rather than in the widget, where that list would
 * cost as much as the widget itself. Only http(s): a reader's text never links to any other scheme.
 */
export function findLinks(body: string): LinkSpan[] {
  if (!body.includes('.')) return [] // no address without a dot: most comments stop here
  return find(body, 'url')
    .filter((link) => /^https?:\/\//i.test(link.href))
    .map(({ start, end, href }) => ({ start, end, href }))
}
