import type { WebhookDelivery } from '../../moderation/moderation.webhooks.js'
import { Layout, type Viewer } from './moderator-ui.layout.js'

const when = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '')

/** The site's last webhook deliveries (admin): what was sent, where each stands, and what the receiver said. */
export function WebhooksPage(props: { viewer: Viewer; deliveries: WebhookDelivery[]; url: string | null }) {
  return (
    <Layout title="Webhook deliveries" viewer={props.viewer}>
      <h1>Webhook deliveries</h1>
      <p>
        {props.url ? `Sent to ${props.url}.` : 'No webhook URL is set: nothing is sent.'} The last 100, newest first. A failed delivery is
        retried with growing waits (about an hour and a half in all) under the same delivery id (the X-Comments-Delivery header).{' '}
        <a href="/moderate/settings">Settings</a>
      </p>
      {props.deliveries.length === 0 ? (
        <p>No deliveries yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Queued</th>
              <th scope="col">Event</th>
              <th scope="col">Comment</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last result</th>
              <th scope="col">Next attempt</th>
              <th scope="col">Delivery id</th>
            </tr>
          </thead>
          <tbody>
            {props.deliveries.map((d) => (
              <tr data-delivery={d.id} data-status={d.status}>
                <td>{when(d.createdAt)}</td>
                <td>{d.type}</td>
                <td>
                  <a href={`/moderate/comments/${encodeURIComponent(d.commentId)}`}>{d.commentId}</a>
                </td>
                <td>{d.status}</td>
                <td>{d.attempts}</td>
                <td>{d.lastResult ?? ''}</td>
                <td>{when(d.nextAttemptAt)}</td>
                <td>
                  <code>{d.id}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  )
}
