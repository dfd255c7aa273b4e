import { MIN_STEM, type Token, normalizeEntry, tokenVariants, tokenize } from './screening.normalize.js'

export interface WordMatch {
  /** The list entry as the newsroom wrote it. */
  term: string
  /** The matched text as the commenter wrote it. */
  match: string
  start: number
  end: number
}

interface CompiledEntry {
  term: string
  words: string[]
}

/**
 * A word list compiled for matching: entries indexed by their first normalised word,
 * so a text is checked with a few hash lookups per word, whatever the list's length.
 */
export class WordList {
  private readonly byFirstWord = new Map<string, CompiledEntry[]>()

  /** @param minStem the shortest stem an ending is stripped to (see MIN_STEM). */
  constructor(
    entries: readonly string[],
    private readonly minStem = MIN_STEM,
  ) {
    for (const term of entries) {
      const words = normalizeEntry(term)
      if (words.length === 0) continue
      this.add({ term, words })
      // "kill yourself" written as one word ("killyourself", or joined by invisible characters).
      if (words.length > 1) this.add({ term, words: [words.join('')] })
    }
  }

  private add(entry: CompiledEntry) {
    const bucket = this.byFirstWord.get(entry.words[0]!) ?? []
    bucket.push(entry)
    this.byFirstWord.set(entry.words[0]!, bucket)
  }

  get size() {
    return this.byFirstWord.size
  }

  /** Every entry found on word boundaries, at most one match per entry. */
  findAll(text: string, tokens: Token[] = tokenize(text)): WordMatch[] {
    const found = new Map<string, WordMatch>()
    const variants = tokens.map((token) => tokenVariants(token, this.minStem))
    for (let i = 0; i < tokens.length; i++) {
      for (const variant of variants[i]!) {
        for (const entry of this.byFirstWord.get(variant) ?? []) {
          if (found.has(entry.term) || i + entry.words.length > tokens.length) continue
          let all = true
          for (let k = 1; k < entry.words.length && all; k++) all = variants[i + k]!.includes(entry.words[k]!)
          if (!all) continue
          let start = tokens[i]!.start
          let end = tokens[i + entry.words.length - 1]!.end
          const spans = tokens[i]!.letterSpans
          if (spans && entry.words.length === 1) {
            // Inside spread-out letters, point at the letters that spell the entry ("a s.t.u.p.i.d" → "s.t.u.p.i.d").
            const at = tokens[i]!.text.indexOf(variant)
            const from = at >= 0 ? [...tokens[i]!.text.slice(0, at)].length : -1
            if (from >= 0) {
              start = spans[from]![0]
              end = spans[from + [...variant].length - 1]![1]
            }
          }
          found.set(entry.term, { term: entry.term, match: text.slice(start, end), start, end })
        }
      }
    }
    return [...found.values()]
  }
}

const cache = new Map<string, WordList>()

/** Compiling a 2,000-entry list takes milliseconds; keep the last few compiled lists by content. */
export function compiledWordList(entries: readonly string[], minStem = MIN_STEM): WordList {
  const key = `${minStem}\u0000${entries.join('\u0000')}`
  let list = cache.get(key)
  if (!list) {
    if (cache.size >= 8) cache.delete(cache.keys().next().value!)
    list = new WordList(entries, minStem)
    cache.set(key, list)
  }
  return list
}
