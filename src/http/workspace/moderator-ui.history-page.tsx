import type { ModComment } from '../../moderation/moderation.queue.js'
import { CommentDecisions } from './moderator-ui.comment-actions.js'
import { Layout, ScrollTable, type Viewer } from './moderator-ui.layout.js'

export function HistoryPage(props: {
  viewer: Viewer
  item: ModComment
  actions: { action: string; actor: string; reason: string | null; at: string; from: string | null; to: string | null }[]
  revisions: { body: string; replacedAt: string }[]
  notice?: string | undefined
}) {
  const item = props.item
  return (
    <Layout title="History" viewer={props.viewer}>
      <h1>History</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <div class="item">
        <div class="meta">
          <strong dir="auto">{item.authorName}</strong>
          <span>
            on <bdi>{item.article.title ?? item.article.id}</bdi>
          </span>
          <span class="status">
            {item.status}
            {item.featured ? ' · featured' : ''}
          </span>
          {item.commenter && <a href={`/moderate/commenters/${item.commenter.id}`}>commenter’s page</a>}
        </div>
        <div class="body" dir="auto">
          {item.body}
        </div>
        <div class="actions">
          <CommentDecisions item={item} back={`/moderate/comments/${item.id}`} />
        </div>
      </div>
      <ScrollTable label="What was decided, by whom">
        <table>
          <thead>
            <tr>
              <th>When (UTC)</th>
              <th>Who</th>
              <th>Action</th>
              <th>Status</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {props.actions.map((a) => (
              <tr>
                <td>{a.at.replace('T', ' ').slice(0, 19)}</td>
                <td>{a.actor}</td>
                <td>{a.action}</td>
                <td>
                  {a.from ?? '—'} → {a.to ?? '—'}
                </td>
                <td>{a.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      {props.revisions.length > 0 && (
        <>
          <h2>Earlier versions</h2>
          {props.revisions.map((r) => (
            <div class="item">
              <div class="meta">replaced {r.replacedAt.replace('T', ' ').slice(0, 19)} UTC</div>
              <div class="body" dir="auto">
                {r.body}
              </div>
            </div>
          ))}
        </>
      )}
    </Layout>
  )
}
