// The queue's keys: j and k move, a approves, r rejects, f features, b bans, x selects, A approves below a
// risk, ? shows the keys. Typing in a field is never taken for a key.

/** The row a key acts on. */
export interface Rows {
  current(): HTMLElement | undefined
  move(by: number): void
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
      case 'f':
        press('feature')
        break
      case 'b':
        press('ban')
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
