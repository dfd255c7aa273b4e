// The default word lists, kept as data (wordlists/*.json: each entry with its language, severity and,
// for Arabic, dialect). Entries are base forms: endings, prefixes and the joined vocative are matched
// by the normaliser. War vocabulary (killed, shelling, massacre, martyr, regime, terrorist) is absent on
// purpose: it is the daily language of the reporting these comments discuss. See wordlists/README.md.
import arabic from './wordlists/ar.json'
import english from './wordlists/en.json'

export interface WordListEntry {
  term: string
  lang: 'ar' | 'en'
  severity: 'reject' | 'hold'
  dialect?: string
  note?: string
}

export const DEFAULT_WORD_LIST: readonly WordListEntry[] = [...(arabic as WordListEntry[]), ...(english as WordListEntry[])]

/** Refused outright: slurs, sexual insults, death wishes. */
export const DEFAULT_BANNED_WORDS: string[] = DEFAULT_WORD_LIST.filter((e) => e.severity === 'reject').map((e) => e.term)

/** Held for a moderator: insults that may be innocent in context ("dog", "donkey"). */
export const DEFAULT_SUSPECT_WORDS: string[] = DEFAULT_WORD_LIST.filter((e) => e.severity === 'hold').map((e) => e.term)
