// The workspace's frame and the pieces several pages share.
import type { Child } from 'hono/jsx'
import type { ScreeningReason } from '../../platform/db/database.js'
import type { QueueName } from '../../moderation/moderation.queue.js'

export interface Viewer {
  username: string
  role: 'admin' | 'moderator'
}

/** `script` is the address of the keyboard script, for the pages that take keys. */
export function Layout(props: { title: string; viewer?: Viewer | null; children?: Child; script?: string | undefined }) {
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
              <a href="/moderate/search">Search</a>
              <a href="/moderate/articles">Articles</a>
              <a href="/moderate/overview">Overview</a>
              <a href="/moderate/settings">Settings</a>
              <a href="/moderate/screening">Screening</a>
              <a href="/moderate/account">Account</a>
              {props.viewer.role === 'admin' && <a href="/moderate/users">Users</a>}
              {props.viewer.role === 'admin' && <a href="/moderate/imports">Imports</a>}
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
        {props.script && <script src={props.script} defer />}
      </body>
    </html>
  )
}

export const QUEUE_LABELS: Record<QueueName, string> = {
  pending: 'Pending',
  flagged: 'Flagged',
  reported: 'Reported',
  rejected: 'Rejected',
  approved: 'Approved',
  featured: 'Editors’ picks',
}

/** The body with every matched span wrapped in <mark>; text only, so nothing a reader wrote becomes markup. */
export function Highlighted(props: { text: string; reasons: ScreeningReason[]; field: 'body' | 'name' }) {
  const inField = props.reasons.filter((r) => (r.field ?? 'body') === props.field)
  // Word-list matches first, then the words the model leaned on where they do not overlap one.
  const chosen: [number, number, 'word' | 'model'][] = []
  const overlaps = (start: number, end: number) => chosen.some(([s, e]) => start < e && s < end)
  for (const r of inField)
    if (r.start !== undefined && r.end !== undefined && !overlaps(r.start, r.end)) chosen.push([r.start, r.end, 'word'])
  for (const span of inField.flatMap((r) => r.spans ?? []))
    if (!overlaps(span.start, span.end)) chosen.push([span.start, span.end, 'model'])
  const spans = chosen.sort((a, b) => a[0] - b[0])
  const parts: Child[] = []
  let at = 0
  for (const [start, end, kind] of spans) {
    if (start < at || end > props.text.length) continue
    parts.push(props.text.slice(at, start))
    parts.push(
      kind === 'word' ? (
        <mark>{props.text.slice(start, end)}</mark>
      ) : (
        <mark class="model" title="pushed the abuse score up">
          {props.text.slice(start, end)}
        </mark>
      ),
    )
    at = end
  }
  parts.push(props.text.slice(at))
  return <>{parts}</>
}

/**
 * A rule's message with each "quoted" word set apart: a site's word list may be Arabic inside an English
 * sentence, and without isolation the quotes and the words around it change places.
 */
function Quoting(props: { text: string }) {
  return (
    <>
      {props.text.split(/"([^"]*)"/).map((part, i) =>
        i % 2 === 1 ? (
          <>
            “<bdi>{part}</bdi>”
          </>
        ) : (
          part
        ),
      )}
    </>
  )
}

/**
 * What screening found when the comment was posted. Said as such: the commenter's standing may have moved
 * since ("new commenter" beside five approvals would otherwise read as a contradiction).
 */
export function ReasonList(props: { reasons: ScreeningReason[] }) {
  if (props.reasons.length === 0) return null
  return (
    <ul class="reasons" aria-label="Screening reasons when posted">
      <li class="when">when posted:</li>
      {props.reasons.map((r) => (
        <li class={r.verdict}>
          <strong>{r.rule.replaceAll('_', ' ')}</strong>: <Quoting text={r.message} />
          {r.match ? (
            <>
              {' '}
              — “<bdi>{r.match}</bdi>”
            </>
          ) : null}
          {r.spans && r.spans.length > 0 ? (
            <>
              {' '}
              — pushed up by{' '}
              {r.spans.map((span, i) => (
                <>
                  {i > 0 ? ', ' : ''}“<bdi>{span.match}</bdi>”
                </>
              ))}
            </>
          ) : null}
        </li>
      ))}
    </ul>
  )
}

/**
 * A table wider than a phone: it scrolls inside its frame, shows shadows at the edges it can scroll
 * towards, says so on narrow screens, and takes the keyboard (a focusable region) for scrolling.
 */
export function ScrollTable(props: { label: string; children?: Child }) {
  return (
    <>
      <p class="scroll-hint hint" aria-hidden="true">
        Swipe the table sideways for every column →
      </p>
      <div class="table-wrap" role="region" aria-label={props.label} tabindex={0}>
        {props.children}
      </div>
    </>
  )
}

export function ActionForm(props: { action: string; back: string; label: string; cls?: string; dataKey?: string; children?: Child }) {
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
