import type { Context } from 'hono'
import { fieldErrors } from '../../platform/lib/errors.js'
import { QUEUES, type ModComment, type QueueName } from '../../moderation/moderation.queue.js'
import { MIN_FRAGMENT, searchComments, searchQuerySchema } from '../../moderation/moderation.search.js'
import type { AppEnv } from '../shared/context.js'
import { CommentDecisions } from './moderator-ui.comment-actions.js'
import { Layout, QUEUE_LABELS, type Viewer } from './moderator-ui.layout.js'
import { noticeOf } from './moderator-ui.respond.js'

/** The queue tab a comment shows under now, for the link back to it. */
function queueOf(item: ModComment): QueueName {
  if (item.status === 'pending') return item.flagged ? 'flagged' : 'pending'
  if (item.status === 'rejected') return 'rejected'
  if (item.openReports > 0) return 'reported'
  return item.featured ? 'featured' : 'approved'
}

export function SearchPage(props: {
  viewer: Viewer
  q: string
  queue: QueueName | undefined
  articleId: string | undefined
  items: ModComment[] | null
  nextCursor: string | null
  /** The page shown, so a decision comes back to it. */
  cursor?: string | undefined
  error?: string | undefined
  notice?: string | undefined
}) {
  const params = (extra: Record<string, string>) =>
    new URLSearchParams({
      q: props.q,
      ...(props.queue ? { queue: props.queue } : {}),
      ...(props.articleId ? { articleId: props.articleId } : {}),
      ...extra,
    }).toString()
  return (
    <Layout title="Search" viewer={props.viewer}>
      <h1>Search</h1>
      <form class="bulk" method="get" action="/moderate/search" role="search">
        <label>
          Search <input type="search" name="q" value={props.q} maxlength={200} dir="auto" autofocus />
        </label>
        <label>
          in{' '}
          <select name="queue">
            <option value="">every queue</option>
            {QUEUES.map((q) => (
              <option value={q} selected={props.queue === q}>
                {QUEUE_LABELS[q]}
              </option>
            ))}
          </select>
        </label>
        {props.articleId && <input type="hidden" name="articleId" value={props.articleId} />}
        <button type="submit">Search</button>
      </form>
      <p class="hint">
        Words of comments (whole words; "quotes" for a phrase), or at least {MIN_FRAGMENT} letters of an author's name or email, or of an
        article's title.
        {props.articleId && (
          <>
            {' '}
            Only on article {props.articleId} (<a href={`/moderate/search?${new URLSearchParams({ q: props.q })}`}>every article</a>).
          </>
        )}
      </p>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {props.error && (
        <p class="notice error" role="alert">
          {props.error}
        </p>
      )}
      {props.items && props.items.length === 0 && <p class="empty">No comment matches.</p>}
      {props.items?.map((item) => (
        <article class="item result" id={`c-${item.id}`} data-id={item.id} data-status={item.status}>
          <div class="meta">
            <strong dir="auto">{item.authorName}</strong>
            {item.commenter && <a href={`/moderate/commenters/${item.commenter.id}`}>commenter’s page</a>}
            {item.commenter?.email && <span dir="ltr">{item.commenter.email}</span>}
            <span class="status">
              {item.status}
              {item.flagged ? ' (flagged)' : ''}
              {item.featured ? ' (editors’ pick)' : ''}
            </span>
            <span>{item.createdAt.replace('T', ' ').slice(0, 16)} UTC</span>
            <a href={`/moderate/articles/${encodeURIComponent(item.article.id)}`} dir="auto">
              {item.article.title ?? item.article.id}
            </a>
          </div>
          <div class="body" dir="auto">
            {item.body}
          </div>
          <div class="actions">
            <CommentDecisions item={item} back={`/moderate/search?${params(props.cursor ? { cursor: props.cursor } : {})}#c-${item.id}`} />
            <a href={`/moderate/comments/${item.id}`}>History</a>
            <a href={`/moderate?${new URLSearchParams({ queue: queueOf(item), articleId: item.article.id })}#c-${item.id}`}>
              In the {QUEUE_LABELS[queueOf(item)]} queue
            </a>
          </div>
        </article>
      ))}
      {props.nextCursor && <a href={`/moderate/search?${params({ cursor: props.nextCursor })}`}>Next page →</a>}
    </Layout>
  )
}

/** GET /moderate/search: the API's search as a page; an empty box shows only the form. */
export async function searchPage(c: Context<AppEnv>) {
  const raw = { ...c.req.query() }
  for (const key of ['q', 'queue', 'articleId', 'cursor'] as const) if (raw[key] === '') delete raw[key]
  for (const key of ['notice', 'n', 'risk', 'c']) delete raw[key]
  const viewer = c.var.moderator!
  const shown = {
    viewer,
    q: (raw.q ?? '').slice(0, 200),
    queue: QUEUES.find((q) => q === raw.queue),
    articleId: raw.articleId?.slice(0, 512),
    notice: noticeOf(c),
  }
  if (raw.q === undefined && raw.articleId === undefined)
    return c.html(`<!doctype html>${<SearchPage {...shown} items={null} nextCursor={null} />}`)
  const parsed = searchQuerySchema.safeParse(raw)
  if (!parsed.success) {
    const error = Object.entries(fieldErrors(parsed.error))
      .map(([field, message]) => `${field}: ${message}`)
      .join('; ')
    return c.html(`<!doctype html>${<SearchPage {...shown} items={null} nextCursor={null} error={`Not searched. ${error}`} />}`, 422)
  }
  const found = await searchComments(c.var.db, parsed.data)
  return c.html(`<!doctype html>${<SearchPage {...shown} items={found.items} nextCursor={found.nextCursor} cursor={parsed.data.cursor} />}`)
}
