import { z } from 'zod'
import { checkArticleId } from './imports.article-id.js'
import { notJsonReason, numberedLines } from './imports.lines.js'
import { articleIdFromUrl, articleUrl, htmlToText, markupToText } from './imports.text.js'
import { type ImportedArticle, type ImportRecord, MalformedFileError, type TextChunks } from './imports.types.js'

/** The first line: the site's users (blocks, verification) and posts (read-only); version 0 is the older one. */
const metaSchema = z.object({
  version: z.union([z.literal(0), z.literal(1)]),
  posts: z.array(z.object({ url: z.string(), read_only: z.boolean().nullish() })).nullish(),
})

/** One comment a line, as Remark42's store.Comment is written to JSON. */
const commentSchema = z.object({
  id: z.string().min(1).max(200),
  pid: z.string().max(200).nullish(),
  /** The comment as Remark42 rendered it (HTML); `orig` is the Markdown it came from. */
  text: z.string().nullish(),
  orig: z.string().nullish(),
  user: z.object({ name: z.string().nullish() }),
  locator: z.object({ url: z.string().min(1).max(2048) }),
  time: z.string(),
  delete: z.boolean().nullish(),
  title: z.string().max(1000).nullish(),
})

const NOT_A_BACKUP = 'not a Remark42 backup: the first line should be {"version":1,"users":[…],"posts":[…]}'

/**
 * Reads a Remark42 backup (its "native" export, gunzipped on the way if it is gzip): a first line of site
 * metadata, then one comment a line. A comment names its page by URL, as the page embeds Remark42, so
 * that URL becomes the article here. Scores, votes, pins and the users' blocks stay behind.
 */
export function parseRemark42(chunks: TextChunks): AsyncGenerator<ImportRecord> {
  return (async function* () {
    let sawMeta = false
    /** Posts Remark42 made read-only, by article id: they are closed here. A few bytes per closed post. */
    const readOnly = new Set<string>()
    const articles = new Set<string>()

    /** The page's article id, and its record the first time the page is seen. */
    const articleOf = (
      url: string,
      title: string | null,
      line: number,
    ): { id: string; record: ImportedArticle | null } | { reason: string } => {
      const checked = checkArticleId(articleIdFromUrl(url))
      if ('reason' in checked) return checked
      if (articles.has(checked.id)) return { id: checked.id, record: null }
      articles.add(checked.id)
      return {
        id: checked.id,
        record: {
          kind: 'article',
          id: checked.id,
          sourceId: url,
          url: articleUrl(url),
          title,
          createdAt: null,
          closed: readOnly.has(checked.id),
          line,
        },
      }
    }

    for await (const { line, text } of numberedLines(chunks)) {
      if (text.trim() === '') continue
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch (error) {
        if (!sawMeta) throw new MalformedFileError(line, NOT_A_BACKUP)
        yield { kind: 'bad', line, reason: notJsonReason(error) }
        continue
      }
      if (!sawMeta) {
        const meta = metaSchema.safeParse(value)
        if (!meta.success) throw new MalformedFileError(line, NOT_A_BACKUP)
        for (const post of meta.data.posts ?? []) if (post.read_only) readOnly.add(articleIdFromUrl(post.url))
        sawMeta = true
        continue
      }
      const parsed = commentSchema.safeParse(value)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        yield { kind: 'bad', line, reason: `${issue.path.join('.') || 'line'}: ${issue.message}` }
        continue
      }
      const c = parsed.data
      const createdAt = new Date(c.time)
      if (Number.isNaN(createdAt.getTime())) {
        yield { kind: 'bad', line, reason: `comment ${c.id} has no valid time (${JSON.stringify(c.time.slice(0, 40))})` }
        continue
      }
      const a = articleOf(c.locator.url, c.title?.trim() || null, line)
      if ('reason' in a) {
        yield { kind: 'bad', line, reason: a.reason }
        continue
      }
      if (a.record) yield a.record
      const deleted = c.delete === true
      const body = deleted ? '' : c.text ? htmlToText(c.text) : markupToText(c.orig ?? '')
      if (body === '' && !deleted) {
        yield { kind: 'bad', line, reason: `comment ${c.id} is empty` }
        continue
      }
      yield {
        kind: 'comment',
        sourceId: c.id,
        articleId: a.id,
        parentSourceId: c.pid ? c.pid : null,
        authorName: c.user.name?.trim() || 'Anonymous',
        // Remark42 signs readers in through other sites and keeps no email: the name stays, no commenter.
        authorEmail: null,
        body,
        createdAt,
        status: deleted ? 'deleted' : 'approved',
        line,
      }
    }
    // A post closed at the source that has no comment in the file is still closed here.
    for (const id of readOnly) {
      const a = articleOf(id, null, 1)
      if ('record' in a && a.record) yield a.record
    }
  })()
}
