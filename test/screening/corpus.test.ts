import { describe, expect, it } from 'vitest'
import { corpus } from './corpus.js'
import { decide, evaluate } from './evaluate.js'

describe('the labelled screening corpus', () => {
  it('has at least 300 comments in English and Arabic', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300)
    expect(corpus.filter((e) => /[\u0600-\u06ff]/.test(e.text)).length).toBeGreaterThanOrEqual(100)
  })

  it.each(corpus.map((entry, i) => [i, entry.category, entry.label, entry] as const))(
    '#%i %s → %s',
    (_i, _category, label, entry) => {
      expect(decide(entry)).toBe(label)
    },
  )

  it('evaluates precision and recall for every verdict', () => {
    const { scores } = evaluate()
    expect(scores.map((s) => s.verdict)).toEqual(['publish', 'hold', 'reject'])
    for (const s of scores) expect(s.support).toBeGreaterThan(50)
  })
})
