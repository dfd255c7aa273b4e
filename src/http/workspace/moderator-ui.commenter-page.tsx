import type { commenterPage } from '../../commenters/commenters.page.js'
import { NOTE_MAX } from '../shared/moderation.schemas.js'
import { CommenterDecisions } from './moderator-ui.commenter-actions.js'
import { Layout, type Viewer } from './moderator-ui.layout.js'

type CommenterData = Awaited<ReturnType<typeof commenterPage>>

const when = (iso: string) => `${iso.replace('T', ' ').slice(0, 16)} UTC`

export function CommenterPage(props: { viewer: Viewer; data: CommenterData; notice?: string | undefined }) {
  const { commenter: c, comments, notes, nextCursor } = props.data
  const back = `/moderate/commenters/${c.id}`
  return (
    <Layout title={c.name} viewer={props.viewer}>
      <h1 dir="auto">{c.name}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <p class="meta">
        <span>{c.email ?? 'no email'}</span>
        <span>{c.kind === 'guest' ? 'guest (unverified email)' : c.kind === 'email' ? 'verified email' : 'publisher sign-in'}</span>
        <span class={`status ${c.status}`}>{c.status}</span>
        {c.suspendedUntil && <span class="status banned">suspended until {when(c.suspendedUntil)}</span>}
        {c.shadowBanned && <span class="status banned">shadow-banned</span>}
        <span>
          {c.approvedCount} approved · {c.rejectedCount} rejected
        </span>
        <span>since {when(c.createdAt)}</span>
      </p>

      <section class="decisions" aria-label="Decisions about this commenter">
        <CommenterDecisions
          commenter={{ id: c.id, status: c.status, suspended: c.suspendedUntil !== null, shadowBanned: c.shadowBanned }}
          back={back}
        />
      </section>
      <p class="hint">
        A suspended commenter is told until when. A shadow-banned one sees their comments as published; nobody else sees them. Lifting
        restrictions undoes a ban, a suspension and a shadow-ban.
      </p>

      <h2>Notes</h2>
      <form class="stack" method="post" action={`/moderate/commenters/${c.id}/notes`}>
        <label>
          A note for colleagues
          <textarea name="body" required maxlength={NOTE_MAX} dir="auto" />
        </label>
        <button type="submit">Add note</button>
      </form>
      {notes.length === 0 ? (
        <p class="hint">No notes yet.</p>
      ) : (
        <ul class="notes">
          {notes.map((n) => (
            <li>
              <span class="hint">
                {n.by}, {when(n.createdAt)}:
              </span>{' '}
              <span class="body" dir="auto">
                {n.body}
              </span>
            </li>
          ))}
        </ul>
      )}

      <h2>Comments</h2>
      {comments.length === 0 && <p class="empty">No comments.</p>}
      {comments.map((comment) => (
        <article class="item" aria-label={`Comment on ${comment.articleTitle ?? comment.articleId}`}>
          <div class="meta">
            <span>
              on <a href={`/moderate/articles/${encodeURIComponent(comment.articleId)}`}>{comment.articleTitle ?? comment.articleId}</a>
            </span>
            <time datetime={comment.createdAt}>{when(comment.createdAt)}</time>
            <span class="status">
              {comment.shadow ? 'shadow (seen by its writer only)' : comment.status}
              {comment.status === 'rejected' && comment.rejectReason && !comment.shadow ? ` · ${comment.rejectReason}` : ''}
              {comment.featured ? ' · featured' : ''}
              {comment.deleted ? ' · deleted' : ''}
              {comment.openReports > 0 ? ` · ${comment.openReports} reports` : ''}
            </span>
            <a href={`/moderate/comments/${comment.id}`}>history</a>
          </div>
          <p class="body" dir="auto">
            {comment.body}
          </p>
        </article>
      ))}
      {nextCursor && <a href={`${back}?cursor=${nextCursor}`}>Older comments</a>}

      {props.viewer.role === 'admin' && (
        <>
          <h2>Data</h2>
          <p>
            <a href={`/api/v1/mod/commenters/${c.id}/export`}>Download everything stored about them (JSON)</a>
          </p>
          <form class="stack" method="post" action={`/moderate/commenters/${c.id}/erase`}>
            <label>
              Erase this commenter
              <select name="mode">
                <option value="tombstone">Keep their comments as “[deleted]”</option>
                <option value="remove">Remove their comments (where nobody replied)</option>
              </select>
            </label>
            <label class="check">
              <input type="checkbox" name="confirmed" value="true" required /> I understand this cannot be undone
            </label>
            <button type="submit" class="reject">
              Erase
            </button>
          </form>
        </>
      )}
    </Layout>
  )
}
