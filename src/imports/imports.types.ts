/** The formats `npm run import` reads; `backup` is this app's own export. */
export const FORMATS = ['disqus', 'wordpress', 'jsonl', 'commento', 'remark42', 'isso', 'backup'] as const
export type Format = (typeof FORMATS)[number]

/** How a comment stood at its source, before it is mapped to this app's statuses (see docs/import-export.md). */
export type SourceStatus = 'approved' | 'pending' | 'spam' | 'rejected' | 'deleted'

export interface ImportedArticle {
  kind: 'article'
  /** The article's id here: the id a page embeds the widget with. */
  id: string
  sourceId: string
  url: string | null
  title: string | null
  createdAt: Date | null
  closed: boolean
  line: number
}

export interface ImportedComment {
  kind: 'comment'
  sourceId: string
  articleId: string
  parentSourceId: string | null
  authorName: string
  authorEmail: string | null
  /** Plain text, as the app stores bodies. */
  body: string
  createdAt: Date
  status: SourceStatus
  line: number
}

/** A row the parser could not use; the import goes on without it. */
export interface BadRow {
  kind: 'bad'
  line: number
  reason: string
}

/** A row that is fine but deliberately not imported (a pingback, a post of a thread not in the file…). */
export interface SkippedRow {
  kind: 'skipped'
  line: number
  reason: string
}

export type ImportRecord = ImportedArticle | ImportedComment | BadRow | SkippedRow

/** The file itself cannot be read on: the import stops with one line naming where. */
export class MalformedFileError extends Error {
  override name = 'MalformedFileError'
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`malformed file at line ${line}: ${reason}`)
  }
}

/** What a parser reads: the file's text in chunks, and how far into the file it is (for the progress bar). */
export type TextChunks = AsyncIterable<string>

/** A restore that would mix a backup into a site that already has comments of its own. */
export class RefusedError extends Error {
  override name = 'RefusedError'
}
