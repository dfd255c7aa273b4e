// Made-up site decisions for the site-learning tests: a local paper whose readers insult each other with
// words no public data set contains, so only the site's own decisions can teach them.
import type { SiteExample } from './screening.site-train.js'
import { seededRandom } from './screening.train.js'

const NEWS = (
  'council budget school road mayor vote water park election housing tax bus library hospital plan report city street ' +
  'bridge market farmers harbour ferry festival museum teachers nurses rail station clinic flood storm permit zoning'
).split(' ')
/** The site's own insults: nonsense to every public data set. */
export const SITE_INSULTS = ['blorft', 'snargle', 'quimbo', 'frubwit']

export interface FixtureOptions {
  count: number
  /** Share labelled abusive. */
  abusive?: number
  seed?: number
  /** Swap every label: what a desk that got everything wrong would teach. */
  inverted?: boolean
  startAt?: number
  language?: 'en' | 'ar'
  idPrefix?: string
}

/**
 * Decisions a minute apart. Each comment carries words of its own (a reader's name, a street), as real
 * comments do: a model can memorise them, which is what in-sample thresholds get wrong.
 */
export function siteDecisions(options: FixtureOptions): SiteExample[] {
  const random = seededRandom(options.seed ?? 1)
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!
  const examples: SiteExample[] = []
  for (let i = 0; i < options.count; i++) {
    const abusive = random() < (options.abusive ?? 0.3)
    const words = Array.from({ length: 6 + Math.floor(random() * 6) }, () => pick(NEWS))
    words.push(`q${Math.floor(random() * 1e9).toString(36)}`, `z${Math.floor(random() * 1e9).toString(36)}`)
    if (abusive) words.splice(Math.floor(random() * words.length), 0, pick(SITE_INSULTS), random() < 0.5 ? pick(SITE_INSULTS) : 'you')
    const label = abusive !== (options.inverted ?? false) ? 'abusive' : 'clean'
    examples.push({
      id: `${options.idPrefix ?? 'c'}${String(i).padStart(6, '0')}`,
      text: words.join(' '),
      language: options.language ?? 'en',
      label,
      kind: 'decision',
      decidedAt: new Date((options.startAt ?? Date.UTC(2026, 0, 1)) + i * 60_000).toISOString(),
    })
  }
  return examples
}
