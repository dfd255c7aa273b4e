import { Layout } from './moderator-ui.layout.js'

export function LoginPage(props: { error?: string | undefined; username?: string | undefined }) {
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      {props.error && (
        <p class="notice error" role="alert">
          {props.error}
        </p>
      )}
      <form class="stack" method="post" action="/moderate/login">
        <label>
          Username
          <input name="username" autocomplete="username" required value={props.username ?? ''} autofocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  )
}
