import { MIN_PASSWORD_LENGTH } from '../../auth/auth.users.js'
import { Layout, type Viewer } from './moderator-ui.layout.js'

export interface AccountMail {
  email: string | null
  alerts: boolean
  digest: boolean
}

/** A moderator's own mail: where alerts and the daily digest go, and whether they come at all. */
export function AccountPage(props: { viewer: Viewer; account: AccountMail; notice?: string | undefined; error?: string | undefined }) {
  const a = props.account
  return (
    <Layout title="Your account" viewer={props.viewer}>
      <h1>Your account</h1>
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
      <form class="stack" method="post" action="/moderate/account">
        <label>
          Email for moderation mail <span class="hint">empty: no mail at all</span>
          <input type="email" name="email" autocomplete="email" maxlength={254} value={a.email ?? ''} />
        </label>
        <label class="check">
          <input type="checkbox" name="alerts" value="true" checked={a.alerts} /> Alert me when reports send a comment back for review, or
          when the queue grows long
        </label>
        <label class="check">
          <input type="checkbox" name="digest" value="true" checked={a.digest} /> Send me a daily digest (07:00 UTC)
        </label>
        <button type="submit">Save</button>
      </form>
      <h2>Change your password</h2>
      <form class="stack" method="post" action="/moderate/account/password">
        <label>
          Current password
          <input type="password" name="current" autocomplete="current-password" required />
        </label>
        <label>
          New password <span class="hint">at least {MIN_PASSWORD_LENGTH} characters; other devices are signed out</span>
          <input type="password" name="password" autocomplete="new-password" minlength={MIN_PASSWORD_LENGTH} required />
        </label>
        <button type="submit">Change password</button>
      </form>
    </Layout>
  )
}
