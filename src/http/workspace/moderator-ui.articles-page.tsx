import { ARTICLE_MODES } from '../../articles/articles.actions.js'
import { Layout, ScrollTable, type Viewer } from './moderator-ui.layout.js'

export interface ArticleRowView {
  id: string
  title: string | null
  url: string | null
  commentCount: number
  pendingCount: number
  open: boolean
  commentsOpen: boolean
  moderationMode: string
  effectiveMode: string
}

const MODE_LABELS: Record<string, string> = { inherit: 'As the site rules', pre: 'Pre-moderation', post: 'Post-moderation' }

export function ArticlesPage(props: {
  viewer: Viewer
  articles: ArticleRowView[]
  q: string
  nextCursor: string | null
  back: string
  notice?: string | undefined
}) {
  return (
    <Layout title="Articles" viewer={props.viewer}>
      <h1>Articles</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <form method="get" action="/moderate/articles" role="search" class="bulk">
        <input
          type="search"
          name="q"
          value={props.q}
          aria-label="Find an article by id, title or address"
          placeholder="id, title or address"
          maxlength={200}
        />
        <button type="submit">Find</button>
      </form>
      {props.articles.length === 0 ? (
        <p class="empty">No articles{props.q ? ' match' : ' yet'}.</p>
      ) : (
        <ScrollTable label="Articles">
          <table>
            <thead>
              <tr>
                <th scope="col">Article</th>
                <th scope="col">Published</th>
                <th scope="col">Waiting</th>
                <th scope="col">Comments</th>
                <th scope="col">Moderation</th>
              </tr>
            </thead>
            <tbody>
              {props.articles.map((a) => {
                const action = `/moderate/articles/${encodeURIComponent(a.id)}/rules`
                return (
                  <tr>
                    <td>
                      <a href={`/moderate/articles/${encodeURIComponent(a.id)}`} dir="auto">
                        {a.title ?? a.id}
                      </a>
                      <br />
                      <span class="hint">{a.id}</span>
                    </td>
                    <td>{a.commentCount}</td>
                    <td>
                      {a.pendingCount > 0 ? (
                        <a href={`/moderate?queue=pending&articleId=${encodeURIComponent(a.id)}`}>{a.pendingCount}</a>
                      ) : (
                        0
                      )}
                    </td>
                    <td>
                      <form method="post" action={action}>
                        <input type="hidden" name="back" value={props.back} />
                        <input type="hidden" name="commentsOpen" value={a.commentsOpen ? 'false' : 'true'} />
                        <span class={a.open ? 'status trusted' : 'status banned'}>
                          {a.open ? 'open' : a.commentsOpen ? 'closed (by age)' : 'closed'}
                        </span>{' '}
                        <button type="submit">{a.commentsOpen ? 'Close' : 'Reopen'}</button>
                      </form>
                    </td>
                    <td>
                      <form method="post" action={action}>
                        <input type="hidden" name="back" value={props.back} />
                        <select name="moderationMode" aria-label={`Moderation for ${a.title ?? a.id}`}>
                          {ARTICLE_MODES.map((m) => (
                            <option value={m} selected={a.moderationMode === m}>
                              {m === 'inherit' ? `${MODE_LABELS[m]} (${a.effectiveMode})` : MODE_LABELS[m]}
                            </option>
                          ))}
                        </select>{' '}
                        <button type="submit">Set</button>
                      </form>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </ScrollTable>
      )}
      {props.nextCursor && (
        <a href={`/moderate/articles?${new URLSearchParams({ ...(props.q ? { q: props.q } : {}), cursor: props.nextCursor })}`}>
          More articles
        </a>
      )}
    </Layout>
  )
}
