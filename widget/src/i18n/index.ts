import { ar } from './ar.js'
import { type Messages, en } from './en.js'

export type { Messages }

const LANGUAGES: Record<string, Messages> = { en, ar }

/** The first supported language among the given tags (`ar-SY` → `ar`), else English. */
export function pickLanguage(...tags: (string | null | undefined)[]): { lang: string; t: Messages } {
  for (const tag of tags) {
    const base = tag?.toLowerCase().split('-')[0]
    if (base && LANGUAGES[base]) return { lang: base, t: LANGUAGES[base] }
  }
  return { lang: 'en', t: en }
}
