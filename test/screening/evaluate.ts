import { defaultSiteSettings } from '../../src/settings/settings.schema.js'
import { prepareSubmission, runRules } from '../../src/screening/screening.pipeline.js'
import { builtInRules } from '../../src/screening/screening.rules.js'
import type { ScreeningContext, Verdict } from '../../src/screening/screening.types.js'
import { type CorpusEntry, corpus } from './corpus.js'

/**
 * The context the corpus is labelled for: a post-moderated site, an established commenter, and the word
 * and shape rules alone (the corpus holds what the lists should decide; the model is measured on real
 * labelled data by npm run screening:eval).
 */
export function corpusContext(): ScreeningContext {
  return {
    settings: { ...defaultSiteSettings(), moderationMode: 'post', modelEnabled: false },
    mode: 'post',
    commenter: { status: 'normal', approvedCount: 5, rejectedCount: 0, verified: false },
    recentBodies: [],
    formAge: 30,
  }
}

export function decide(entry: CorpusEntry, context = corpusContext()): Verdict {
  return runRules(builtInRules, prepareSubmission({ authorName: 'Reader', body: entry.text, honeypot: undefined, isReply: false }), context)
    .verdict
}

export interface VerdictScore {
  verdict: Verdict
  precision: number
  recall: number
  support: number
}

export function evaluate(entries = corpus): { scores: VerdictScore[]; mistakes: { entry: CorpusEntry; got: Verdict }[] } {
  const context = corpusContext()
  const results = entries.map((entry) => ({ entry, got: decide(entry, context) }))
  const scores = (['publish', 'hold', 'reject'] as const).map((verdict) => {
    const predicted = results.filter((r) => r.got === verdict)
    const actual = results.filter((r) => r.entry.label === verdict)
    const correct = predicted.filter((r) => r.entry.label === verdict).length
    return {
      verdict,
      precision: predicted.length ? correct / predicted.length : 1,
      recall: actual.length ? correct / actual.length : 1,
      support: actual.length,
    }
  })
  return { scores, mistakes: results.filter((r) => r.got !== r.entry.label) }
}
