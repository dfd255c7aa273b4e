import type { ModComment, QueueName, QueueSort } from '../../moderation/moderation.queue.js'
import { QUEUES, QUEUE_SORTS } from '../../moderation/moderation.queue.js'
import { REJECT_REASONS } from '../../comments/comments.statuses.js'
import { CommentDecisions } from './moderator-ui.comment-actions.js'
import { CommenterDecisions } from './moderator-ui.commenter-actions.js'
import { type DoneWord, decisionParts } from './moderator-ui.decision-words.js'
import { Highlighted, Layout, QUEUE_LABELS, ReasonList, type Viewer } from './moderator-ui.layout.js'

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

/**
 * `next`: the comment the moderator lands on once this one is decided (the one that followed it). Without
 * JavaScript the page comes back there; with it, the queue's script decides in place and moves there.
 */
function QueueItem(props: { item: ModComment; back: string; next: string | undefined; order: number }) {
  const { item } = props
  const back = props.next ? `${props.back}#c-${props.next}` : props.back
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
      data-order={props.order}
      data-author={item.authorName}
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
        <CommentDecisions item={item} back={back} featureBack={`${props.back}#c-${item.id}`} />
        {c && (
          <details class="menu">
            <summary>Commenter…</summary>
            <div class="menu-body">
              <CommenterDecisions commenter={{ id: c.id, status: c.status, suspended: false, shadowBanned: false }} back={back} queue />
            </div>
          </details>
        )}
      </div>
    </article>
  )
}

/** "Approved “…” by Sam." with Undo, after a decision sent without the script. */
function DecidedNotice(props: { decided: { id: string; done: DoneWord; body: string; authorName: string }; back: string }) {
  const words = decisionParts(props.decided.done, props.decided)
  return (
    <form class="notice" method="post" action={`/moderate/comments/${props.decided.id}/undo`}>
      <input type="hidden" name="back" value={props.back} />
      {words.verb} “<bdi>{words.excerpt}</bdi>” by <bdi>{words.author}</bdi>.{' '}
      <button type="submit" data-key="undo">
        Undo
      </button>
    </form>
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
  /** The comment the last decision was about, named in the notice with an Undo. */
  decided?: { id: string; done: DoneWord; body: string; authorName: string } | undefined
  /** The filtered article's title, when it has one. */
  articleTitle?: string | null | undefined
  /** The keyboard script's address (versioned by its content). */
  script: string
}) {
  const filter = props.articleId ? `&articleId=${encodeURIComponent(props.articleId)}` : ''
  const waiting = props.queue === 'pending' || props.queue === 'flagged'
  return (
    <Layout title={QUEUE_LABELS[props.queue]} viewer={props.viewer} script={props.script}>
      <h1 class="page-title">
        {QUEUE_LABELS[props.queue]}
        {props.articleId && (
          <>
            {' '}
            · <bdi>{props.articleTitle ?? props.articleId}</bdi>
          </>
        )}
      </h1>
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
      {waiting && (
        <p class="hint">
          Pending: every comment waiting for a decision. Flagged: the waiting ones a screening rule or readers’ reports held; they are
          counted in Pending too.
        </p>
      )}
      {props.articleId && (
        <p class="notice">
          Showing the article <strong dir="auto">{props.articleTitle ?? props.articleId}</strong> only.{' '}
          <a href={`/moderate?queue=${props.queue}`}>Show all</a>
        </p>
      )}
      {/* The script shows its own decisions here, with Undo; without it, the server's notice after a decision. */}
      <div id="decision-note" role="status">
        {props.decided ? <DecidedNotice decided={props.decided} back={props.back} /> : props.notice && <p class="notice">{props.notice}</p>}
      </div>
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
        <kbd>u</kbd> undo, <kbd>x</kbd> select,{' '}
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
        props.items.map((item, i, all) => <QueueItem item={item} back={props.back} next={(all[i + 1] ?? all[i - 1])?.id} order={i} />)
      )}
      {props.nextCursor && (
        <a href={`/moderate?queue=${props.queue}${filter}&sort=${props.sort}&cursor=${encodeURIComponent(props.nextCursor)}`}>
          Next page →
        </a>
      )}
      <div id="help" hidden role="dialog" aria-label="Keyboard shortcuts">
        <p>
          <kbd>j</kbd> next · <kbd>k</kbd> previous · <kbd>a</kbd> approve · <kbd>r</kbd> reject with the chosen reason · <kbd>f</kbd>{' '}
          feature · <kbd>b</kbd> ban (asks why) · <kbd>u</kbd> undo the last decision · <kbd>x</kbd> select · <kbd>A</kbd> approve every
          comment on the page below the chosen risk (asks first) · <kbd>?</kbd> close
        </p>
      </div>
    </Layout>
  )
}
