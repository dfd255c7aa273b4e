// Text normalisation for word matching. Pure and linear-time: one pass over the input,
// no backtracking regular expressions, so hostile input cannot make it hang.

/** Zero-width, bidi controls, soft hyphen, BOM, variation selectors: invisible, dropped. */
function isInvisible(cp: number): boolean {
  return (
    cp === 0x00ad ||
    cp === 0x034f ||
    cp === 0x061c ||
    cp === 0x180e ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0xfeff ||
    (cp >= 0xfe00 && cp <= 0xfe0f)
  )
}

/** Arabic tashkeel, Quranic marks and tatweel: removed before matching. */
function isArabicMark(cp: number): boolean {
  return (
    (cp >= 0x0610 && cp <= 0x061a) || (cp >= 0x064b && cp <= 0x065f) || cp === 0x0670 || (cp >= 0x06d6 && cp <= 0x06ed) || cp === 0x0640
  )
}

const LETTER_FOLDS: Record<string, string> = {
  // Arabic letter variants
  ٱ: 'ا',
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ى: 'ي',
  ة: 'ه',
  ی: 'ي',
  ک: 'ك',
  ؤ: 'و',
  ئ: 'ي',
  // Cyrillic look-alikes
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ɡ: 'g',
  һ: 'h',
  ӏ: 'l',
  ԛ: 'q',
  ԝ: 'w',
  // Greek look-alikes
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  μ: 'u',
  ς: 's',
  σ: 'o',
  // Latin oddities NFKC leaves alone
  ı: 'i',
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
}

/** Leetspeak, applied only inside tokens that also hold a letter, so "455 killed" stays a number. */
const LEET: Record<string, string> = { '1': 'i', '0': 'o', '3': 'e', '4': 'a', '@': 'a', $: 's', '5': 's', '7': 't', '!': 'i', '|': 'l' }

const LETTER = /\p{L}/u
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u

/** Characters that may hold a word together in obfuscation ("a$$", "sh!t", "@ss"). */
const isWordSymbol = (ch: string) => ch === '@' || ch === '$' || ch === '!' || ch === '|'

interface FoldedChar {
  ch: string
  /** Index range in the original string. */
  start: number
  end: number
}

// Folding a code point costs two Unicode normalisations; a comment repeats few distinct code points,
// so their folds are kept (bounded, since hostile text can bring many).
const foldCache = new Map<string, string>()

/** Folds one code point to zero or more matching characters. */
function foldCodePoint(raw: string): string {
  let folded = foldCache.get(raw)
  if (folded === undefined) {
    folded = foldUncached(raw)
    if (foldCache.size < 8192) foldCache.set(raw, folded)
  }
  return folded
}

function foldUncached(raw: string): string {
  const cp = raw.codePointAt(0)!
  if (isInvisible(cp) || isArabicMark(cp)) return ''
  // NFKC folds full-width and compatibility forms; NFD then splits accents (and Arabic hamza) off.
  let out = ''
  for (const part of raw.normalize('NFKC').toLowerCase().normalize('NFD')) {
    const pcp = part.codePointAt(0)!
    if (/\p{M}/u.test(part) || isInvisible(pcp) || isArabicMark(pcp)) continue
    out += LETTER_FOLDS[part] ?? part
  }
  // Recompose the Arabic letters NFD split (e.g. alef + hamza above dropped already leaves plain alef).
  return out
}

function fold(text: string): FoldedChar[] {
  const chars: FoldedChar[] = []
  let index = 0
  for (const raw of text) {
    const start = index
    index += raw.length
    const folded = foldCodePoint(raw)
    for (const ch of folded) chars.push({ ch, start, end: index })
  }
  return chars
}

export interface Token {
  /** The normalised word. */
  text: string
  start: number
  end: number
  arabic: boolean
  /** Built from letters spread out with separators; its words may be joined to neighbours ("a s t u p i d"). */
  spread: boolean
  /** For spread tokens: each letter's span in the original text. */
  letterSpans?: [number, number][]
}

const ARABIC_LETTER = /[\u0600-\u06ff\u0750-\u077f]/

/**
 * Splits text into normalised word tokens with their spans in the original text.
 * Letters spread out with single separators ("s.t.u.p.i.d", "s t u p i d") become one token.
 */
export function tokenize(text: string): Token[] {
  const chars = fold(text)
  const raw: { chars: FoldedChar[]; gapAfter: string }[] = []
  let current: FoldedChar[] = []
  let gap = ''
  const flush = () => {
    if (current.length > 0) raw.push({ chars: current, gapAfter: '' })
    current = []
  }
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    const nextIsWordChar = LETTER_OR_DIGIT.test(chars[i + 1]?.ch ?? '')
    // "sh!t" and "@ss" hold together; "a$$" may end in symbols, but "world!" ends before the "!".
    const inWord =
      LETTER_OR_DIGIT.test(c.ch) || (isWordSymbol(c.ch) && (nextIsWordChar || ((c.ch === '$' || c.ch === '@') && current.length > 0)))
    if (inWord) {
      if (current.length === 0 && raw.length > 0) raw[raw.length - 1]!.gapAfter = gap
      gap = ''
      current.push(c)
    } else {
      flush()
      gap += c.ch
    }
  }
  flush()

  const tokens: Token[] = []
  for (let i = 0; i < raw.length; i++) {
    // Spread-out letters: three or more one-letter tokens, each separated by one separator character.
    let j = i
    while (
      j < raw.length &&
      raw[j]!.chars.length === 1 &&
      LETTER.test(raw[j]!.chars[0]!.ch) &&
      (j === i || raw[j - 1]!.gapAfter.length === 1)
    )
      j++
    const run = j - i
    const group = run >= 3 ? raw.slice(i, j) : [raw[i]!]
    const groupChars = group.flatMap((g) => g.chars)
    tokens.push(toToken(groupChars, run >= 3))
    i += group.length - 1
  }
  return tokens
}

function toToken(chars: FoldedChar[], spread: boolean): Token {
  const hasLetter = chars.some((c) => LETTER.test(c.ch))
  const text = chars.map((c) => (hasLetter ? (LEET[c.ch] ?? c.ch) : c.ch)).join('')
  const token: Token = { text, start: chars[0]!.start, end: chars[chars.length - 1]!.end, arabic: ARABIC_LETTER.test(text), spread }
  if (spread) token.letterSpans = chars.map((c) => [c.start, c.end])
  return token
}

/** Longest spread-out run whose inner words are tried (bounds the work on hostile input). */
const MAX_SPREAD_SCAN = 40

const ARABIC_PREFIXES = ['وال', 'فال', 'بال', 'كال', 'لل', 'ال', 'و', 'ف', 'ب', 'ل', 'ك']

/** The vocative, often joined to the insult it calls out ("ياكلب"). */
const VOCATIVE = 'يا'

/**
 * Plural, dual and feminine endings and attached pronouns, longest first. Taa marbuta is already
 * folded to ه, so "حمارة" ends in ه like "حماره".
 */
const ARABIC_SUFFIXES = ['تين', 'تان', 'ات', 'ين', 'ون', 'ان', 'هم', 'هن', 'ها', 'كم', 'كن', 'نا', 'ه', 'ك', 'ي']

/**
 * A stem shorter than this is not stripped to: two-letter stems collide with too many words. Lists
 * that reject ask for four, since a three-letter insult is often a plural's stem too ("عرصات", courtyards).
 */
export const MIN_STEM = 3

function arabicForms(word: string, minStem: number): string[] {
  const forms = [word]
  const withoutPrefix: string[] = [word]
  if (word.startsWith(VOCATIVE) && word.length - VOCATIVE.length >= MIN_STEM) withoutPrefix.push(word.slice(VOCATIVE.length))
  for (const base of [...withoutPrefix]) {
    for (const prefix of ARABIC_PREFIXES) {
      // Prefixes strip while a stem of two letters remains, three for refusing lists ("بكس" is a van, not "كس").
      if (base.startsWith(prefix) && base.length - prefix.length >= minStem - 1) withoutPrefix.push(base.slice(prefix.length))
    }
  }
  for (const base of withoutPrefix) {
    forms.push(base)
    for (const suffix of ARABIC_SUFFIXES) {
      if (base.endsWith(suffix) && base.length - suffix.length >= minStem) {
        const stem = base.slice(0, -suffix.length)
        forms.push(stem)
        // The feminine plural replaces taa marbuta: "قحبات" is the plural of the listed "قحبة" (folded "قحبه").
        if (suffix === 'ات') forms.push(`${stem}ه`)
      }
    }
  }
  return forms
}

/** English plurals and -ed/-ing forms back to the listed word: "idiots", "retarded", "fucking", "hating". */
function englishForms(word: string, minStem: number): string[] {
  const forms = [word]
  const strip = (suffix: string, replacement = '') => {
    if (word.endsWith(suffix) && word.length - suffix.length >= minStem) forms.push(word.slice(0, -suffix.length) + replacement)
  }
  strip('s')
  strip('es')
  strip('ies', 'y')
  strip('ed')
  strip('d')
  strip('ing')
  strip('ing', 'e')
  strip('er')
  strip('ers')
  // A doubled final consonant before the ending: "scumming" → "scum".
  for (const ending of ['ing', 'ed', 'er', 'ers']) {
    const stem = word.slice(0, -ending.length)
    if (word.endsWith(ending) && stem.length > minStem && stem.at(-1) === stem.at(-2)) forms.push(stem.slice(0, -1))
  }
  return forms
}

/** Collapses every run of identical letters to at most `keep` letters. */
export function squeeze(word: string, keep: number): string {
  let out = ''
  let run = 0
  let previous = ''
  for (const ch of word) {
    run = ch === previous ? run + 1 : 1
    previous = ch
    if (run <= keep) out += ch
  }
  return out
}

const hasLongRun = (word: string) => {
  let run = 0
  let previous = ''
  for (const ch of word) {
    run = ch === previous ? run + 1 : 1
    previous = ch
    if (run >= 3) return true
  }
  return false
}

/**
 * The forms a text token may match a list entry by: itself, squeezed runs ("stuuupid"), Arabic words
 * without their attached prefixes, vocative and endings ("والغبي", "ياكلب", "حمير" is listed, "كلابهم"
 * → "كلاب"), and English words without plural and verb endings ("idiots" → "idiot").
 */
export function tokenVariants(token: Token, minStem = MIN_STEM): string[] {
  const variants = new Set([token.text])
  if (token.spread) {
    // Spread letters lose their word boundaries ("a s t u p i d"): any inner run of 3+ may be the word.
    const letters = [...token.text].slice(0, MAX_SPREAD_SCAN)
    for (let from = 0; from < letters.length; from++) {
      for (let to = from + 3; to <= letters.length; to++) variants.add(letters.slice(from, to).join(''))
    }
  }
  if (hasLongRun(token.text)) {
    variants.add(squeeze(token.text, 1))
    variants.add(squeeze(token.text, 2))
  }
  // Spread letters already try every inner run, which covers their stems.
  if (!token.spread) {
    for (const base of [...variants]) {
      for (const form of token.arabic ? arabicForms(base, minStem) : englishForms(base, minStem)) variants.add(form)
    }
  }
  return [...variants]
}

/** Normalises a word-list entry into the token texts it must match in sequence. */
export function normalizeEntry(entry: string): string[] {
  return tokenize(entry).map((t) => t.text)
}

/** A whole text reduced to its normalised words, for duplicate detection. */
export function normalizedWords(text: string): string {
  return tokenize(text)
    .map((t) => t.text)
    .join(' ')
}
