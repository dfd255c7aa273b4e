import { checkArticleId } from './imports.article-id.js'
import { articleIdFromUrl, articleUrl, markupToText, plausibleEmail } from './imports.text.js'
import { type ImportRecord, MalformedFileError, type SourceStatus, type TextChunks } from './imports.types.js'
import { leafText, streamXml } from './imports.xml.js'

/** wp:comment_approved → how the comment stood. */
const STATUSES: Record<string, SourceStatus> = {
  '1': 'approved',
  approve: 'approved',
  '0': 'pending',
  hold: 'pending',
  spam: 'spam',
  trash: 'deleted',
  'post-trashed': 'deleted',
}

/** WXR dates are "YYYY-MM-DD HH:MM:SS"; the _gmt one is UTC, and "0000-00-00 00:00:00" when WordPress never set it. */
function parseWpDate(gmt: string | null | undefined, local: string | null | undefined): Date | null {
  for (const value of [gmt, local]) {
    const match = value?.trim().match(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/)
    if (!match || match[1]!.startsWith('0000')) continue
    const date = new Date(`${match[1]}T${match[2]}Z`)
    if (!Number.isNaN(date.getTime())) return date
  }
  return null
}

interface Item {
  line: number
  fields: Map<string, string | null>
  articleId: string | null | undefined
}

/**
 * Reads a WordPress export (WXR: <rss><channel><item> with wp:* elements). An item's comments follow its
 * own fields, so the article is known by the first <wp:comment>; each comment is handed on as it closes,
 * so an item with thousands of comments is never held whole.
 */
export function parseWordpress(chunks: TextChunks): AsyncGenerator<ImportRecord> {
  let item: Item | null = null
  let comment: { line: number; fields: Map<string, string | null> } | null = null

  /** Why an item's comments were not public at the source, or null when they were. */
  function hiddenBecause(it: Item): string | null {
    if (it.fields.get('post_password')) return 'password-protected'
    const status = it.fields.get('status')
    // Exports older than wp:status have none: their posts were published.
    return status && status !== 'publish' ? 'unpublished' : null
  }

  return streamXml(chunks, {
    open(stack, emit) {
      const element = stack[stack.length - 1]!
      if (stack.length === 1 && element.local !== 'rss') {
        throw new MalformedFileError(element.line, `not a WordPress export: the root element is <${element.local}>, not <rss>`)
      }
      if (stack.length === 3 && element.local === 'item') item = { line: element.line, fields: new Map(), articleId: undefined }
      if (item && stack.length === 4 && element.local === 'comment') {
        if (item.articleId === undefined) item.articleId = articleOf(item, emit)
        comment = { line: element.line, fields: new Map() }
      }
    },
    close(stack, element, emit) {
      if (!item) return
      if (stack.length === 2 && element.local === 'item') {
        // An item without comments is still an article: its page may get comments here later.
        if (item.articleId === undefined) articleOf(item, emit)
        item = null
      } else if (stack.length === 3) {
        if (element.local === 'comment' && comment) {
          const hidden = item.articleId ? null : hiddenBecause(item)
          if (item.articleId) commentOf(item.articleId, comment, emit)
          else if (hidden) emit({ kind: 'skipped', line: comment.line, reason: `comments on ${hidden} posts` })
          comment = null
        } else {
          item.fields.set(element.local, leafText(element))
        }
      } else if (comment && stack.length === 4) {
        comment.fields.set(element.local, leafText(element))
      }
    },
  })

  function articleOf(it: Item, emit: (record: ImportRecord) => void): string | null {
    const postType = it.fields.get('post_type')
    if (postType === 'attachment' || postType === 'nav_menu_item') return null
    // Readers never saw these posts' comments: a password kept them out, or the post is not published.
    // Imported, they would be public here; they are skipped, counted, and the post is no article.
    const hidden = hiddenBecause(it)
    if (hidden) {
      emit({ kind: 'skipped', line: it.line, reason: `${hidden} posts` })
      return null
    }
    const postId = it.fields.get('post_id')
    // Only an http(s) link is a page's address; a javascript: one names nothing and is not kept.
    const link = articleUrl(it.fields.get('link'))
    const candidate = link ? articleIdFromUrl(link) : postId ? `wordpress-${postId}` : null
    if (!candidate) {
      emit({ kind: 'bad', line: it.line, reason: 'an <item> with neither <link> nor <wp:post_id>: its comments are skipped' })
      return null
    }
    const checked = checkArticleId(candidate)
    if ('reason' in checked) {
      emit({ kind: 'bad', line: it.line, reason: checked.reason })
      return null
    }
    emit({
      kind: 'article',
      id: checked.id,
      sourceId: postId ?? checked.id,
      url: link,
      title: it.fields.get('title') ?? null,
      createdAt: parseWpDate(it.fields.get('post_date_gmt'), it.fields.get('post_date')),
      closed: it.fields.get('comment_status') === 'closed',
      line: it.line,
    })
    return checked.id
  }

  function commentOf(articleId: string, c: { line: number; fields: Map<string, string | null> }, emit: (record: ImportRecord) => void) {
    const id = c.fields.get('comment_id')
    if (!id) return emit({ kind: 'bad', line: c.line, reason: 'a <wp:comment> without <wp:comment_id>' })
    const type = c.fields.get('comment_type')
    if (type === 'pingback' || type === 'trackback') return emit({ kind: 'skipped', line: c.line, reason: `${type}s are not comments` })
    const approved = c.fields.get('comment_approved') ?? '1'
    const status = STATUSES[approved]
    if (!status)
      return emit({ kind: 'bad', line: c.line, reason: `comment ${id} has an unknown wp:comment_approved ${JSON.stringify(approved)}` })
    const createdAt = parseWpDate(c.fields.get('comment_date_gmt'), c.fields.get('comment_date'))
    if (!createdAt) return emit({ kind: 'bad', line: c.line, reason: `comment ${id} has no valid date` })
    // WordPress keeps comments as typed, with HTML here and there; its line breaks are the writer's.
    const body = markupToText(c.fields.get('comment_content') ?? '')
    if (body === '' && status !== 'deleted') return emit({ kind: 'bad', line: c.line, reason: `comment ${id} is empty` })
    const parent = c.fields.get('comment_parent')
    emit({
      kind: 'comment',
      sourceId: id,
      articleId,
      parentSourceId: parent && parent !== '0' ? parent : null,
      authorName: c.fields.get('comment_author') ?? 'Anonymous',
      authorEmail: plausibleEmail(c.fields.get('comment_author_email')),
      body,
      createdAt,
      status,
      line: c.line,
    })
  }
}
