import { Layout, type Viewer } from './moderator-ui.layout.js'

/** A colleague decided first: say who and what, and let the moderator decide again on purpose. */
export function DecidedPage(props: { viewer: Viewer; message: string; action: string; fields: Record<string, string> }) {
  return (
    <Layout title="Already decided" viewer={props.viewer}>
      <h1>Already decided</h1>
      <p class="notice" role="alert">
        {props.message}
      </p>
      <form method="post" action={props.action} class="stack">
        {Object.entries(props.fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button type="submit">Decide anyway</button>
      </form>
      <p>
        <a href={props.fields.back ?? '/moderate'}>Back to the queue</a>
      </p>
    </Layout>
  )
}
