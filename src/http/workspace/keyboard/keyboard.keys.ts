// The queue's keys: j and k move, a approves, r rejects, f features, b bans, u undoes, x selects, A approves
// below a risk, ? shows the keys. Typing in a field is never taken for a key.

/** The row a key acts on. */
export interface Rows {
  current(): HTMLElement | undefined
  move(by: number): void
  /** Says why a key did nothing. */
  tell(text: string): void
}

const FIELDS = new Set(['INPUT', 'TEXTAREA', 'SELECT'])

const reasonOf = (form: HTMLFormElement) => form.elements.namedItem('reason') as HTMLSelectElement

export function listenForKeys(rows: Rows): void {
  const press = (name: string) => rows.current()?.querySelector<HTMLElement>(`[data-key="${name}"]`)?.click()
  // r rejects with the reason chosen in the row; with none chosen, it asks: a digit picks one and sends.
  let picking: HTMLFormElement | null = null
  const ask = document.createElement('p')
  ask.className = 'arrivals'
  ask.setAttribute('role', 'status')

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return
    if (FIELDS.has((event.target as HTMLElement).tagName)) return
    if (picking) {
      const choice = Number(event.key)
      const reason = reasonOf(picking)
      if (choice >= 1 && choice < reason.options.length) {
        reason.selectedIndex = choice
        picking.requestSubmit()
      }
      picking = null
      ask.remove()
      event.preventDefault()
      return
    }
    const help = document.getElementById('help')
    switch (event.key) {
      case 'j':
        rows.move(1)
        break
      case 'k':
        rows.move(-1)
        break
      case 'a':
        press('approve')
        break
      case 'r': {
        const form = rows.current()?.querySelector<HTMLButtonElement>('[data-key="reject"]')?.form
        if (!form) break
        if (reasonOf(form).value) {
          form.requestSubmit()
          break
        }
        picking = form
        const choices = [...reasonOf(form).options].slice(1).map((option) => option.textContent)
        ask.textContent = `Reason? ${choices.join(' · ')} (Esc: cancel)`
        form.after(ask)
        break
      }
      case 'f': {
        const item = rows.current()
        if (item?.querySelector('[data-key="feature"]')) press('feature')
        else if (item) rows.tell('Only a published comment can be featured: approve it first (a), then feature it in the Approved queue.')
        break
      }
      case 'b': {
        // The ban sits in the commenter's menu with its reason: b opens it there, the moderator says why.
        const menu = rows.current()?.querySelector<HTMLDetailsElement>('details.menu')
        const reason = menu?.querySelector<HTMLInputElement>('[data-key="ban"]')?.form?.querySelector<HTMLInputElement>('[name=reason]')
        if (!menu || !reason) break
        menu.open = true
        reason.focus()
        break
      }
      case 'u':
        document.querySelector<HTMLElement>('#decision-note [data-key="undo"]')?.click()
        break
      case 'x': {
        const box = rows.current()?.querySelector<HTMLInputElement>('input[type=checkbox]')
        if (box) box.checked = !box.checked
        break
      }
      case 'A':
        document.querySelector<HTMLElement>('[data-key="approve-below"]')?.click()
        break
      case '?':
        if (help) help.hidden = !help.hidden
        break
      case 'Escape':
        if (help) help.hidden = true
        break
      default:
        return
    }
    event.preventDefault()
  })
}
