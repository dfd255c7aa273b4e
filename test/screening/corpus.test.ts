import { describe, expect, it } from 'vitest'
import { corpus } from './corpus.js'
import { decide, evaluate } from './evaluate.js'

describe('the labelled screening corpus', () => {
  it('has at least 300 comments in English and Arabic', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300)
    expect(corpus.filter((e) => /[\u0600-\u06ff]/.test(e.text)).length).toBeGreaterThanOrEqual(100)
  })

  it.each(corpus.map((entry, i) => [i, entry.category, entry.label, entry] as const))('#%i %s → %s', (_i, _category, label, entry) => {
    expect(decide(entry)).toBe(label)
  })

  it('keeps precision and recall of every verdict at 0.95 or better over a corpus with at least 50 of each', () => {
    const { scores } = evaluate()
    expect(scores.map((s) => s.verdict)).toEqual(['publish', 'hold', 'reject'])
    for (const s of scores) {
      expect(s.support, s.verdict).toBeGreaterThan(50)
      expect(s.precision, `${s.verdict} precision`).toBeGreaterThanOrEqual(0.95)
      expect(s.recall, `${s.verdict} recall`).toBeGreaterThanOrEqual(0.95)
    }
  })
})
