// The overview page: five charts drawn on the server, each followed by its figures as a table, so the
// page reads the same with or without JavaScript and to a screen reader.
import type { Child } from 'hono/jsx'
import { OVERVIEW_PERIODS, type Overview } from '../../moderation/moderation.overview.js'
import { HorizontalBarChart, LineChart, type Series, StackedBarChart, duration, niceDuration, shortDate } from './moderator-ui.charts.js'
import { Layout, type Viewer } from './moderator-ui.layout.js'

const STATUS_SERIES: Series[] = [
  { key: 'approved', label: 'Approved' },
  { key: 'pending', label: 'Pending' },
  { key: 'rejected', label: 'Rejected' },
]
const WAIT_SERIES: Series[] = [
  { key: 'median', label: 'Median' },
  { key: 'p90', label: '90th percentile' },
]
const SCREENING_SERIES: Series[] = [
  { key: 'published', label: 'Published' },
  { key: 'held', label: 'Held' },
  { key: 'rejected', label: 'Rejected' },
]

const REASON_LABELS: Record<string, string> = {
  spam: 'Spam',
  abuse: 'Abuse',
  off_topic: 'Off topic',
  misinformation: 'Misinformation',
  other: 'Other',
  commenter_banned: 'Commenter banned',
  unspecified: 'No reason given',
  'screening:shadow_ban': 'Shadow-banned writer',
  'screening:not_recorded': 'Screening: rule not kept',
}

export const reasonLabel = (reason: string) =>
  REASON_LABELS[reason] ??
  (reason.startsWith('screening:') ? `Screening: ${reason.slice('screening:'.length).replaceAll('_', ' ')}` : reason)

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

function Legend(props: { series: Series[] }) {
  return (
    <ul class="legend">
      {props.series.map((s) => (
        <li>
          <span class={`swatch series-${s.key}`} aria-hidden="true" />
          {s.label}
        </li>
      ))}
    </ul>
  )
}

function Figures(props: { caption: string; head: string[]; rows: Child[][] }) {
  return (
    <details>
      <summary>{props.caption} as a table</summary>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((cells) => (
            <tr>{cells.map((cell, i) => (i === 0 ? <th scope="row">{cell}</th> : <td>{cell}</td>))}</tr>
          ))}
        </tbody>
      </table>
    </details>
  )
}

/** One section of the overview: the figures, and the period they cover in words. */
interface SectionProps {
  o: Overview
  period: string
}

export function OverviewPage(props: { viewer: Viewer; overview: Overview }) {
  const o = props.overview
  const period = `${o.from} to ${o.to}`
  return (
    <Layout title="Overview" viewer={props.viewer}>
      <h1>Overview</h1>
      <form class="period" method="get" action="/moderate/overview">
        <label for="days">Period</label>
        <select id="days" name="days">
          {OVERVIEW_PERIODS.map((d) => (
            <option value={String(d)} selected={d === o.days}>
              Last {d} days
            </option>
          ))}
        </select>
        <button type="submit">Show</button>
        <span class="hint">{period} (UTC)</span>
      </form>
      <PerDaySection o={o} period={period} />
      <WaitingSection o={o} period={period} />
      <ReasonsSection o={o} period={period} />
      <BusiestArticlesSection o={o} period={period} />
      <ScreeningSection o={o} period={period} />
    </Layout>
  )
}

function PerDaySection({ o, period }: SectionProps) {
  const totals = {
    approved: sum(o.perDay.map((d) => d.approved)),
    pending: sum(o.perDay.map((d) => d.pending)),
    rejected: sum(o.perDay.map((d) => d.rejected)),
  }
  const total = totals.approved + totals.pending + totals.rejected
  return (
    <section aria-labelledby="per-day-h">
      <h2 id="per-day-h">Comments per day</h2>
      <p>
        {total} comments written: {totals.approved} approved, {totals.pending} pending, {totals.rejected} rejected (their status now).
      </p>
      <Legend series={STATUS_SERIES} />
      <StackedBarChart
        text={{
          id: 'chart-per-day',
          title: `Comments per day by status, ${period}`,
          desc: `${total} comments: ${totals.approved} approved, ${totals.pending} pending, ${totals.rejected} rejected.`,
        }}
        series={STATUS_SERIES}
        rows={o.perDay.map((d) => ({ label: d.date, values: { approved: d.approved, pending: d.pending, rejected: d.rejected } }))}
        axisLabel={shortDate}
      />
      <Figures
        caption="Comments per day"
        head={['Day', 'Approved', 'Pending', 'Rejected']}
        rows={o.perDay.map((d) => [d.date, d.approved, d.pending, d.rejected])}
      />
    </section>
  )
}

function WaitingSection({ o, period }: SectionProps) {
  const w = o.waiting.overall
  const waitText =
    w.decided === 0
      ? 'No waiting comment was decided in this period.'
      : `${w.decided} waiting comments decided; median wait ${duration(w.medianSeconds!)}, 90th percentile ${duration(w.p90Seconds!)}.`
  return (
    <section aria-labelledby="waiting-h">
      <h2 id="waiting-h">Waiting time in the queue</h2>
      <p>{waitText} From a comment's arrival to a moderator's first decision on it, by the day of the decision.</p>
      <Legend series={WAIT_SERIES} />
      <LineChart
        text={{ id: 'chart-waiting', title: `Waiting time per day, median and 90th percentile, ${period}`, desc: waitText }}
        series={WAIT_SERIES}
        rows={o.waiting.perDay.map((d) => ({ label: d.date, values: { median: d.medianSeconds, p90: d.p90Seconds } }))}
        format={duration}
        niceTop={niceDuration}
        axisLabel={shortDate}
      />
      <Figures
        caption="Waiting time per day"
        head={['Day', 'Decided', 'Median', '90th percentile']}
        rows={o.waiting.perDay.map((d) => [
          d.date,
          d.decided,
          d.medianSeconds === null ? '—' : duration(d.medianSeconds),
          d.p90Seconds === null ? '—' : duration(d.p90Seconds),
        ])}
      />
    </section>
  )
}

function ReasonsSection({ o, period }: SectionProps) {
  const rejections = sum(o.reasons.map((r) => r.count))
  return (
    <section aria-labelledby="reasons-h">
      <h2 id="reasons-h">Rejections by reason</h2>
      {o.reasons.length === 0 ? (
        <p>No comment was rejected in this period.</p>
      ) : (
        <>
          <p>
            {rejections} rejections, by moderators' reasons and by the screening rule that refused a comment on arrival. “Shadow-banned
            writer”: comments of a shadow-banned commenter, shown to them only. “Rule not kept”: the comment was erased or imported, and the
            screening reasons went with it.
          </p>
          <HorizontalBarChart
            text={{
              id: 'chart-reasons',
              title: `Rejections by reason, ${period}`,
              desc: o.reasons.map((r) => `${reasonLabel(r.reason)}: ${r.count}`).join('; '),
            }}
            rows={o.reasons.map((r) => ({
              label: reasonLabel(r.reason),
              value: r.count,
              series: r.source === 'screening' ? 'screening' : 'rejected',
            }))}
          />
          <Figures
            caption="Rejections by reason"
            head={['Reason', 'By', 'Rejections']}
            rows={o.reasons.map((r) => [reasonLabel(r.reason), r.source, r.count])}
          />
        </>
      )}
    </section>
  )
}

function BusiestArticlesSection({ o, period }: SectionProps) {
  return (
    <section aria-labelledby="articles-h">
      <h2 id="articles-h">Busiest articles</h2>
      {o.busiestArticles.length === 0 ? (
        <p>No comments in this period.</p>
      ) : (
        <>
          <HorizontalBarChart
            text={{
              id: 'chart-articles',
              title: `Articles with the most comments, ${period}`,
              desc: o.busiestArticles.map((a) => `${a.title ?? a.articleId}: ${a.comments}`).join('; '),
            }}
            rows={o.busiestArticles.map((a) => ({ label: a.title ?? a.articleId, value: a.comments, series: 'total' }))}
          />
          <table class="busiest">
            <caption>Articles with the most comments written in the period</caption>
            <thead>
              <tr>
                <th scope="col">Article</th>
                <th scope="col">Comments</th>
                <th scope="col">Pending</th>
                <th scope="col">Queue</th>
              </tr>
            </thead>
            <tbody>
              {o.busiestArticles.map((a) => (
                <tr>
                  <th scope="row">
                    <a href={`/moderate/articles/${encodeURIComponent(a.articleId)}`} dir="auto">
                      {a.title ?? a.articleId}
                    </a>
                  </th>
                  <td>{a.comments}</td>
                  <td>{a.pending}</td>
                  <td>
                    <a href={`/moderate?queue=pending&articleId=${encodeURIComponent(a.articleId)}`}>
                      Queue<span class="visually-hidden"> for {a.title ?? a.articleId}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}

function ScreeningSection({ o, period }: SectionProps) {
  const s = o.screening.overall
  return (
    <section aria-labelledby="screening-h">
      <h2 id="screening-h">What screening kept back</h2>
      <p>
        Of {s.screened} new comments, screening held {s.held} ({percent(s.heldShare)}) for a moderator and rejected {s.rejected} (
        {percent(s.rejectedShare)}). Held includes every comment pre-moderation holds.
      </p>
      <Legend series={SCREENING_SERIES} />
      <StackedBarChart
        text={{
          id: 'chart-screening',
          title: `Share of new comments held or rejected by screening, per day, ${period}`,
          desc: `Held ${percent(s.heldShare)}, rejected ${percent(s.rejectedShare)} of ${s.screened}.`,
        }}
        series={SCREENING_SERIES}
        rows={o.screening.perDay.map((d) => ({
          label: d.date,
          values: { published: d.screened - d.held - d.rejected, held: d.held, rejected: d.rejected },
        }))}
        normalize
        axisLabel={shortDate}
      />
      <Figures
        caption="Screening per day"
        head={['Day', 'New comments', 'Held', 'Rejected', 'Held or rejected']}
        rows={o.screening.perDay.map((d) => [
          d.date,
          d.screened,
          d.held,
          d.rejected,
          d.screened === 0 ? '—' : percent((d.held + d.rejected) / d.screened),
        ])}
      />
    </section>
  )
}
