import { ARTICLE_MODES } from '../../articles/articles.actions.js'
import { Layout, type Viewer } from './moderator-ui.layout.js'

export function ArticlePage(props: {
  viewer: Viewer
  article: { id: string; title: string | null; url: string | null; commentsOpen: boolean; moderationMode: string; commentCount: number }
  notice?: string | undefined
}) {
  const a = props.article
  return (
    <Layout title="Article" viewer={props.viewer}>
      <h1 dir="auto">{a.title ?? a.id}</h1>
      <p class="hint">
        {a.id} · {a.commentCount} published comments ·{' '}
        <a href={`/moderate?queue=pending&articleId=${encodeURIComponent(a.id)}`}>queue for this article</a>
      </p>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <form class="stack" method="post" action={`/moderate/articles/${encodeURIComponent(a.id)}`}>
        <label class="check">
          <input type="checkbox" name="commentsOpen" value="true" checked={a.commentsOpen} /> Comments open
        </label>
        <label>
          Moderation for this article
          <select name="moderationMode">
            {ARTICLE_MODES.map((m) => (
              <option value={m} selected={a.moderationMode === m}>
                {m === 'inherit' ? 'As the site rules' : m === 'pre' ? 'Pre-moderation' : 'Post-moderation'}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Save</button>
      </form>
    </Layout>
  )
}
