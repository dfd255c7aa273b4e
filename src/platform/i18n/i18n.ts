// The languages the server speaks, and the one way a language is picked for a reader, a mail or a page.

export const LANGUAGES = ['en', 'ar'] as const
export type Language = (typeof LANGUAGES)[number]

/** "ar", "ar-SY", "ar_LB", or an Accept-Language list that starts with Arabic. */
const ARABIC = /^\s*ar(?:[-_,;\s]|$)/i

/**
 * The first tag given that is not empty decides (a form's field, then the browser's Accept-Language; or a
 * reader's stored preference): Arabic, or English for anything else.
 */
export function pickLanguage(...tags: readonly (string | null | undefined | unknown)[]): Language {
  const tag = tags.find((t): t is string => typeof t === 'string' && t.trim() !== '')
  return tag && ARABIC.test(tag) ? 'ar' : 'en'
}

export const direction = (lang: Language): 'rtl' | 'ltr' => (lang === 'ar' ? 'rtl' : 'ltr')

/**
 * A catalogue of words for one audience: the English entries give its shape, and every language gives
 * every entry (a missing or extra Arabic one fails to compile).
 */
export type Catalogue<T> = Readonly<Record<Language, T>>
