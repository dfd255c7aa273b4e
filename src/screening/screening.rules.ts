import type { ScreeningReason } from '../platform/db/database.js'
import { normalizedWords } from './screening.normalize.js'
import type { Rule, RuleResult, ScreeningContext } from './screening.types.js'
import { compiledWordList } from './screening.words.js'
import { detectLanguage } from './screening.features.js'
import { explain, scoreTokens } from './screening.model.js'
import { shippedModel } from './screening.shipped-model.js'
import { modelFor } from './screening.site-model.js'

const hold = (rule: string, message: string, extra: Partial<ScreeningReason> = {}): RuleResult => ({
  verdict: 'hold',
  reasons: [{ rule, verdict: 'hold', message, ...extra }],
})

/** Trust and a record of approvals count only for a writer who proved their email: anyone can type one. */
export const isTrusted = (context: ScreeningContext) => context.commenter.verified && context.commenter.status === 'trusted'
const provenApprovals = (context: ScreeningContext) => (context.commenter.verified ? context.commenter.approvedCount : 0)

/** Pre-moderation holds everything; trusted commenters skip it. */
export const moderationModeRule: Rule = (_s, context) =>
  context.mode === 'pre' && !isTrusted(context) ? hold('moderation_mode', 'Pre-moderation: every comment is reviewed') : null

/** Refusing is final, so a listed word's endings are only stripped down to a four-letter stem. */
const REJECT_MIN_STEM = 4

/** Banned words reject, with a message the writer sees; matching runs on normalised text. */
export const bannedWordsRule: Rule = (submission, context) => {
  const list = compiledWordList(context.settings.bannedWords, REJECT_MIN_STEM)
  const reasons: ScreeningReason[] = [
    ...list.findAll(submission.body, submission.tokens).map((m) => ({ ...m, field: 'body' as const })),
    ...list.findAll(submission.authorName).map((m) => ({ ...m, field: 'name' as const })),
  ].map((m) => ({
    rule: 'banned_word',
    verdict: 'reject',
    message: 'Contains a banned word', // for moderators, with the match; the writer is told by platform/i18n/i18n.reader.ts
    ...m,
  }))
  return reasons.length > 0 ? { verdict: 'reject', reasons } : null
}

/** Suspect words hold for a moderator; they may be innocent in context. */
export const suspectWordsRule: Rule = (submission, context) => {
  const matches = compiledWordList(context.settings.suspectWords).findAll(submission.body, submission.tokens)
  if (matches.length === 0) return null
  return {
    verdict: 'hold',
    reasons: matches.map((m) => ({
      rule: 'suspect_word',
      verdict: 'hold' as const,
      message: `Contains "${m.term}"`,
      field: 'body' as const,
      ...m,
    })),
  }
}

/** Below this risk nothing is worth pointing at, and explaining costs a second pass. */
const EXPLAIN_FROM = 0.3

const twoDecimals = (x: number) => Math.round(x * 100) / 100

/**
 * The abuse model: its risk is recorded on every comment (the queue is ordered by it); at the hold
 * threshold the comment waits, at the reject threshold (off by default) it is refused. Trusted
 * commenters are scored but not held.
 */
export const modelRule: Rule = (submission, context) => {
  const { settings } = context
  if (!settings.modelEnabled) return null
  const shipped = shippedModel()
  // The site's model where it covers the comment's language, the shipped model otherwise.
  const model = modelFor(shipped, context.siteModel ?? null, detectLanguage(submission.tokens))
  const { risk } = scoreTokens(model, submission.tokens, submission.body)
  const score = twoDecimals(risk)
  let verdict: ScreeningReason['verdict'] = 'publish'
  if (!isTrusted(context)) {
    if (settings.modelRejectThreshold !== null && risk >= settings.modelRejectThreshold) verdict = 'reject'
    else if (risk >= settings.modelHoldThreshold) verdict = 'hold'
  }
  const message =
    verdict === 'reject'
      ? `Your comment reads as abusive (${score.toFixed(2)}) and was not published. Please rephrase it.`
      : verdict === 'hold'
        ? `Likely abusive (${score.toFixed(2)})`
        : `Abuse risk ${score.toFixed(2)}`
  // A site model says so: the desk sees which of its versions held the comment.
  const by = model === shipped || verdict === 'reject' ? '' : ` by the site model ${model.version}`
  const reason: ScreeningReason = { rule: 'model_abuse', verdict, message: `${message}${by}`, score, field: 'body', model: model.version }
  if (risk >= EXPLAIN_FROM) reason.spans = explain(model, submission.tokens, submission.body)
  return { verdict, reasons: [reason] }
}

const COMMON_TLDS =
  'com|net|org|info|biz|ru|io|co|xyz|top|site|online|me|tv|ly|gl|app|dev|club|shop|store|live|link|click|win|bid|loan|vip|pro|us|uk|de|fr|cn|tk|ml|ga|cf|gq|su|ws|cc|ir|sy|tr|ae|sa|eg'
// Bounded quantifiers and no nested repetition: linear on any input.
const LINK = new RegExp(
  String.raw`(?:https?://|www\.)[^\s]{1,2048}|\b[a-z0-9][a-z0-9-]{0,62}\.(?:${COMMON_TLDS})\b(?:/[^\s]{0,2048})?`,
  'giu',
)

export function countLinks(text: string): number {
  return text.match(LINK)?.length ?? 0
}

/** Links: any link when holdLinks is on, or more than maxLinks. */
export const linksRule: Rule = (submission, context) => {
  if (isTrusted(context)) return null
  const count = countLinks(submission.body.normalize('NFKC'))
  if (count === 0) return null
  if (context.settings.holdLinks) return hold('links', count === 1 ? 'Contains a link' : `Contains ${count} links`, { score: count })
  if (count > context.settings.maxLinks)
    return hold('links', `Contains ${count} links (more than ${context.settings.maxLinks})`, { score: count })
  return null
}

/** Laughter written out ("ههههه", "هههه هه", "hahaha", "lol"): a reaction, not flooding. */
const LAUGHTER = /^(?:ه+|(?:ha|he|hi|ja|ka|ah)+h?|lo+l|x+d+)$/u

/** Emoji, digits, ellipses and separator lines ("-----", "....."): runs of these are how people write. */
const isQuietRun = (ch: string) => /[\p{Extended_Pictographic}\p{N}.\-_=*~\u2014\u2500]/u.test(ch)

/** "Enough!!!!!!!!!!!" is emphasis; twenty of the same mark in a row is a flood. */
const FLOOD_SYMBOL_RUN = 20

/** Letters stretched this far are no longer a stretched word but a flood. */
const FLOOD_LETTER_RUN = 50

/**
 * Mostly capitals, or flooding: a run of the same symbol, or the same word over and over. Stretched
 * words, laughter and emoji runs are how people write, not spam, and pass.
 */
export const shoutingRule: Rule = (submission, context) => {
  if (isTrusted(context)) return null
  let letters = 0
  let upper = 0
  let run = 1
  let longestSymbolRun = 1
  let longestLetterRun = 1
  let previous = ''
  for (const ch of submission.body) {
    const isLetter = ch.toLowerCase() !== ch.toUpperCase() || /\p{L}/u.test(ch)
    if (ch === previous && ch.trim() !== '') {
      run++
      if (isLetter) longestLetterRun = Math.max(longestLetterRun, run)
      else if (!isQuietRun(ch)) longestSymbolRun = Math.max(longestSymbolRun, run)
    } else run = 1
    previous = ch
    if (ch.toLowerCase() !== ch.toUpperCase()) {
      letters++
      if (ch === ch.toUpperCase()) upper++
    }
  }
  if (letters >= 20 && upper / letters > 0.7) {
    return hold('shouting', 'Written mostly in capitals', { score: Math.round((upper / letters) * 100) / 100 })
  }
  if (longestSymbolRun >= FLOOD_SYMBOL_RUN)
    return hold('repetition', `The same character ${longestSymbolRun} times in a row`, { score: longestSymbolRun })
  if (longestLetterRun >= FLOOD_LETTER_RUN)
    return hold('repetition', `The same letter ${longestLetterRun} times in a row`, { score: longestLetterRun })
  let repeats = 1
  const tokens = submission.tokens
  for (let i = 1; i < tokens.length; i++) {
    const word = tokens[i]!.text
    const counts = word === tokens[i - 1]!.text && [...word].length >= 2 && !LAUGHTER.test(word)
    repeats = counts ? repeats + 1 : 1
    if (repeats >= 6) return hold('repetition', `The word "${word}" repeated ${repeats} times`, { score: repeats })
  }
  return null
}

/** The same words from the same commenter within the window: a repost, not a new comment. */
export const duplicateRule: Rule = (submission, context) => {
  if (context.recentBodies.length === 0) return null
  const words = normalizedWords(submission.body)
  return context.recentBodies.some((body) => normalizedWords(body) === words)
    ? { verdict: 'reject', reasons: [{ rule: 'duplicate', verdict: 'reject', message: 'You already posted this comment' }] }
    : null
}

/** Honeypot and form timing: bots are held quietly as spam, the poster only sees "awaiting moderation". */
export const botRule: Rule = (submission, context) => {
  if (submission.honeypot && submission.honeypot.trim() !== '') return hold('bot_honeypot', 'Filled in the hidden field (likely a bot)')
  if (context.formAge === 'invalid') return hold('bot_form_token', 'The form token was forged or belongs to another article')
  // The widget always sends a fresh token: a post without one, or with a used or stale one, did not come from it.
  if (context.formAge === 'missing') return hold('bot_form_token', 'Posted without a form token')
  if (context.formAge === 'reused') return hold('bot_form_token', 'The form token was already used for another post')
  if (context.formAge === 'expired') return hold('bot_form_token', 'The form token is more than a day old')
  if (typeof context.formAge === 'number' && context.formAge < context.settings.minSecondsToPost) {
    return hold('bot_too_fast', `Posted ${context.formAge.toFixed(1)} s after the form was served`, { score: context.formAge })
  }
  return null
}

/** New commenters wait until enough of their comments were approved. */
export const newCommenterRule: Rule = (_s, context) =>
  !isTrusted(context) && provenApprovals(context) < context.settings.premodNewCommenters
    ? hold(
        'new_commenter',
        `New commenter: ${provenApprovals(context)} of ${context.settings.premodNewCommenters} comments approved so far`,
      )
    : null

/** The fixed order the pipeline runs; the strictest verdict wins and every reason is kept. */
export const builtInRules: readonly Rule[] = [
  duplicateRule,
  bannedWordsRule,
  suspectWordsRule,
  modelRule,
  botRule,
  linksRule,
  shoutingRule,
  newCommenterRule,
  moderationModeRule,
]
