import type { ModComment } from '../../moderation/moderation.queue.js'
import { Layout, type Viewer } from './moderator-ui.layout.js'

export function HistoryPage(props: {
  viewer: Viewer
  item: ModComment
  actions: { action: string; actor: string; reason: string | null; at: string; from: string | null; to: string | null }[]
  revisions: { body: string; replacedAt: string }[]
}) {
  return (
    <Layout title="History" viewer={props.viewer}>
      <h1>History</h1>
      <div class="item">
        <div class="meta">
          <strong dir="auto">{props.item.authorName}</strong> on {props.item.article.title ?? props.item.article.id}
        </div>
        <div class="body" dir="auto">
          {props.item.body}
        </div>
      </div>
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
