import { h, uid } from './dom.js'
import type { Messages } from './i18n/index.js'

// The typed fields of a comment form: each labelled and wired to its hint and its error for screen
// readers, checked as the server checks them, and their errors shown (the first in error focused).

export const LIMITS = { name: 80, email: 254, body: 5000 } as const
export type Field = keyof typeof LIMITS
export type Errors = Partial<Record<Field, string>>
export const length = (s: string) => [...s].length

/** `names`: the fields this form asks for (a signed-in reader types only the comment). */
export function fieldSet(t: Messages, names: readonly Field[]) {
  const labels: Record<Field, string> = { name: t.name, email: t.email, body: t.comment }
  const inputs = {} as Record<Field, HTMLInputElement | HTMLTextAreaElement>
  const errors = {} as Record<Field, HTMLElement>
  return {
    names,
    inputs,
    row(name: Field, control: HTMLInputElement | HTMLTextAreaElement, hint?: Node) {
      const id = uid(name)
      control.id = id
      control.name = name
      errors[name] = h('span', { class: 'err', id: `${id}-err` })
      control.setAttribute('aria-describedby', `${hint ? `${id}-hint ` : ''}${id}-err`)
      inputs[name] = control
      return h(
        'div',
        { class: 'f' },
        h('label', { for: id }, labels[name]),
        control,
        hint && h('span', { class: 'hint', id: `${id}-hint` }, hint),
        errors[name],
      )
    },
    /** The same checks the server makes, so most mistakes are caught before a round trip. */
    check(values: Record<Field, string>, only = names): Errors {
      const found: Errors = {}
      for (const field of only) {
        const value = values[field]
        if (!value) found[field] = t.required(labels[field])
        else if (length(value) > LIMITS[field]) found[field] = t.tooLong(labels[field], LIMITS[field])
      }
      if (only.includes('email') && !found.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) found.email = t.badEmail
      return found
    },
    /** Shows each field's error (or none) and focuses the first in error; true when there was one. */
    show(found: Errors) {
      let first: HTMLElement | null = null
      for (const name of names) {
        errors[name].textContent = found[name] ?? ''
        inputs[name].setAttribute('aria-invalid', String(!!found[name]))
        if (found[name] && !first) first = inputs[name]
      }
      first?.focus()
      return !!first
    },
  }
}

export type FieldSet = ReturnType<typeof fieldSet>
