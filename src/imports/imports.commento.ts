import { z } from 'zod'
import { checkArticleId } from './imports.article-id.js'
import { streamJson } from './imports.json.js'
import { articleIdFromUrl, articleUrl, htmlToText, markupToText, plausibleEmail } from './imports.text.js'
import { type ImportRecord, MalformedFileError, type SourceStatus, type TextChunks } from './imports.types.js'

/** Commento's `state`: "flagged" is what its spam check held for a moderator, as "unapproved" is. */
const STATES: Record<string, SourceStatus> = { approved: 'approved', unapproved: 'pending', flagged: 'pending' }

const commentSchema = z.object({
  commentHex: z.string().min(1).max(200),
  domain: z.string().max(500).nullish(),
  /** The page's path on `domain` (Go's field is Path, its JSON name "url"). */
  url: z.string().max(2048).nullish(),
  commenterHex: z.string().max(200).nullish(),
  markdown: z.string().nullish(),
  html: z.string().nullish(),
  parentHex: z.string().max(200).nullish(),
  state: z.string().nullish(),
  creationDate: z.string(),
  deleted: z.boolean().nullish(),
})

const commenterSchema = z.object({
  commenterHex: z.string().min(1).max(200),
  email: z.string().max(320).nullish(),
  name: z.string().max(500).nullish(),
})

const NOT_AN_EXPORT = 'not a Commento export: it should be one JSON object, {"version":1,"comments":[…],"commenters":[…]}'

/** Every top-level array is listed, so that each element is dropped once read whichever pass reads it. */
const PATHS = ['$.version', '$.comments.*', '$.commenters.*']

/** Commento's own marks for a comment its writer or a moderator deleted. */
const isDeleted = (c: z.infer<typeof commentSchema>) => c.deleted === true || c.markdown?.trim() === '[deleted]'

/**
 * Reads a Commento export (gunzipped on the way when it is the .json.gz Commento mails): one JSON object
 * whose commenters come after the comments that name them. So it is read twice, streamed both times: the
 * first pass keeps each commenter's name and email (a few bytes each), the second hands the comments on
 * one by one. A page is `https://DOMAIN/PATH`, as the browser showed it.
 */
export function parseCommento(chunks: TextChunks, again: () => TextChunks): AsyncGenerator<ImportRecord> {
  return (async function* () {
    const commenters = new Map<string, { name: string | null; email: string | null }>()
    let version: unknown
    const firstPass = streamJson(again(), { paths: PATHS, notAnObject: NOT_AN_EXPORT }, ({ path, value }) => {
      if (path === 'version') version = value
      if (path !== 'commenters.*') return
      const parsed = commenterSchema.safeParse(value)
      if (parsed.success)
        commenters.set(parsed.data.commenterHex, { name: parsed.data.name?.trim() || null, email: plausibleEmail(parsed.data.email) })
    })
    for await (const _nothing of firstPass) {
      // The first pass emits nothing: what is wrong with a comment is said once, on the second.
    }
    if (version !== 1)
      throw new MalformedFileError(1, `${NOT_AN_EXPORT} (its "version" is ${JSON.stringify(version ?? null)}, and only version 1 exists)`)

    const articles = new Set<string>()
    yield* streamJson(chunks, { paths: PATHS, notAnObject: NOT_AN_EXPORT }, ({ path, value, line }, emit) => {
      if (path !== 'comments.*') return
      const parsed = commentSchema.safeParse(value)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        return emit({ kind: 'bad', line, reason: `comment ${describe(value)}: ${issue.path.join('.') || 'comment'}: ${issue.message}` })
      }
      const c = parsed.data
      const createdAt = new Date(c.creationDate)
      if (Number.isNaN(createdAt.getTime())) return emit({ kind: 'bad', line, reason: `comment ${c.commentHex} has no valid creationDate` })
      const deleted = isDeleted(c)
      const status = deleted ? 'deleted' : STATES[c.state ?? 'approved']
      if (!status) return emit({ kind: 'bad', line, reason: `comment ${c.commentHex} has an unknown state ${JSON.stringify(c.state)}` })
      const page = pageOf(c.domain, c.url)
      const checked = checkArticleId(page.id)
      if ('reason' in checked) return emit({ kind: 'bad', line, reason: checked.reason })
      if (!articles.has(checked.id)) {
        articles.add(checked.id)
        emit({ kind: 'article', id: checked.id, sourceId: page.id, url: page.url, title: null, createdAt: null, closed: false, line })
      }
      // Commento exports the Markdown its readers typed; `html`, when a file has it, is what they saw.
      const body = deleted ? '' : c.html?.trim() ? htmlToText(c.html) : markupToText(c.markdown ?? '')
      if (body === '' && !deleted) return emit({ kind: 'bad', line, reason: `comment ${c.commentHex} is empty` })
      const writer = c.commenterHex && c.commenterHex !== 'anonymous' ? commenters.get(c.commenterHex) : undefined
      emit({
        kind: 'comment',
        sourceId: c.commentHex,
        articleId: checked.id,
        parentSourceId: c.parentHex && c.parentHex !== 'root' ? c.parentHex : null,
        authorName: writer?.name ?? 'Anonymous',
        authorEmail: writer?.email ?? null,
        body,
        createdAt,
        status,
        line,
      })
    })
  })()
}

/** The page a comment is on: its address on the domain, or the bare path when the file names no domain. */
function pageOf(domain: string | null | undefined, path: string | null | undefined): { id: string; url: string | null } {
  const p = path?.trim() || '/'
  const d = domain?.trim()
  if (!d) return { id: articleIdFromUrl(p), url: null }
  const address = `https://${d}${p.startsWith('/') ? '' : '/'}${p}`
  return { id: articleIdFromUrl(address), url: articleUrl(address) }
}

/** A comment's id for a message, even when the comment is not what it should be. */
function describe(value: unknown): string {
  const hex = typeof value === 'object' && value !== null ? (value as { commentHex?: unknown }).commentHex : undefined
  return typeof hex === 'string' ? hex.slice(0, 64) : '(without a commentHex)'
}
