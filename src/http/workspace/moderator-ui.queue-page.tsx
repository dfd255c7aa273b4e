import type { ModComment, QueueName, QueueSort } from '../../moderation/moderation.queue.js'
import { QUEUES, QUEUE_SORTS } from '../../moderation/moderation.queue.js'
import { REJECT_NOTE_MAX, REJECT_REASONS } from '../../comments/comments.statuses.js'
import { COMMENTER_REASON_MAX } from '../shared/moderation.schemas.js'
import { ActionForm, Highlighted, Layout, QUEUE_LABELS, ReasonList, type Viewer } from './moderator-ui.layout.js'

/** What "approve below a risk" may touch: waiting, held by no rule, scored by the model (the server checks again). */
const approvableBelowRisk = (item: ModComment) =>
  item.status === 'pending' && !item.flagged && item.screening.reasons.some((r) => r.rule === 'model_abuse')

/** Where the default hold threshold sits; the badge's colour steps are for the eye, not decisions. */
function RiskBadge(props: { risk: number }) {
  const level = props.risk >= 0.8 ? 'high' : props.risk >= 0.5 ? 'medium' : 'low'
  return (
    <span class={`risk ${level}`} title="Abuse risk from the screening model (0–1)">
      risk {props.risk.toFixed(2)}
    </span>
  )
}

function QueueItem(props: { item: ModComment; back: string }) {
  const { item, back } = props
  const c = item.commenter
  return (
    <article
      class="item"
      id={`c-${item.id}`}
      tabindex={-1}
      aria-label={`Comment by ${item.authorName}`}
      data-id={item.id}
      data-status={item.status}
      data-risk={item.risk.toFixed(2)}
      data-bulk={String(approvableBelowRisk(item))}
    >
      <div class="meta">
        <RiskBadge risk={item.risk} />
        <label>
          <input type="checkbox" name="ids" value={item.id} form="bulk" aria-label="Select for bulk action" />
        </label>
        <span>
          on{' '}
          {item.article.url ? (
            <a href={item.article.url} target="_blank" rel="noopener noreferrer">
              {item.article.title ?? item.article.id}
            </a>
          ) : (
            (item.article.title ?? item.article.id)
          )}
        </span>
        <time datetime={item.createdAt}>{item.createdAt.replace('T', ' ').slice(0, 16)} UTC</time>
        <span>
          {item.status}
          {item.featured ? ' · featured' : ''}
          {item.editedAt ? ' · edited' : ''}
        </span>
        <a href={`/moderate/comments/${item.id}`}>history</a>
        <a href={`/moderate/articles/${encodeURIComponent(item.articleId)}`}>article settings</a>
      </div>
      {item.parent && (
        <div class="parent">
          In reply to {item.parent.authorName}: {item.parent.body.length > 280 ? `${item.parent.body.slice(0, 280)}…` : item.parent.body}
        </div>
      )}
      <div class="meta">
        <strong dir="auto">
          <Highlighted text={item.authorName} reasons={item.screening.reasons} field="name" />
        </strong>
        {c && (
          <>
            <span>{c.email ?? '(no email)'}</span>
            <span
              class={c.verified ? 'status trusted' : 'status'}
              title={c.verified ? 'Proved their identity' : 'Anyone can type an email: nothing proves it is theirs'}
            >
              {c.kind === 'sso' ? 'signed in (site account)' : c.kind === 'email' ? 'verified email' : 'unverified'}
            </span>
            <span class={`status ${c.status}`}>{c.status}</span>
            <span>
              {c.approvedCount} approved · {c.rejectedCount} rejected
            </span>
            <a href={`/moderate/commenters/${c.id}`}>commenter’s page</a>
          </>
        )}
      </div>
      <div class="body" dir="auto">
        <Highlighted text={item.body} reasons={item.screening.reasons} field="body" />
      </div>
      <ReasonList reasons={item.screening.reasons.filter((r) => r.verdict !== 'publish' || r.score !== undefined)} />
      {item.reports.length > 0 && (
        <ul class="reasons" aria-label="Reports">
          {item.reports.map((r) => (
            <li class="hold">
              report: {r.reason.replace('_', ' ')}
              {r.note ? ` — ${r.note}` : ''}
            </li>
          ))}
        </ul>
      )}
      {item.rejectReason && <p class="hint">Rejected: {item.rejectReason}</p>}
      <div class="actions">
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
            <input name="note" placeholder="note (optional)" aria-label="Note" maxlength={REJECT_NOTE_MAX} />
          </ActionForm>
        )}
        {item.status === 'approved' && (
          <ActionForm
            action={`/moderate/comments/${item.id}/${item.featured ? 'unfeature' : 'feature'}`}
            back={back}
            label={item.featured ? 'Unfeature' : 'Feature'}
            dataKey="feature"
          />
        )}
        {c && c.status !== 'banned' && (
          <ActionForm action={`/moderate/commenters/${c.id}/ban`} back={back} label="Ban commenter" dataKey="ban">
            <input type="hidden" name="rejectPending" value="true" />
            <input name="reason" placeholder="why (recorded)" aria-label="Reason for the ban" maxlength={COMMENTER_REASON_MAX} required />
          </ActionForm>
        )}
        {c && c.status !== 'trusted' && <ActionForm action={`/moderate/commenters/${c.id}/trust`} back={back} label="Trust" />}
        {c && c.status !== 'normal' && (
          <ActionForm action={`/moderate/commenters/${c.id}/reset`} back={back} label={c.status === 'banned' ? 'Unban' : 'Stop trusting'} />
        )}
      </div>
    </article>
  )
}

const SORT_LABELS: Record<QueueSort, string> = { risk: 'Riskiest first', newest: 'Newest first', oldest: 'Oldest first' }

/** Risks a moderator can approve below in one go. */
export const APPROVE_BELOW_CHOICES = [0.1, 0.2, 0.3, 0.4, 0.5] as const

export function QueuePage(props: {
  viewer: Viewer
  queue: QueueName
  sort: QueueSort
  articleId?: string | undefined
  items: ModComment[]
  nextCursor: string | null
  counts: { pending: number; reported: number; flagged: number }
  back: string
  notice?: string | undefined
  /** The keyboard script's address (versioned by its content). */
  script: string
}) {
  const filter = props.articleId ? `&articleId=${encodeURIComponent(props.articleId)}` : ''
  const waiting = props.queue === 'pending' || props.queue === 'flagged'
  return (
    <Layout title={QUEUE_LABELS[props.queue]} viewer={props.viewer} script={props.script}>
      <nav class="tabs" aria-label="Queues">
        {QUEUES.map((q) => (
          <a href={`/moderate?queue=${q}${filter}`} aria-current={q === props.queue ? 'page' : undefined}>
            {QUEUE_LABELS[q]}
            {q in props.counts && (
              <span class="count" data-count={q}>
                {props.counts[q as keyof typeof props.counts]}
              </span>
            )}
          </a>
        ))}
      </nav>
      {props.articleId && (
        <p class="notice">
          Showing article <strong>{props.articleId}</strong> only. <a href={`/moderate?queue=${props.queue}`}>Show all</a>
        </p>
      )}
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {waiting && (
        <nav class="sorts" aria-label="Order">
          {QUEUE_SORTS.map((sort) => (
            <a href={`/moderate?queue=${props.queue}${filter}&sort=${sort}`} aria-current={sort === props.sort ? 'true' : undefined}>
              {SORT_LABELS[sort]}
            </a>
          ))}
        </nav>
      )}
      <p class="hint keys">
        Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>a</kbd> approve, <kbd>r</kbd> reject, <kbd>f</kbd> feature, <kbd>b</kbd> ban,{' '}
        <kbd>x</kbd> select,{' '}
        {waiting && (
          <>
            <kbd>A</kbd> approve all below a risk,{' '}
          </>
        )}
        <kbd>?</kbd> help
      </p>
      {waiting && props.items.length > 0 && (
        <form id="approve-below" class="bulk" method="post" action="/moderate/approve-below">
          <input type="hidden" name="back" value={props.back} />
          {props.items.map((item) => (
            <input type="hidden" name="ids" value={item.id} />
          ))}
          <label>
            Approve every comment on this page that no rule held, with risk below{' '}
            <select name="maxRisk" aria-label="Risk to approve below">
              {APPROVE_BELOW_CHOICES.map((risk) => (
                <option value={risk.toFixed(1)} selected={risk === 0.2}>
                  {risk.toFixed(1)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="approve" data-key="approve-below">
            Approve below risk…
          </button>
        </form>
      )}
      {props.items.length > 0 && (
        <form id="bulk" class="bulk" method="post" action="/moderate/bulk">
          <input type="hidden" name="back" value={props.back} />
          {/* What the page showed of each: a comment a colleague decided since is left as they decided. */}
          {props.items.map((item) => (
            <input type="hidden" name="seen" value={`${item.id}:${item.status}`} />
          ))}
          <span>Selected:</span>
          <button type="submit" name="action" value="approve" class="approve">
            Approve selected
          </button>
          <select name="reason" aria-label="Reason for rejecting selected">
            <option value="">reason…</option>
            {REJECT_REASONS.map((r) => (
              <option value={r}>{r.replace('_', ' ')}</option>
            ))}
          </select>
          <button type="submit" name="action" value="reject" class="reject">
            Reject selected
          </button>
        </form>
      )}
      {/* Filled in live (JavaScript): comments that arrived since this page was drawn. */}
      <p
        id="live-note"
        class="arrivals"
        role="status"
        hidden
        data-queue={props.queue}
        data-me={props.viewer.username}
        data-article={props.articleId ?? ''}
      >
        <span></span> <a href={props.back}>Show them</a>
      </p>
      {props.items.length === 0 ? (
        <p class="empty">Nothing waiting here.</p>
      ) : (
        props.items.map((item) => <QueueItem item={item} back={props.back} />)
      )}
      {props.nextCursor && (
        <a href={`/moderate?queue=${props.queue}${filter}&sort=${props.sort}&cursor=${encodeURIComponent(props.nextCursor)}`}>
          Next page →
        </a>
      )}
      <div id="help" hidden role="dialog" aria-label="Keyboard shortcuts">
        <p>
          <kbd>j</kbd> next · <kbd>k</kbd> previous · <kbd>a</kbd> approve · <kbd>r</kbd> reject with the chosen reason · <kbd>f</kbd>{' '}
          feature · <kbd>b</kbd> ban · <kbd>x</kbd> select · <kbd>A</kbd> approve every comment on the page below the chosen risk (asks
          first) · <kbd>?</kbd> close
        </p>
      </div>
    </Layout>
  )
}
