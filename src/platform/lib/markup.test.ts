import { describe, expect, it } from 'vitest'
import { escapeMarkup } from './markup.js'

describe('escapeMarkup', () => {
  it('escapes the five characters markup gives a meaning, in text and in quoted attributes', () => {
    expect(escapeMarkup(`Tom & "Jerry" <script> 'x'`)).toBe('Tom &amp; &quot;Jerry&quot; &lt;script&gt; &#39;x&#39;')
  })

  it('leaves other text, Arabic and entities already spelled out, as it is but for their ampersand', () => {
    expect(escapeMarkup('مرحبا — ok')).toBe('مرحبا — ok')
    expect(escapeMarkup('&amp;')).toBe('&amp;amp;')
  })
})
