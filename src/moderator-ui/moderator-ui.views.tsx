import type { Child } from 'hono/jsx'
import type { ScreeningReason } from '../db/database.js'
import type { ModComment, QueueName, QueueSort } from '../moderation/moderation.queue.js'
import { QUEUES, QUEUE_SORTS } from '../moderation/moderation.queue.js'
import { REJECT_NOTE_MAX, REJECT_REASONS } from '../moderation/moderation.service.js'
import type { SiteSettings } from '../settings/settings.schema.js'

export interface Viewer {
  username: string
  role: 'admin' | 'moderator'
}

export function Layout(props: { title: string; viewer?: Viewer | null; children?: Child; script?: boolean }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title} · Moderation</title>
        <link rel="stylesheet" href="/moderate/assets/styles.css" />
      </head>
      <body>
        <header>
          <strong>Comment moderation</strong>
          {props.viewer && (
            <>
              <a href="/moderate">Queues</a>
              <a href="/moderate/settings">Settings</a>
              {props.viewer.role === 'admin' && <a href="/moderate/users">Users</a>}
              <span class="hint">
                {props.viewer.username} ({props.viewer.role})
              </span>
              <form method="post" action="/moderate/logout">
                <button type="submit">Sign out</button>
              </form>
            </>
          )}
        </header>
        <main>{props.children}</main>
        {props.script && <script src="/moderate/assets/keys.js" defer />}
      </body>
    </html>
  )
}

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

const QUEUE_LABELS: Record<QueueName, string> = {
  pending: 'Pending',
  flagged: 'Flagged',
  reported: 'Reported',
  rejected: 'Rejected',
  approved: 'Approved',
}

/** The body with every matched span wrapped in <mark>; text only, so nothing a reader wrote becomes markup. */
export function Highlighted(props: { text: string; reasons: ScreeningReason[]; field: 'body' | 'name' }) {
  const inField = props.reasons.filter((r) => (r.field ?? 'body') === props.field)
  // Word-list matches first, then the words the model leaned on where they do not overlap one.
  const chosen: [number, number, 'word' | 'model'][] = []
  const overlaps = (start: number, end: number) => chosen.some(([s, e]) => start < e && s < end)
  for (const r of inField) if (r.start !== undefined && r.end !== undefined && !overlaps(r.start, r.end)) chosen.push([r.start, r.end, 'word'])
  for (const span of inField.flatMap((r) => r.spans ?? [])) if (!overlaps(span.start, span.end)) chosen.push([span.start, span.end, 'model'])
  const spans = chosen.sort((a, b) => a[0] - b[0])
  const parts: Child[] = []
  let at = 0
  for (const [start, end, kind] of spans) {
    if (start < at || end > props.text.length) continue
    parts.push(props.text.slice(at, start))
    parts.push(kind === 'word' ? <mark>{props.text.slice(start, end)}</mark> : <mark class="model" title="pushed the abuse score up">{props.text.slice(start, end)}</mark>)
    at = end
  }
  parts.push(props.text.slice(at))
  return <>{parts}</>
}

function ReasonList(props: { reasons: ScreeningReason[] }) {
  if (props.reasons.length === 0) return null
  return (
    <ul class="reasons" aria-label="Screening reasons">
      {props.reasons.map((r) => (
        <li class={r.verdict}>
          <strong>{r.rule.replaceAll('_', ' ')}</strong>: {r.message}
          {r.match ? <> — “{r.match}”</> : null}
          {r.spans && r.spans.length > 0 ? <> — pushed up by {r.spans.map((span) => `“${span.match}”`).join(', ')}</> : null}
        </li>
      ))}
    </ul>
  )
}

function ActionForm(props: { action: string; back: string; label: string; cls?: string; dataKey?: string; children?: Child }) {
  return (
    <form method="post" action={props.action}>
      <input type="hidden" name="back" value={props.back} />
      {props.children}
      <button type="submit" class={props.cls} data-key={props.dataKey}>
        {props.label}
      </button>
    </form>
  )
}

/** What "approve below a risk" may touch: waiting, held by no rule, scored by the model (the server checks again). */
const approvableBelowRisk = (item: ModComment) => item.status === 'pending' && !item.flagged && item.screening.reasons.some((r) => r.rule === 'model_abuse')

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
    <article class="item" id={`c-${item.id}`} tabindex={-1} aria-label={`Comment by ${item.authorName}`} data-id={item.id} data-risk={item.risk.toFixed(2)} data-bulk={String(approvableBelowRisk(item))}>
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
        <span>{item.status}{item.featured ? ' · featured' : ''}</span>
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
            <span>{c.email}</span>
            <span class={`status ${c.status}`}>{c.status}</span>
            <span>
              {c.approvedCount} approved · {c.rejectedCount} rejected
            </span>
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
          <ActionForm action={`/moderate/comments/${item.id}/approve`} back={back} label={item.status === 'approved' ? 'Keep (dismiss reports)' : 'Approve'} cls="approve" dataKey="approve" />
        )}
        {item.status !== 'rejected' && (
          <ActionForm action={`/moderate/comments/${item.id}/reject`} back={back} label="Reject" cls="reject" dataKey="reject">
            <select name="reason" aria-label="Reason">
              {REJECT_REASONS.map((r) => (
                <option value={r}>{r.replace('_', ' ')}</option>
              ))}
            </select>
            <input name="note" placeholder="note (optional)" aria-label="Note" maxlength={REJECT_NOTE_MAX} />
          </ActionForm>
        )}
        {item.status === 'approved' && (
          <ActionForm action={`/moderate/comments/${item.id}/${item.featured ? 'unfeature' : 'feature'}`} back={back} label={item.featured ? 'Unfeature' : 'Feature'} dataKey="feature" />
        )}
        {c && c.status !== 'banned' && (
          <ActionForm action={`/moderate/commenters/${c.id}/ban`} back={back} label="Ban commenter" dataKey="ban">
            <input type="hidden" name="rejectPending" value="true" />
          </ActionForm>
        )}
        {c && c.status !== 'trusted' && <ActionForm action={`/moderate/commenters/${c.id}/trust`} back={back} label="Trust" />}
        {c && c.status !== 'normal' && <ActionForm action={`/moderate/commenters/${c.id}/reset`} back={back} label="Reset" />}
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
}) {
  const filter = props.articleId ? `&articleId=${encodeURIComponent(props.articleId)}` : ''
  const waiting = props.queue === 'pending' || props.queue === 'flagged'
  return (
    <Layout title={QUEUE_LABELS[props.queue]} viewer={props.viewer} script>
      <nav class="tabs" aria-label="Queues">
        {QUEUES.map((q) => (
          <a href={`/moderate?queue=${q}${filter}`} aria-current={q === props.queue ? 'page' : undefined}>
            {QUEUE_LABELS[q]}
            {q in props.counts && <span class="count">{props.counts[q as keyof typeof props.counts]}</span>}
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
      <p class="hint">
        Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>a</kbd> approve, <kbd>r</kbd> reject, <kbd>f</kbd> feature, <kbd>b</kbd> ban, <kbd>x</kbd> select,{' '}
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
          <span>Selected:</span>
          <button type="submit" name="action" value="approve" class="approve">
            Approve selected
          </button>
          <select name="reason" aria-label="Reason for rejecting selected">
            {REJECT_REASONS.map((r) => (
              <option value={r}>{r.replace('_', ' ')}</option>
            ))}
          </select>
          <button type="submit" name="action" value="reject" class="reject">
            Reject selected
          </button>
        </form>
      )}
      {props.items.length === 0 ? <p class="empty">Nothing waiting here.</p> : props.items.map((item) => <QueueItem item={item} back={props.back} />)}
      {props.nextCursor && <a href={`/moderate?queue=${props.queue}${filter}&sort=${props.sort}&cursor=${encodeURIComponent(props.nextCursor)}`}>Next page →</a>}
      <div id="help" hidden role="dialog" aria-label="Keyboard shortcuts">
        <p>
          <kbd>j</kbd> next · <kbd>k</kbd> previous · <kbd>a</kbd> approve · <kbd>r</kbd> reject with the chosen reason · <kbd>f</kbd> feature ·{' '}
          <kbd>b</kbd> ban · <kbd>x</kbd> select · <kbd>A</kbd> approve every comment on the page below the chosen risk (asks first) · <kbd>?</kbd> close
        </p>
      </div>
    </Layout>
  )
}

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

export function HistoryPage(props: { viewer: Viewer; item: ModComment; actions: { action: string; actor: string; reason: string | null; at: string; from: string | null; to: string | null }[] }) {
  return (
    <Layout title="History" viewer={props.viewer}>
      <h1>History</h1>
      <div class="item">
        <div class="meta">
          <strong dir="auto">{props.item.authorName}</strong> on {props.item.article.title ?? props.item.article.id}
        </div>
        <div class="body" dir="auto">
          {props.item.body}
        </div>
      </div>
      <table>
        <thead>
          <tr>
            <th>When (UTC)</th>
            <th>Who</th>
            <th>Action</th>
            <th>Status</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {props.actions.map((a) => (
            <tr>
              <td>{a.at.replace('T', ' ').slice(0, 19)}</td>
              <td>{a.actor}</td>
              <td>{a.action}</td>
              <td>
                {a.from ?? '—'} → {a.to ?? '—'}
              </td>
              <td>{a.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  )
}

export function SettingsPage(props: { viewer: Viewer; settings: SiteSettings; notice?: string | undefined; error?: string | undefined }) {
  const s = props.settings
  const readOnly = props.viewer.role !== 'admin'
  return (
    <Layout title="Settings" viewer={props.viewer}>
      <h1>Site rules</h1>
      {readOnly && <p class="notice">Only administrators can change these.</p>}
      {props.notice && <p class="notice" role="status">{props.notice}</p>}
      {props.error && <p class="notice error" role="alert">{props.error}</p>}
      <form class="stack" method="post" action="/moderate/settings">
        <fieldset disabled={readOnly} style="border:0;padding:0;display:grid;gap:.8rem">
          <label>
            Moderation
            <select name="moderationMode">
              <option value="pre" selected={s.moderationMode === 'pre'}>Pre-moderation: review before publishing</option>
              <option value="post" selected={s.moderationMode === 'post'}>Post-moderation: publish unless a rule holds</option>
            </select>
          </label>
          <label>
            Banned words <span class="hint">one per line; rejected with a message to the writer</span>
            <textarea name="bannedWords" dir="auto">{s.bannedWords.join('\n')}</textarea>
          </label>
          <label>
            Suspect words <span class="hint">one per line; held for review</span>
            <textarea name="suspectWords" dir="auto">{s.suspectWords.join('\n')}</textarea>
          </label>
          <label class="check">
            <input type="checkbox" name="holdLinks" value="true" checked={s.holdLinks} /> Hold every comment with a link
          </label>
          <label>
            Hold comments with more links than
            <input type="number" name="maxLinks" min={0} max={100} value={String(s.maxLinks)} />
          </label>
          <label>
            Approved comments before a commenter skips the queue
            <input type="number" name="premodNewCommenters" min={0} value={String(s.premodNewCommenters)} />
          </label>
          <label>
            Open reports that send a comment back for review
            <input type="number" name="reportThreshold" min={1} value={String(s.reportThreshold)} />
          </label>
          <label>
            Close threads after (days, empty for never)
            <input type="number" name="closeAfterDays" min={1} value={s.closeAfterDays === null ? '' : String(s.closeAfterDays)} />
          </label>
          <label>
            Comments per minute per reader (0 = no limit)
            <input type="number" name="rateLimitPerMinute" min={0} value={String(s.rateLimitPerMinute)} />
          </label>
          <label class="check">
            <input type="checkbox" name="modelEnabled" value="true" checked={s.modelEnabled} /> Screen with the built-in abuse model (English and Arabic)
          </label>
          <label>
            Abuse risk that holds a comment (0–1) <span class="hint">0.5 holds about 5% of clean comments</span>
            <input type="number" name="modelHoldThreshold" min={0} max={1} step="0.01" value={String(s.modelHoldThreshold)} />
          </label>
          <label>
            Abuse risk that rejects a comment (0–1, empty for never)
            <input type="number" name="modelRejectThreshold" min={0} max={1} step="0.01" value={s.modelRejectThreshold === null ? '' : String(s.modelRejectThreshold)} />
          </label>
          <label>
            External classifier URL <span class="hint">POST {'{"text"}'}, answers JSON with a 0–1 score; empty for none</span>
            <input type="url" name="externalClassifierUrl" value={readOnly && s.externalClassifierUrl ? `${new URL(s.externalClassifierUrl).origin}/••••` : (s.externalClassifierUrl ?? '')} />
          </label>
          <label>
            Score field in its answer <span class="hint">a dotted path, e.g. result.toxicity</span>
            <input name="externalClassifierField" value={s.externalClassifierField} />
          </label>
          <label>
            Classifier score that holds a comment (0–1)
            <input type="number" name="externalClassifierThreshold" min={0} max={1} step="0.05" value={String(s.externalClassifierThreshold)} />
          </label>
          <label class="check">
            <input type="checkbox" name="perspectiveEnabled" value="true" checked={s.perspectiveEnabled} /> Use Perspective toxicity (when its key is configured; Google ends it in 2026)
          </label>
          <label>
            Toxicity that holds a comment (0–1)
            <input type="number" name="perspectiveThreshold" min={0} max={1} step="0.05" value={String(s.perspectiveThreshold)} />
          </label>
          <label class="check">
            <input type="checkbox" name="akismetEnabled" value="true" checked={s.akismetEnabled} /> Use Akismet spam checks (when its key is configured)
          </label>
          <label>
            Webhook URL <span class="hint">receives held, reported and published events</span>
            <input type="url" name="webhookUrl" value={s.webhookUrl ?? ''} />
          </label>
          {!readOnly && <button type="submit">Save rules</button>}
          {!readOnly && (
            <p class="hint">
              Every approval and rejection is kept as a labelled example for retraining the model on this site's own comments:{' '}
              <a href="/api/v1/mod/screening/examples">download them as JSON lines</a>, or run{' '}
              <code>npm run train:screening -- --from-decisions</code>.
            </p>
          )}
        </fieldset>
      </form>
    </Layout>
  )
}

export function ArticlePage(props: {
  viewer: Viewer
  article: { id: string; title: string | null; url: string | null; commentsOpen: boolean; moderationMode: string; commentCount: number }
  notice?: string | undefined
}) {
  const a = props.article
  return (
    <Layout title="Article" viewer={props.viewer}>
      <h1 dir="auto">{a.title ?? a.id}</h1>
      <p class="hint">
        {a.id} · {a.commentCount} published comments · <a href={`/moderate?queue=pending&articleId=${encodeURIComponent(a.id)}`}>queue for this article</a>
      </p>
      {props.notice && <p class="notice" role="status">{props.notice}</p>}
      <form class="stack" method="post" action={`/moderate/articles/${encodeURIComponent(a.id)}`}>
        <label class="check">
          <input type="checkbox" name="commentsOpen" value="true" checked={a.commentsOpen} /> Comments open
        </label>
        <label>
          Moderation for this article
          <select name="moderationMode">
            {(['inherit', 'pre', 'post'] as const).map((m) => (
              <option value={m} selected={a.moderationMode === m}>
                {m === 'inherit' ? 'As the site rules' : m === 'pre' ? 'Pre-moderation' : 'Post-moderation'}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Save</button>
      </form>
    </Layout>
  )
}

export function UsersPage(props: { viewer: Viewer; users: { id: string; username: string; role: string; disabled: boolean }[]; notice?: string | undefined; error?: string | undefined }) {
  return (
    <Layout title="Users" viewer={props.viewer}>
      <h1>Moderators</h1>
      {props.notice && <p class="notice" role="status">{props.notice}</p>}
      {props.error && <p class="notice error" role="alert">{props.error}</p>}
      <table>
        <tbody>
          {props.users.map((u) => (
            <tr>
              <td>{u.username}</td>
              <td>{u.role}</td>
              <td>{u.disabled ? 'disabled' : 'active'}</td>
              <td>
                {u.username !== props.viewer.username && (
                  <form method="post" action={`/moderate/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`}>
                    <button type="submit">{u.disabled ? 'Enable' : 'Disable'}</button>
                  </form>
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
