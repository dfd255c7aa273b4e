// Live, where the browser can: colleagues see which comment this moderator has open, and the page follows
// the queue's counts, new arrivals and decisions made elsewhere. Without it, the page stays as drawn.

/** What /api/v1/mod/stream says when a queue changes. */
interface QueueChange {
  type?: string
  commentId: string
  articleId: string
  status: string
  by?: string
  counts: Record<string, number>
  articleCounts: Record<string, number>
}

/** What it says when a moderator opens a comment. */
interface Viewing {
  commentId: string
  by: string
}

/** "open by NAME" lasts this long after the last word from that moderator. */
const VIEWING_MS = 45_000
/** One presence per comment in such a window is enough for colleagues to see it. */
const PRESENCE_WINDOW_MS = 20_000

/** The page's live note (#live-note): who this moderator is, and which queue and article the page shows. */
export function liveNote(): HTMLElement | null {
  return document.getElementById('live-note')
}

/** Tells colleagues which comment this moderator has open; at most once per comment in a window. */
export function presence(note: HTMLElement | null): (id: string | undefined) => void {
  let last = ''
  return (id) => {
    if (!note || !id) return
    const slot = id + Math.floor(Date.now() / PRESENCE_WINDOW_MS)
    if (last === slot) return
    last = slot
    fetch('/api/v1/mod/presence', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ commentId: id }),
    }).catch(() => {})
  }
}

/** Follows the moderators' stream: counts, decisions by colleagues, arrivals, and who has what open. */
export function followQueue(note: HTMLElement): void {
  if (!window.EventSource) return
  const me = note.dataset.me
  let arrived = 0
  const stream = new EventSource('/api/v1/mod/stream')
  stream.addEventListener('queue', (event) => {
    const data = JSON.parse((event as MessageEvent<string>).data) as QueueChange
    const only = note.dataset.article
    if (only && data.articleId !== only) return
    for (const [queue, count] of Object.entries(only ? data.articleCounts : data.counts)) {
      for (const el of document.querySelectorAll(`[data-count="${queue}"]`)) el.textContent = String(count)
    }
    const item = document.getElementById(`c-${data.commentId}`)
    if (item && data.by && data.by !== me && item.dataset.status !== data.status) {
      const said = document.createElement('p')
      said.className = 'notice'
      said.setAttribute('role', 'status')
      said.textContent = `Already ${data.status} by ${data.by}.`
      item.replaceChildren(said)
      item.classList.add('decided')
      item.dataset.status = data.status
    } else if (item?.classList.contains('decided') && data.status === 'pending' && item.dataset.status !== 'pending') {
      // The colleague undid their decision: the comment waits again, drawn anew by a reload.
      const said = document.createElement('p')
      said.className = 'notice'
      said.setAttribute('role', 'status')
      const again = document.createElement('a')
      again.href = `${location.pathname}${location.search}#c-${data.commentId}`
      again.textContent = 'Reload to decide on it'
      again.addEventListener('click', () => setTimeout(() => location.reload()))
      said.append('Back in the queue: the decision was undone. ', again)
      item.replaceChildren(said)
      item.dataset.status = data.status
    } else if (!item && data.type === 'held' && (note.dataset.queue === 'pending' || note.dataset.queue === 'flagged')) {
      arrived++
      const said = note.querySelector('span')
      if (said) said.textContent = arrived + (arrived === 1 ? ' new comment arrived.' : ' new comments arrived.')
      note.hidden = false
    }
  })
  const fading = new WeakMap<Element, ReturnType<typeof setTimeout>>()
  stream.addEventListener('viewing', (event) => {
    const data = JSON.parse((event as MessageEvent<string>).data) as Viewing
    const item = document.getElementById(`c-${data.commentId}`)
    if (!item || data.by === me) return
    let badge = item.querySelector('.viewing')
    if (!badge) {
      badge = document.createElement('span')
      badge.className = 'viewing'
      item.querySelector('.meta')?.append(badge)
    }
    badge.textContent = `open by ${data.by}`
    const shown = badge
    clearTimeout(fading.get(shown))
    fading.set(
      shown,
      setTimeout(() => shown.remove(), VIEWING_MS),
    )
  })
}
