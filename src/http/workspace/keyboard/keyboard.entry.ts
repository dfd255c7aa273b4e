// The moderation queue in the browser: the keys, live updates, and the questions asked before a ban or
// approving below a risk. Bundled by esbuild (keyboard.build.ts) and served from the workspace's own origin,
// the only one its Content-Security-Policy runs scripts from.
import { decideInPlace, tell } from './keyboard.decide.js'
import { listenForKeys } from './keyboard.keys.js'
import { followQueue, liveNote, presence } from './keyboard.live.js'

const items = () => [...document.querySelectorAll<HTMLElement>('.item')]
let index = -1
// The first item is selected on load; only a move the moderator makes says "open by".
let announced = false
const note = liveNote()
const present = presence(note)

function focus(i: number) {
  const list = items()
  if (!list.length) return
  index = Math.max(0, Math.min(list.length - 1, i))
  for (const [k, el] of list.entries()) el.classList.toggle('current', k === index)
  const item = list[index]!
  item.focus()
  item.scrollIntoView({ block: 'nearest' })
  if (announced) present(item.dataset.id)
}

if (note) followQueue(note)

listenForKeys({
  current: () => items()[index] || (document.activeElement?.closest<HTMLElement>('.item') ?? undefined),
  move: (by) => focus(index + by),
  tell,
})
decideInPlace({ items, land: focus })

// A ban is asked about first; its reason field is required either way.
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-key="ban"]')) {
  button.form?.addEventListener('submit', (event) => {
    if (!confirm('Ban this commenter? Their waiting comments will be rejected.')) event.preventDefault()
  })
}

// Approving below a risk asks first, saying how many; confirmed here, the server skips its own question.
const below = document.getElementById('approve-below') as HTMLFormElement | null
below?.addEventListener('submit', (event) => {
  const max = Number((below.elements.namedItem('maxRisk') as HTMLSelectElement).value)
  const count = items().filter((el) => el.dataset.bulk === 'true' && Number(el.dataset.risk) < max).length
  if (count === 0) {
    event.preventDefault()
    tell(`Nothing to approve: no comment on this page has a risk below ${max.toFixed(1)} without a rule holding it.`)
    return
  }
  const question = `Approve ${count} comment${count === 1 ? '' : 's'} on this page with risk below ${max.toFixed(1)} that no rule held?`
  if (!confirm(question)) {
    event.preventDefault()
    return
  }
  const confirmed = document.createElement('input')
  confirmed.type = 'hidden'
  confirmed.name = 'confirmed'
  confirmed.value = 'true'
  below.append(confirmed)
})

const start = items().findIndex((el) => el.id === location.hash.slice(1))
if (items().length) focus(Math.max(start, 0))
announced = true
document.addEventListener('click', (event) => {
  const item = (event.target as Element | null)?.closest?.<HTMLElement>('.item')
  if (item) present(item.dataset.id)
})
