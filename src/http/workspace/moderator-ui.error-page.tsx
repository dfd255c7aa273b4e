import { Layout, type Viewer } from './moderator-ui.layout.js'

export function ErrorPage(props: { viewer: Viewer | null; title: string; message: string }) {
  return (
    <Layout title={props.title} viewer={props.viewer}>
      <h1>{props.title}</h1>
      <p class="notice error" role="alert">
        {props.message}
      </p>
      <p>
        <a href="/moderate">Back to the queues</a>
      </p>
    </Layout>
  )
}
