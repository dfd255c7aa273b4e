import { defaultSiteSettings } from '../src/settings/settings.schema.js'
import { prepareSubmission, runRules } from '../src/screening/screening.pipeline.js'
import { builtInRules, modelRule } from '../src/screening/screening.rules.js'
import type { Rule } from '../src/screening/screening.types.js'
import type { ScreeningContext } from '../src/screening/screening.types.js'
import { corpus } from '../test/screening/corpus.js'

/** Synthetic word lists of `size` entries: real entries plus plausible made-up words and phrases. */
function wordList(size: number, seed: string[]): string[] {
  const list = [...seed]
  const syllables = ['ka', 'ro', 'mi', 'tu', 'sel', 'dar', 'ghu', 'قا', 'لم', 'سر', 'بو', 'zen', 'fa', 'qir']
  for (let i = 0; list.length < size; i++) {
    const word = [0, 1, 2].map((k) => syllables[(i * (k + 3) + k * 7) % syllables.length]).join('') + (i % 97)
    list.push(i % 10 === 0 ? `${word} ${syllables[i % syllables.length]}` : word)
  }
  return list
}

/**
 * Per-comment time of screening with 2,000-entry banned and suspect lists: the word and shape rules
 * alone, the model alone, and everything together (tokenising included each time, as on the write path).
 */
export function benchScreening(): Record<'rules' | 'model' | 'both', { p50us: number; p99us: number; comments: number }> {
  const defaults = defaultSiteSettings()
  const context: ScreeningContext = {
    settings: {
      ...defaults,
      moderationMode: 'post',
      bannedWords: wordList(2000, defaults.bannedWords),
      suspectWords: wordList(2000, defaults.suspectWords),
    },
    mode: 'post',
    commenter: { status: 'normal', approvedCount: 3, rejectedCount: 0, verified: false },
    recentBodies: ['an earlier comment by the same reader about the convoy'],
    formAge: 12,
  }
  const measure = (rules: readonly Rule[]) => {
    const screen = (body: string) =>
      runRules(rules, prepareSubmission({ authorName: 'Reader', body, honeypot: undefined, isReply: false }), context)
    for (const entry of corpus) screen(entry.text) // warm-up, and the lists get compiled once
    const samples: number[] = []
    for (let round = 0; round < 20; round++) {
      for (const entry of corpus) {
        const started = performance.now()
        screen(entry.text)
        samples.push((performance.now() - started) * 1000)
      }
    }
    samples.sort((a, b) => a - b)
    const at = (q: number) => Math.round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!)
    return { p50us: at(0.5), p99us: at(0.99), comments: samples.length }
  }
  return { rules: measure(builtInRules.filter((rule) => rule !== modelRule)), model: measure([modelRule]), both: measure(builtInRules) }
}
