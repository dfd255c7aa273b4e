import { describe, expect, it } from 'vitest'
import type { Catalogue } from './i18n.js'
import { READER_MAIL } from './i18n.mail.js'
import { ACCOUNT_PAGE, FORM_ANSWER, NOTICES, PREFERENCES_PAGE } from './i18n.reader.js'

const CATALOGUES: Record<string, Catalogue<unknown>> = { NOTICES, FORM_ANSWER, PREFERENCES_PAGE, ACCOUNT_PAGE, READER_MAIL }

/** Every entry of a catalogue with its path: words, lists of words and wording functions. */
function entries(value: unknown, path = ''): [string, unknown][] {
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, v]) => entries(v, `${path}.${key}`))
  return [[path, value]]
}

describe('the server catalogues', () => {
  for (const [name, catalogue] of Object.entries(CATALOGUES)) {
    it(`${name}: Arabic has every English entry, worded in Arabic`, () => {
      const english = entries(catalogue.en)
      const arabic = new Map(entries(catalogue.ar))
      expect([...arabic.keys()]).toEqual(english.map(([path]) => path))
      for (const [path, word] of english) {
        // A word with Latin letters in English is worded in Arabic letters, not pasted across.
        if (typeof word === 'string' && /[a-z]/i.test(word)) expect(arabic.get(path), path).toMatch(/[\u0600-\u06ff]/)
        else expect(typeof arabic.get(path), path).toBe(typeof word)
      }
    })
  }
})
