import { Layout, type Viewer } from './moderator-ui.layout.js'

export function ApproveBelowPage(props: { viewer: Viewer; ids: string[]; maxRisk: number; back: string }) {
  return (
    <Layout title="Approve below a risk" viewer={props.viewer}>
      <h1>Approve {props.ids.length} comments?</h1>
      <p>
        {props.ids.length === 0
          ? `No comment on that page is still waiting with a risk below ${props.maxRisk.toFixed(1)}.`
          : `${props.ids.length} waiting comments on that page have a risk below ${props.maxRisk.toFixed(1)}. They will be published.`}
      </p>
      <form method="post" action="/moderate/approve-below" class="bulk">
        <input type="hidden" name="back" value={props.back} />
        <input type="hidden" name="maxRisk" value={String(props.maxRisk)} />
        <input type="hidden" name="confirmed" value="true" />
        {props.ids.map((id) => (
          <input type="hidden" name="ids" value={id} />
        ))}
        {props.ids.length > 0 && (
          <button type="submit" class="approve">
            Approve {props.ids.length}
          </button>
        )}
        <a href={props.back}>Back to the queue</a>
      </form>
    </Layout>
  )
}
