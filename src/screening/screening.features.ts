// Features for the abuse model: hashed word unigrams and bigrams, character 2–5-grams inside each word,
// and emoji, all taken from the same normalised tokens the word rules match. Pure and linear in the
// text's length; the trainer and the runtime share this file, so what was learned is what is scored.
import { type Token, squeeze } from './screening.normalize.js'

export const FEATURE_BITS = 18
export const FEATURE_COUNT = 1 << FEATURE_BITS
const MASK = FEATURE_COUNT - 1

export type Language = 'ar' | 'en'

/** A text with more Arabic words than other words is scored as Arabic. */
export function detectLanguage(tokens: readonly Token[]): Language {
  let arabic = 0
  for (const token of tokens) if (token.arabic) arabic++
  return arabic > 0 && arabic * 2 >= tokens.length ? 'ar' : 'en'
}

// Seeds keep the feature kinds apart in the hashed space.
const SEED_WORD = 0x811c9dc5
const SEED_STEM = 0x2c1b3c6d
const SEED_BIGRAM = 0x297a2d39
const SEED_CHARS = 0x6b43a9b5
const SEED_EMOJI = 0x1b873593

const step = (hash: number, code: number) => Math.imul(hash ^ code, 16777619)

/** murmur3's finaliser: spreads FNV's weak low bits before masking. */
function bucket(hash: number): number {
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  return hash & MASK
}

function hashString(seed: number, text: string): number {
  let hash = seed
  for (let i = 0; i < text.length; i++) hash = step(hash, text.charCodeAt(i))
  return hash
}

/**
 * The form a word is learned in: Arabic elongation and doubled letters collapse to one letter (one
 * training source was normalised that way at source, and stretched insults are common); other
 * scripts keep at most two.
 */
export const modelWord = (token: Token): string => squeeze(token.text, token.arabic ? 1 : 2)

const ARABIC_CLITICS = ['وال', 'فال', 'بال', 'كال', 'لل', 'ال', 'يا']

/** An Arabic word without its article, conjunction or joined vocative ("ياكلب" → "كلب"), when a stem remains. */
function arabicStem(word: string): string | null {
  for (const clitic of ARABIC_CLITICS) {
    if (word.startsWith(clitic) && word.length - clitic.length >= 3) return word.slice(clitic.length)
  }
  return null
}

const EMOJI = /\p{Extended_Pictographic}/gu

/** Words past this many are not scored: it bounds the work on very long comments. */
export const MAX_MODEL_WORDS = 600

/** Where a feature came from, for explanations: a word, a word pair (ending at a word), or an emoji. */
export type FeatureOrigin = { kind: 'word' | 'pair'; token: number } | { kind: 'emoji'; start: number; end: number }

export interface FeatureSink {
  (index: number, origin: FeatureOrigin | null): void
}

/**
 * Emits every feature of a text, duplicates included. `origins` asks for the origin of each feature
 * (explanations need it; scoring and training do not, and skip the allocations).
 */
export function emitFeatures(tokens: readonly Token[], body: string, sink: FeatureSink, origins = false): void {
  const count = Math.min(tokens.length, MAX_MODEL_WORDS)
  let previousWordHash = 0
  for (let t = 0; t < count; t++) {
    const token = tokens[t]!
    const word = modelWord(token)
    const origin: FeatureOrigin | null = origins ? { kind: 'word', token: t } : null
    const wordHash = hashString(SEED_WORD, word)
    sink(bucket(wordHash), origin)
    if (token.arabic) {
      const stem = arabicStem(word)
      if (stem) sink(bucket(hashString(SEED_STEM, stem)), origin)
    }
    if (t > 0) sink(bucket(step(step(SEED_BIGRAM, previousWordHash), wordHash)), origins ? { kind: 'pair', token: t } : null)
    previousWordHash = wordHash
    // Character n-grams inside the word with its boundaries: they carry spelling variants and
    // inflections the word features miss ("idiots", "ياحمار", "f*cking").
    const length = word.length + 2
    for (let i = 0; i < length - 1; i++) {
      let hash = step(SEED_CHARS, i === 0 ? 1 : word.charCodeAt(i - 1))
      for (let k = 1; k < 5 && i + k < length; k++) {
        const at = i + k
        hash = step(hash, at === length - 1 ? 2 : word.charCodeAt(at - 1))
        sink(bucket(hash), origin)
      }
    }
  }
  EMOJI.lastIndex = 0
  for (let match = EMOJI.exec(body); match; match = EMOJI.exec(body)) {
    sink(
      bucket(step(SEED_EMOJI, match[0].codePointAt(0)!)),
      origins ? { kind: 'emoji', start: match.index, end: match.index + match[0].length } : null,
    )
  }
}

// A stamp per bucket marks the features already seen in the current text, without clearing an array per text.
const seenStamp = new Uint32Array(FEATURE_COUNT)
let stamp = 0

/**
 * Emits each distinct feature of a text once (presence, not counts): training, scoring and explaining
 * all count through here, so they agree on what a text's features are.
 */
export function emitDistinctFeatures(tokens: readonly Token[], body: string, sink: FeatureSink, origins = false): void {
  stamp = (stamp + 1) >>> 0
  if (stamp === 0) {
    seenStamp.fill(0)
    stamp = 1
  }
  const current = stamp
  emitFeatures(
    tokens,
    body,
    (index, origin) => {
      if (seenStamp[index] === current) return
      seenStamp[index] = current
      sink(index, origin)
    },
    origins,
  )
}

/** The distinct feature indices of a text. */
export function distinctFeatures(tokens: readonly Token[], body: string): number[] {
  const indices: number[] = []
  emitDistinctFeatures(tokens, body, (index) => indices.push(index))
  return indices
}
