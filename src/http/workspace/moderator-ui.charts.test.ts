import { describe, expect, it } from 'vitest'
import { HorizontalBarChart, LineChart, StackedBarChart, duration, niceDuration, niceMax, shortDate } from './moderator-ui.charts.js'

/** A chart's markup as the page receives it: nothing in a chart waits, so it is a string at once. */
function render(chart: { toString(): string | Promise<string> }): string {
  const markup = chart.toString()
  if (typeof markup !== 'string') throw new TypeError('a chart rendered asynchronously')
  return markup
}

const text = { id: 'c', title: 'Comments per day', desc: '3 comments' }
const rects = (svg: string) =>
  [
    ...svg.matchAll(/<rect class="bar series-(\w+)"[^>]*data-value="(\d+)" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g),
  ].map((m) => ({ series: m[1], value: Number(m[2]), y: Number(m[4]), height: Number(m[6]) }))

describe('server-drawn charts', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 10, 11, 240, 4680].map(niceMax)).toEqual([1, 1, 5, 10, 10, 20, 500, 5000])
  })

  it('labels a waiting-time axis linearly: its half and its top read exactly (issue 22, bug 11)', () => {
    const svg = render(
      LineChart({
        text,
        series: [{ key: 'median', label: 'Median' }],
        rows: [
          { label: '2026-11-18', values: { median: 100 } },
          { label: '2026-11-19', values: { median: 170 } },
        ],
        format: duration,
        niceTop: niceDuration,
      }),
    )
    const labels = [...svg.matchAll(/<text class="axis" x="66"[^>]*>([^<]+)</g)].map((m) => m[1])
    expect(labels).toEqual(['0 s', '2 min', '4 min'])
    expect([0, 45, 170, 3601, 90_000, 1_500_000].map(niceDuration)).toEqual([10, 60, 240, 7200, 172_800, 1_728_000])
  })

  it('keeps a reason such as “Screening: banned word” whole beside its bar', () => {
    const svg = render(HorizontalBarChart({ text, rows: [{ label: 'Screening: banned word', value: 3 }] }))
    expect(svg).toContain('>Screening: banned word</text>')
  })

  it("stacks a day's series from the baseline, heights in proportion, and leaves out zeros", () => {
    const svg = render(
      StackedBarChart({
        text,
        series: [
          { key: 'approved', label: 'Approved' },
          { key: 'pending', label: 'Pending' },
        ],
        rows: [
          { label: '2026-11-18', values: { approved: 4, pending: 1 } },
          { label: '2026-11-19', values: { approved: 0, pending: 0 } },
        ],
      }),
    )
    const bars = rects(svg)
    expect(bars.map((b) => [b.series, b.value])).toEqual([
      ['approved', 4],
      ['pending', 1],
    ])
    expect(bars[0]!.height / bars[1]!.height).toBeCloseTo(4)
    // The pending segment sits on top of the approved one.
    expect(bars[1]!.y + bars[1]!.height).toBeCloseTo(bars[0]!.y)
    expect(svg).toContain('<title>2026-11-18: 4 approved</title>')
    expect(svg).toMatch(
      /^<svg class="chart" id="c" viewBox="0 0 640 260" role="img" aria-labelledby="c-title c-desc"><title id="c-title">Comments per day<\/title><desc id="c-desc">3 comments<\/desc>/,
    )
  })

  it("draws shares of each day's own total when normalised", () => {
    const svg = render(
      StackedBarChart({
        text,
        series: [
          { key: 'held', label: 'Held' },
          { key: 'rejected', label: 'Rejected' },
        ],
        rows: [{ label: 'd', values: { held: 1, rejected: 3 } }],
        normalize: true,
      }),
    )
    const [held, rejected] = rects(svg)
    expect(held!.height + rejected!.height).toBeCloseTo(218) // the full plot height
    expect(svg).toContain('3 rejected of 4 (75%)')
    expect(svg).toContain('>100%</text>')
  })

  it('breaks a line where a day has no value and still marks a lone value with a dot', () => {
    const svg = render(
      LineChart({
        text,
        series: [{ key: 'median', label: 'Median' }],
        rows: [
          { label: 'a', values: { median: 60 } },
          { label: 'b', values: { median: null } },
          { label: 'c', values: { median: 120 } },
          { label: 'd', values: { median: 180 } },
        ],
        format: duration,
      }),
    )
    expect(svg.match(/<polyline/g)).toHaveLength(1)
    expect(svg.match(/<circle/g)).toHaveLength(3)
    expect(svg).toContain('<title>a: median 1 min</title>')
  })

  it('labels horizontal bars and escapes every text it is given', () => {
    const svg = render(
      HorizontalBarChart({ text: { id: `x"y'`, title: '<b>', desc: 'a & b' }, rows: [{ label: `Tom & "Jerry" <script> 'x'`, value: 3 }] }),
    )
    expect(svg).not.toContain('<script>')
    expect(svg).not.toContain('<b>')
    expect(svg).toContain('id="x&quot;y&#39;"')
    expect(svg).toContain('<desc id="x&quot;y&#39;-desc">a &amp; b</desc>')
    expect(svg).toContain('Tom &amp; &quot;Jerry&quot; &lt;script&gt; &#39;x&#39;')
  })

  it('says dates and durations as people read them', () => {
    expect(shortDate('2026-11-08')).toBe('8 Nov')
    expect([45, 600, 5400, 3 * 86_400].map(duration)).toEqual(['45 s', '10 min', '1.5 h', '3 d'])
  })
})
