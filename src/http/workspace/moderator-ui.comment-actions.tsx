// The decisions on one comment, as its status allows them: approve (or keep a reported one), reject with a
// reason, feature. The same forms in the queue, the search results and the comment's history page.
import { REJECT_NOTE_MAX, REJECT_REASONS } from '../../comments/comments.statuses.js'
import type { ModComment } from '../../moderation/moderation.queue.js'
import { ActionForm } from './moderator-ui.layout.js'

/**
 * `back`: where the page returns after a decision; `featureBack`: after featuring, which keeps the comment
 * where it was (the queue returns to it).
 */
export function CommentDecisions(props: {
  item: Pick<ModComment, 'id' | 'status' | 'openReports' | 'featured'>
  back: string
  featureBack?: string
}) {
  const { item, back } = props
  return (
    <>
      {(item.status !== 'approved' || item.openReports > 0) && (
        <ActionForm
          action={`/moderate/comments/${item.id}/approve`}
          back={back}
          label={item.status === 'approved' ? 'Keep (dismiss reports)' : 'Approve'}
          cls="approve"
          dataKey="approve"
        >
          <input type="hidden" name="expect" value={item.status} />
        </ActionForm>
      )}
      {item.status !== 'rejected' && (
        <ActionForm action={`/moderate/comments/${item.id}/reject`} back={back} label="Reject" cls="reject" dataKey="reject">
          <input type="hidden" name="expect" value={item.status} />
          {/* No default: a rejection filed as "spam" by habit misleads the writer and the model's labels. */}
          <select name="reason" aria-label="Reason" required>
            <option value="">reason…</option>
            {REJECT_REASONS.map((r, i) => (
              <option value={r}>
                {i + 1} {r.replace('_', ' ')}
              </option>
            ))}
          </select>
          <input name="note" placeholder="note (optional)" aria-label="Note" maxlength={REJECT_NOTE_MAX} dir="auto" />
        </ActionForm>
      )}
      {item.status === 'approved' && (
        <ActionForm
          action={`/moderate/comments/${item.id}/${item.featured ? 'unfeature' : 'feature'}`}
          back={props.featureBack ?? back}
          label={item.featured ? 'Unfeature' : 'Feature'}
          dataKey="feature"
        />
      )}
    </>
  )
}
