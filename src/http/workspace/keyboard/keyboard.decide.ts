// Deciding in place: approve and reject are sent to the moderators' API and the page stays as it is. The
// decided comment leaves the list, the moderator lands on the comment that followed it, and a note names
// the decided comment with Undo for a few seconds (Undo is the API's own action, recorded as such).
import { type DoneWord, decisionParts } from '../moderator-ui.decision-words.js'

/** How long the note offers Undo; the server allows it for longer, so a slow answer still undoes. */
const UNDO_MS = 8000

const DECISION = /^\/moderate\/comments\/([0-9a-z]+)\/(approve|reject)$/

export interface Place {
  items(): HTMLElement[]
  /** Makes the item at this position current (clamped to the list). */
  land(index: number): void
}

const note = () => document.getElementById('decision-note')

/** Says something in the queue's note (a live region), replacing what it said before. */
export function tell(...parts: (string | Node)[]): HTMLElement {
  const said = document.createElement('p')
  said.className = 'notice'
  said.append(...parts)
  note()?.replaceChildren(said)
  return said
}

const isolated = (text: string) => {
  const bdi = document.createElement('bdi')
  bdi.textContent = text
  return bdi
}

/** "Approved “…” by Sam." with the reader's words isolated, as the server's notice says it. */
function named(done: DoneWord, item: HTMLElement): HTMLElement {
  const words = decisionParts(done, {
    body: item.querySelector('.body')?.textContent ?? '',
    authorName: item.dataset.author ?? '',
  })
  return tell(`${words.verb} “`, isolated(words.excerpt), '” by ', isolated(words.author), '.')
}

async function errorOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null
  // The API tells a script how to insist; a moderator who wants to decide anyway reloads and decides again.
  return (
    body?.error?.message?.replace(/ Send it again.*$/, ' Reload the page to see it as it is now.') ??
    'Not done: please reload the page and try again.'
  )
}

async function send(path: string, body?: unknown): Promise<Response> {
  return fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  })
}

function offerUndo(said: HTMLElement, id: string, item: HTMLElement, marker: Comment, place: Place) {
  const button = document.createElement('button')
  button.type = 'button'
  button.textContent = 'Undo'
  button.dataset.key = 'undo'
  said.append(' ', button)
  const expire = setTimeout(() => button.remove(), UNDO_MS)
  button.addEventListener('click', async () => {
    clearTimeout(expire)
    button.disabled = true
    const response = await send(`/api/v1/mod/comments/${id}/undo`).catch(() => null)
    if (!response?.ok) {
      tell(response ? await errorOf(response) : 'Not undone: the server did not answer.')
      return
    }
    marker.replaceWith(item)
    item.classList.remove('current')
    place.land(place.items().indexOf(item))
    named('undone', item).append(' It is back in the queue.')
  })
}

async function decide(form: HTMLFormElement, item: HTMLElement, id: string, action: 'approve' | 'reject', place: Place) {
  const fields = new FormData(form)
  const text = (name: string) => (fields.get(name) as string | null)?.trim() || undefined
  const before = item.dataset.status
  const body = { expectStatus: text('expect'), ...(action === 'reject' ? { reason: text('reason'), note: text('note') } : {}) }
  item.setAttribute('aria-busy', 'true')
  const response = await send(`/api/v1/mod/comments/${id}/${action}`, body).catch(() => null)
  item.removeAttribute('aria-busy')
  if (!response?.ok) {
    tell(response ? await errorOf(response) : 'Not done: the server did not answer.')
    return
  }
  const index = place.items().indexOf(item)
  const marker = document.createComment(`decided ${id}`)
  item.replaceWith(marker)
  place.land(index)
  const said = named(action === 'approve' ? 'approved' : 'rejected', item)
  // Keeping a published comment (its reports dismissed) changed no status: there is nothing to take back.
  if (before !== (action === 'approve' ? 'approved' : 'rejected')) offerUndo(said, id, item, marker, place)
  else said.append(' Its reports are dismissed.')
  if (!place.items().length) said.append(' Nothing else is left on this page.')
}

/** Takes over the approve and reject forms of the queue's items; every other form posts as it always did. */
export function decideInPlace(place: Place): void {
  document.addEventListener('submit', (event) => {
    const form = event.target as HTMLFormElement
    const match = (form.getAttribute('action') ?? '').match(DECISION)
    const item = form.closest<HTMLElement>('.item')
    if (!match || !item || event.defaultPrevented) return
    event.preventDefault()
    // A key pressed twice before the answer decides once.
    if (item.getAttribute('aria-busy') === 'true') return
    void decide(form, item, match[1]!, match[2] as 'approve' | 'reject', place)
  })
}
