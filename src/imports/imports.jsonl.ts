import { z } from 'zod'
import { checkArticleId } from './imports.article-id.js'
import { notJsonReason, numberedLines } from './imports.lines.js'
import { articleUrl, plausibleEmail } from './imports.text.js'
import type { ImportRecord, TextChunks } from './imports.types.js'

/** One comment per line, as a CMS's own export writes it (documented in docs/import-export.md). */
export const jsonlCommentSchema = z.object({
  id: z.union([z.string().min(1).max(200), z.number().int()]).transform(String),
  articleId: z.string().min(1),
  // Served to readers and put in mails as the article's link: only an address a browser may open.
  articleUrl: z
    .string()
    .max(2048)
    .refine((url) => articleUrl(url) !== null, 'only http and https addresses')
    .nullish(),
  articleTitle: z.string().max(1000).nullish(),
  parentId: z
    .union([z.string().min(1).max(200), z.number().int()])
    .transform(String)
    .nullish(),
  authorName: z.string().trim().min(1).max(200),
  authorEmail: z.string().max(320).nullish(),
  body: z.string().max(100_000),
  createdAt: z.iso.datetime({ offset: true }),
  status: z.enum(['approved', 'pending', 'spam', 'rejected', 'deleted']).default('approved'),
})

export function parseJsonl(chunks: TextChunks): AsyncGenerator<ImportRecord> {
  return (async function* () {
    const articles = new Set<string>()
    for await (const { line, text } of numberedLines(chunks)) {
      if (text.trim() === '') continue
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch (error) {
        yield { kind: 'bad', line, reason: notJsonReason(error) }
        continue
      }
      const parsed = jsonlCommentSchema.safeParse(value)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        yield { kind: 'bad', line, reason: `${issue.path.join('.') || 'line'}: ${issue.message}` }
        continue
      }
      const c = parsed.data
      const checked = checkArticleId(c.articleId)
      if ('reason' in checked) {
        yield { kind: 'bad', line, reason: checked.reason }
        continue
      }
      if (!articles.has(checked.id)) {
        articles.add(checked.id)
        yield {
          kind: 'article',
          id: checked.id,
          sourceId: checked.id,
          url: articleUrl(c.articleUrl),
          title: c.articleTitle ?? null,
          createdAt: null,
          closed: false,
          line,
        }
      }
      const status = c.status
      if (c.body.trim() === '' && status !== 'deleted') {
        yield { kind: 'bad', line, reason: 'body: empty' }
        continue
      }
      yield {
        kind: 'comment',
        sourceId: c.id,
        articleId: checked.id,
        parentSourceId: c.parentId ?? null,
        authorName: c.authorName,
        authorEmail: plausibleEmail(c.authorEmail),
        body: c.body,
        createdAt: new Date(c.createdAt),
        status,
        line,
      }
    }
  })()
}
