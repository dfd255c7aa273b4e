// Charts for the overview, drawn on the server as SVG: they need no script, print, and read the same
// everywhere. Components from figures to markup; JSX escapes every text in them. Colours come from the
// workspace's stylesheet by class (`series-<key>`), so they follow its light and dark themes. Text is
// sized in the chart's own units, and the stylesheet enlarges it on a phone, where the chart shrinks to
// the screen's width. Each chart is an image with a title and a description that states its figures;
// the page also gives the same figures as a table.
import type { Child } from 'hono/jsx'

export interface Series {
  key: string
  label: string
}

export interface ChartText {
  /** Unique on the page: the title and description are referenced by it. */
  id: string
  title: string
  desc: string
}

const WIDTH = 640
const HEIGHT = 260
const PAD = { top: 12, right: 12, bottom: 30, left: 72 }
const PLOT_W = WIDTH - PAD.left - PAD.right
const PLOT_H = HEIGHT - PAD.top - PAD.bottom

const n2 = (v: number) => String(Math.round(v * 100) / 100)

/** A round number at or above `max` (1, 2 or 5 times a power of ten), so the axis reads easily. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1
  const power = 10 ** Math.floor(Math.log10(max))
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power
  return 10 * power
}

/**
 * A top for an axis of durations whose half and top both read exactly as `duration` writes them: 200 s
 * would be labelled "2 min" at its half and "3 min" at its top, an axis that reads as not linear.
 */
const DURATION_TOPS = [10, 20, 30, 60, 120, 240, 600, 1200, 1800, 3600, 7200, 14_400, 28_800, 43_200, 86_400, 172_800, 345_600, 864_000]
export function niceDuration(max: number): number {
  for (const top of DURATION_TOPS) if (top >= max) return top
  return niceMax(max / 86_400) * 86_400
}

function Chart(props: { text: ChartText; height?: number; children?: Child }) {
  const { id, title, desc } = props.text
  return (
    <svg class="chart" id={id} viewBox={`0 0 ${WIDTH} ${props.height ?? HEIGHT}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {props.children}
    </svg>
  )
}

/** Horizontal grid lines with their values at 0, half and the top. */
function YAxis(props: { top: number; format: (v: number) => string }) {
  return (
    <>
      {[0, props.top / 2, props.top].map((v) => {
        const y = n2(PAD.top + PLOT_H - (v / props.top) * PLOT_H)
        return (
          <>
            <line class="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y} y2={y} />
            <text class="axis" x={PAD.left - 6} y={y} text-anchor="end" dominant-baseline="middle">
              {props.format(v)}
            </text>
          </>
        )
      })}
    </>
  )
}

/** At most about eight labels under the bars, counted back from the last day (today is always named). */
function XLabels(props: { labels: string[]; centreOf: (i: number) => number }) {
  const every = Math.max(1, Math.ceil(props.labels.length / 8))
  return (
    <>
      {props.labels.map(
        (label, i) =>
          (props.labels.length - 1 - i) % every === 0 && (
            <text class="axis" x={n2(props.centreOf(i))} y={HEIGHT - 8} text-anchor="middle">
              {label}
            </text>
          ),
      )}
    </>
  )
}

/**
 * Stacked bars, one per row (a day), one segment per series. With `normalize` each bar shows shares
 * of its own total (a 100% bar), for "what part of the day's comments…".
 */
export function StackedBarChart(props: {
  text: ChartText
  series: Series[]
  rows: { label: string; values: Record<string, number> }[]
  normalize?: boolean
  axisLabel?: (row: string) => string
}) {
  const { series, rows, normalize } = props
  const totals = rows.map((r) => series.reduce((sum, s) => sum + (r.values[s.key] ?? 0), 0))
  const top = normalize ? 1 : niceMax(Math.max(0, ...totals))
  const format = normalize ? (v: number) => `${Math.round(v * 100)}%` : (v: number) => String(v)
  const slot = PLOT_W / Math.max(1, rows.length)
  const barW = Math.max(1, slot * 0.75)
  const bar = (row: (typeof rows)[number], i: number) => {
    const total = totals[i]!
    const x = PAD.left + i * slot + (slot - barW) / 2
    let y = PAD.top + PLOT_H
    return series.map((s) => {
      const value = row.values[s.key] ?? 0
      if (value <= 0 || (normalize && total === 0)) return null
      const h = ((normalize ? value / total : value) / top) * PLOT_H
      y -= h
      const said = normalize
        ? `${value} ${s.label.toLowerCase()} of ${total} (${Math.round((value / total) * 100)}%)`
        : `${value} ${s.label.toLowerCase()}`
      return (
        <rect class={`bar series-${s.key}`} data-series={s.key} data-value={value} x={n2(x)} y={n2(y)} width={n2(barW)} height={n2(h)}>
          <title>{`${row.label}: ${said}`}</title>
        </rect>
      )
    })
  }
  return (
    <Chart text={props.text}>
      <YAxis top={top} format={format} />
      {rows.map((row, i) => (
        <g class="day" data-label={row.label}>
          {bar(row, i)}
        </g>
      ))}
      <XLabels labels={rows.map((r) => props.axisLabel?.(r.label) ?? r.label)} centreOf={(i) => PAD.left + i * slot + slot / 2} />
    </Chart>
  )
}

/**
 * Lines over days, one per series; a day without a value breaks the line (nothing was decided then),
 * and every value is also a dot with its figure as a tooltip.
 */
export function LineChart(props: {
  text: ChartText
  series: Series[]
  rows: { label: string; values: Record<string, number | null> }[]
  format: (v: number) => string
  axisLabel?: (row: string) => string
  /** The axis's top for the largest value; its half must read exactly in `format` (see niceDuration). */
  niceTop?: (max: number) => number
}) {
  const { series, rows, format } = props
  const all = rows.flatMap((r) => series.map((s) => r.values[s.key])).filter((v): v is number => typeof v === 'number')
  const top = (props.niceTop ?? niceMax)(Math.max(0, ...all))
  const slot = PLOT_W / Math.max(1, rows.length)
  const xOf = (i: number) => PAD.left + i * slot + slot / 2
  const yOf = (v: number) => PAD.top + PLOT_H - (v / top) * PLOT_H
  const line = (s: Series) => {
    const runs: string[][] = [[]]
    const dots: Child[] = []
    rows.forEach((row, i) => {
      const v = row.values[s.key]
      if (typeof v !== 'number') {
        if (runs[runs.length - 1]!.length > 0) runs.push([])
        return
      }
      runs[runs.length - 1]!.push(`${n2(xOf(i))},${n2(yOf(v))}`)
      dots.push(
        <circle class={`dot series-${s.key}`} data-series={s.key} data-value={v} cx={n2(xOf(i))} cy={n2(yOf(v))} r="3.5">
          <title>{`${row.label}: ${s.label.toLowerCase()} ${format(v)}`}</title>
        </circle>,
      )
    })
    return (
      <g class="series" data-series={s.key}>
        {runs
          .filter((r) => r.length > 1)
          .map((r) => (
            <polyline class={`line series-${s.key}`} points={r.join(' ')} />
          ))}
        {dots}
      </g>
    )
  }
  return (
    <Chart text={props.text}>
      <YAxis top={top} format={format} />
      {series.map(line)}
      <XLabels labels={rows.map((r) => props.axisLabel?.(r.label) ?? r.label)} centreOf={xOf} />
    </Chart>
  )
}

/** What a bar's label holds before it is cut (its full text is in the bar's title and the table). */
const LABEL_CHARS = 28

/** One horizontal bar per row, largest first as given, with its label and figure beside it. */
export function HorizontalBarChart(props: { text: ChartText; rows: { label: string; value: number; series?: string }[] }) {
  const rowH = 30
  const labelW = 250
  const top = niceMax(Math.max(0, ...props.rows.map((r) => r.value)))
  const room = WIDTH - labelW - 60
  return (
    <Chart text={props.text} height={Math.max(1, props.rows.length) * rowH + 8}>
      {props.rows.map((row, i) => {
        const y = 4 + i * rowH
        const w = (row.value / top) * room
        return (
          <g class="row" data-label={row.label} data-value={row.value}>
            <text class="label" x={labelW - 8} y={y + rowH / 2} text-anchor="end" dominant-baseline="middle">
              {row.label.length > LABEL_CHARS ? `${row.label.slice(0, LABEL_CHARS - 1)}…` : row.label}
            </text>
            <rect
              class={`bar series-${row.series ?? 'total'}`}
              x={labelW}
              y={y + 4}
              width={n2(Math.max(w, row.value > 0 ? 2 : 0))}
              height={rowH - 8}
            >
              <title>{`${row.label}: ${row.value}`}</title>
            </rect>
            <text class="figure" x={n2(labelW + w + 6)} y={y + rowH / 2} dominant-baseline="middle">
              {row.value}
            </text>
          </g>
        )
      })}
    </Chart>
  )
}

/** "2026-11-18" → "18 Nov", for axis labels. */
export function shortDate(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`)
  return `${d.getUTCDate()} ${d.toLocaleString('en', { month: 'short', timeZone: 'UTC' })}`
}

/** Seconds as a person reads a wait: "45 s", "12 min", "3.5 h", "2.1 d". */
export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`
  if (seconds < 86_400) return `${n1(seconds / 3600)} h`
  return `${n1(seconds / 86_400)} d`
}

const n1 = (v: number) => String(Math.round(v * 10) / 10)
