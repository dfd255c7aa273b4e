import { Layout, type Viewer } from './moderator-ui.layout.js'

export function UsersPage(props: {
  viewer: Viewer
  users: { id: string; username: string; role: string; disabled: boolean }[]
  notice?: string | undefined
  error?: string | undefined
}) {
  return (
    <Layout title="Users" viewer={props.viewer}>
      <h1>Moderators</h1>
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
      <table>
        <tbody>
          {props.users.map((u) => (
            <tr>
              <td>{u.username}</td>
              <td>{u.role}</td>
              <td>{u.disabled ? 'disabled' : 'active'}</td>
              <td>
                {u.username !== props.viewer.username && (
                  <>
                    <form method="post" action={`/moderate/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`}>
                      <button type="submit">{u.disabled ? 'Enable' : 'Disable'}</button>
                    </form>
                    <form method="post" action={`/moderate/users/${u.id}/password`}>
                      <input
                        type="password"
                        name="password"
                        autocomplete="new-password"
                        minlength={10}
                        required
                        aria-label={`New password for ${u.username}`}
                        placeholder="new password"
                      />
                      <button type="submit">Reset password</button>
                    </form>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Add a moderator</h2>
      <form class="stack" method="post" action="/moderate/users">
        <label>
          Username
          <input name="username" required pattern="[a-z0-9._-]{2,40}" />
        </label>
        <label>
          Password <span class="hint">at least 10 characters</span>
          <input name="password" type="password" required minlength={10} autocomplete="new-password" />
        </label>
        <label>
          Role
          <select name="role">
            <option value="moderator">Moderator</option>
            <option value="admin">Administrator</option>
          </select>
        </label>
        <button type="submit">Add</button>
      </form>
    </Layout>
  )
}
