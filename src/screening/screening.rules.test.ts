import { describe, expect, it } from 'vitest'
import { defaultSiteSettings } from '../settings/settings.schema.js'
import { prepareSubmission, runRules } from './screening.pipeline.js'
import { builtInRules, countLinks } from './screening.rules.js'
import type { ScreeningContext } from './screening.types.js'

function context(patch: Partial<ScreeningContext> = {}, settings: Partial<ScreeningContext['settings']> = {}): ScreeningContext {
  return {
    // The model has its own tests below; here each word and shape rule is seen alone.
    settings: { ...defaultSiteSettings(), moderationMode: 'post', modelEnabled: false, ...settings },
    mode: 'post',
    commenter: { status: 'normal', approvedCount: 3, rejectedCount: 0, verified: false },
    recentBodies: [],
    formAge: 20,
    ...patch,
  }
}

const screen = (body: string, ctx = context(), honeypot?: string) =>
  runRules(builtInRules, prepareSubmission({ authorName: 'Reader', body, honeypot, isReply: false }), ctx)

const rules = (body: string, ctx?: ScreeningContext, honeypot?: string) => screen(body, ctx, honeypot).reasons.map((r) => r.rule)

describe('built-in rules', () => {
  it('publishes a clean comment in post mode with no reasons', () => {
    expect(screen('A measured comment about the ceasefire talks.')).toEqual({ verdict: 'publish', reasons: [], flagged: false, risk: 0 })
  })

  it('holds everything in pre mode, without flagging it', () => {
    const decision = screen('A measured comment.', context({ mode: 'pre' }))
    expect(decision).toMatchObject({ verdict: 'hold', flagged: false })
    expect(decision.reasons.map((r) => r.rule)).toEqual(['moderation_mode'])
  })

  it('lets the strictest verdict win and keeps every reason', () => {
    const decision = screen('You stupid fuck', context({ mode: 'pre' }))
    expect(decision.verdict).toBe('reject')
    expect(decision.reasons.map((r) => r.rule).sort()).toEqual(['banned_word', 'moderation_mode', 'suspect_word'])
    expect(decision.flagged).toBe(true)
  })

  it('rejects a banned word in the name too', () => {
    const decision = runRules(
      builtInRules,
      prepareSubmission({ authorName: 'fuck you', body: 'hello', honeypot: undefined, isReply: false }),
      context(),
    )
    expect(decision.verdict).toBe('reject')
    expect(decision.reasons[0]).toMatchObject({ rule: 'banned_word', field: 'name' })
  })

  describe('links', () => {
    it('counts schemes, www. and bare domains', () => {
      expect(countLinks('see https://a.example/x and www.b.org and c-d.net/path')).toBe(3)
      expect(countLinks('e.g. the U.S. and Mr.Smith at 3.5 km')).toBe(0)
    })
    it('holds more than maxLinks', () => {
      expect(rules('a.com b.com', context({}, { maxLinks: 2 }))).toEqual([])
      expect(rules('a.com b.com c.com', context({}, { maxLinks: 2 }))).toEqual(['links'])
    })
    it('holds any link with holdLinks on', () => {
      expect(rules('source: reliefweb.int', context({}, { holdLinks: true }))).toEqual([])
      expect(rules('source: www.reliefweb.org', context({}, { holdLinks: true }))).toEqual(['links'])
    })
  })

  it('holds shouting and repetition but not short capitals or acronyms', () => {
    expect(rules('THE UN AND NATO MUST ACT NOW BEFORE IT IS TOO LATE')).toEqual(['shouting'])
    expect(rules('UN and NATO statements')).toEqual([])
    expect(rules('why why why why why why')).toEqual(['repetition'])
    expect(rules('Call now!!!!!!!!!!!!!!!!!!!!!!!!')).toEqual(['repetition'])
    expect(rules('Enough!!!!!!!!!!! Stop it.')).toEqual([])
    expect(rules('As I said.................... and ---------------------- $100,000,000,000')).toEqual([])
    expect(rules(`a${'a'.repeat(60)}`)).toEqual(['repetition'])
  })

  it('lets laughter, stretched words and emoji runs through', () => {
    for (const body of [
      'هههههههههههههههه والله صحيح',
      'هه هه هه هه هه هه هه',
      'hahahahahahahaha no way',
      'ha ha ha ha ha ha ha',
      'nooooooooooooo this cannot be true',
      'حراااااااااااام عليكم',
      '😂😂😂😂😂😂😂😂😂😂😂😂',
      '👏 👏 👏 👏 👏 👏 👏 👏',
      'lol lol lol lol lol lol',
    ]) {
      expect(rules(body), body).toEqual([])
    }
  })

  it('rejects the same words from the same commenter as a duplicate', () => {
    const decision = screen('Same   comment, again!', context({ recentBodies: ['same comment again'] }))
    expect(decision.verdict).toBe('reject')
    expect(decision.reasons.map((r) => r.rule)).toEqual(['duplicate'])
  })

  it('holds bots quietly: honeypot, a forged, missing, reused or stale token, too fast', () => {
    expect(rules('hello', context(), 'http://spam')).toEqual(['bot_honeypot'])
    for (const formAge of ['invalid', 'missing', 'reused', 'expired'] as const)
      expect(rules('hello', context({ formAge })), formAge).toEqual(['bot_form_token'])
    expect(rules('hello', context({ formAge: 0.4 }))).toEqual(['bot_too_fast'])
    expect(rules('hello', context({ formAge: 30 }))).toEqual([])
  })

  it("holds new commenters until enough comments were approved, counting only a verified writer's approvals", () => {
    const fresh = context(
      { commenter: { status: 'normal', approvedCount: 0, rejectedCount: 0, verified: true } },
      { premodNewCommenters: 1 },
    )
    expect(screen('hello', fresh)).toMatchObject({ verdict: 'hold', flagged: false })
    expect(
      rules(
        'hello',
        context({ commenter: { status: 'normal', approvedCount: 1, rejectedCount: 0, verified: true } }, { premodNewCommenters: 1 }),
      ),
    ).toEqual([])
    // Anyone can type an established reader's email: unproven, their history counts for nothing.
    expect(
      rules(
        'hello',
        context({ commenter: { status: 'normal', approvedCount: 40, rejectedCount: 0, verified: false } }, { premodNewCommenters: 1 }),
      ),
    ).toEqual(['new_commenter'])
    expect(rules('hello', context({ commenter: { status: 'normal', approvedCount: 0, rejectedCount: 0, verified: false } }))).toEqual([])
  })

  it('publishes verified trusted commenters unless a word rule fires', () => {
    const trusted = context({ mode: 'pre', commenter: { status: 'trusted', approvedCount: 0, rejectedCount: 0, verified: true } })
    expect(screen('LOOK AT www.a.com AND www.b.com AND www.c.com NOW PLEASE', trusted).verdict).toBe('publish')
    expect(screen('you idiot', trusted).verdict).toBe('hold')
    expect(screen('fuck this', trusted).verdict).toBe('reject')
  })

  it('lifts no rule for a trusted commenter whose email nobody verified', () => {
    const typedEmail = context({ mode: 'pre', commenter: { status: 'trusted', approvedCount: 12, rejectedCount: 0, verified: false } })
    expect(rules('LOOK AT www.a.com AND www.b.com AND www.c.com NOW PLEASE', typedEmail).sort()).toEqual(['links', 'moderation_mode'])
  })
})
