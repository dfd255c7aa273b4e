import { checkArticleId } from './imports.article-id.js'
import { articleIdFromUrl, articleUrl, htmlToText, plausibleEmail } from './imports.text.js'
import { type ImportRecord, MalformedFileError, type SourceStatus, type TextChunks } from './imports.types.js'
import { type OpenElement, leafText, streamXml } from './imports.xml.js'

/** A thread or post while it is being read: its leaves by path ("author/email") and their attributes. */
interface Reading {
  kind: 'thread' | 'post'
  line: number
  id: string | undefined
  fields: Map<string, string | null>
  refs: Map<string, string | undefined>
}

const parseBoolean = (value: string | null | undefined) => value?.trim().toLowerCase() === 'true'

function parseDate(value: string | null | undefined): Date | null {
  if (!value) return null
  const date = new Date(value.trim())
  return Number.isNaN(date.getTime()) ? null : date
}

/**
 * Reads a Disqus export (<disqus> with <category>, <thread> and <post> children, dsq:id attributes).
 * Threads come before the posts that name them in Disqus's files; a post of a thread the file does not
 * hold is skipped with its line. Parents are only named here (a reply may come before its parent): the
 * writer links them.
 */
export function parseDisqus(chunks: TextChunks): AsyncGenerator<ImportRecord> {
  /** Disqus thread id → our article id; a few bytes per article, never per comment. */
  const articles = new Map<string, string | null>()
  let reading: Reading | null = null

  return streamXml(chunks, {
    open(stack) {
      const element = stack[stack.length - 1]!
      if (stack.length === 1 && element.local !== 'disqus') {
        throw new MalformedFileError(element.line, `not a Disqus export: the root element is <${element.local}>, not <disqus>`)
      }
      if (stack.length === 2 && (element.local === 'thread' || element.local === 'post')) {
        reading = { kind: element.local, line: element.line, id: element.attributes.id, fields: new Map(), refs: new Map() }
      }
    },
    close(stack, element, emit) {
      if (!reading) return
      if (stack.length === 1) {
        if (element.local === reading.kind) finish(reading, emit)
        reading = null
        return
      }
      const path = [...stack.slice(2).map((e: OpenElement) => e.local), element.local].join('/')
      reading.fields.set(path, leafText(element))
      if (element.attributes.id !== undefined) reading.refs.set(path, element.attributes.id)
    },
  })

  function finish(r: Reading, emit: (record: ImportRecord) => void) {
    if (r.kind === 'thread') {
      if (!r.id) return emit({ kind: 'bad', line: r.line, reason: 'a <thread> without a dsq:id' })
      if (parseBoolean(r.fields.get('isDeleted'))) {
        articles.set(r.id, null)
        return emit({ kind: 'skipped', line: r.line, reason: 'thread deleted at the source' })
      }
      // A link that is not http(s) (javascript:…) is no page's address: it names nothing and is not kept.
      const link = articleUrl(r.fields.get('link'))
      const candidate = r.fields.get('id') ?? (link ? articleIdFromUrl(link) : `disqus-${r.id}`)
      const checked = checkArticleId(candidate)
      if ('reason' in checked) return emit({ kind: 'bad', line: r.line, reason: checked.reason })
      articles.set(r.id, checked.id)
      return emit({
        kind: 'article',
        id: checked.id,
        sourceId: r.id,
        url: link,
        title: r.fields.get('title') ?? null,
        createdAt: parseDate(r.fields.get('createdAt')),
        closed: parseBoolean(r.fields.get('isClosed')),
        line: r.line,
      })
    }

    if (!r.id) return emit({ kind: 'bad', line: r.line, reason: 'a <post> without a dsq:id' })
    const threadId = r.refs.get('thread')
    if (!threadId) return emit({ kind: 'bad', line: r.line, reason: `post ${r.id} names no thread` })
    const articleId = articles.get(threadId)
    if (articleId === null) return emit({ kind: 'skipped', line: r.line, reason: 'post in a thread deleted at the source' })
    if (articleId === undefined)
      return emit({ kind: 'bad', line: r.line, reason: `post ${r.id} belongs to thread ${threadId}, which is not in the file (before it)` })
    const createdAt = parseDate(r.fields.get('createdAt'))
    if (!createdAt)
      return emit({
        kind: 'bad',
        line: r.line,
        reason: `post ${r.id} has no valid <createdAt> (${JSON.stringify(r.fields.get('createdAt') ?? '')})`,
      })
    const status: SourceStatus = parseBoolean(r.fields.get('isDeleted'))
      ? 'deleted'
      : parseBoolean(r.fields.get('isSpam'))
        ? 'spam'
        : 'approved'
    const body = htmlToText(r.fields.get('message') ?? '')
    if (body === '' && status !== 'deleted') return emit({ kind: 'bad', line: r.line, reason: `post ${r.id} has an empty message` })
    emit({
      kind: 'comment',
      sourceId: r.id,
      articleId,
      parentSourceId: r.refs.get('parent') ?? null,
      authorName: r.fields.get('author/name') ?? r.fields.get('author/username') ?? 'Anonymous',
      authorEmail: plausibleEmail(r.fields.get('author/email')),
      body,
      createdAt,
      status,
      line: r.line,
    })
  }
}
