// The Node server's metrics, through prom-client, in one registry per app (tests build several apps in
// one process). Counters and histograms are fed by the core as things happen (the Metrics interface);
// gauges about the database are read when Prometheus scrapes, so they are right on every replica.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { DeliveryResult, Metrics, SubmitOutcome } from './ops.metrics.js'

/** What the scrape reads, supplied by the entry (the platform knows no table of the features). */
export interface ScrapeSources {
  /** Comments waiting, by the moderation queue they wait in. */
  queueDepth(): Promise<Record<string, number>>
  /** How long the oldest waiting comment has waited, in seconds (0 with none waiting). */
  oldestWaitingSeconds(): Promise<number>
  /** Mails queued and not yet sent (waiting, retrying or being sent). */
  mailOutboxPending(): Promise<number>
  liveStreamsOpen(): number
}

export interface PrometheusMetrics extends Metrics {
  readonly contentType: string
  /** The registry's text, gauges read now. */
  scrape(): Promise<string>
}

const SUBMIT_OUTCOMES: SubmitOutcome[] = ['published', 'held', 'rejected', 'refused']
const DELIVERY_RESULTS: DeliveryResult[] = ['delivered', 'failed']

export function prometheusMetrics(sources: ScrapeSources, onScrapeError: (error: unknown) => void = () => undefined): PrometheusMetrics {
  const registry = new Registry()
  const registers = [registry]
  collectDefaultMetrics({ register: registry })

  new Counter({
    name: 'http_requests_total',
    help: 'Requests answered, by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers,
    collect() {
      this.reset()
      for (const byMethod of series.values())
        for (const byStatus of byMethod.values()) for (const one of byStatus.values()) this.inc(one.labels, one.count)
    },
  })
  const durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer a request, by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  })
  const submitted = new Counter({
    name: 'comments_submitted_total',
    help: 'Comments posted, by outcome: published, held for moderation, rejected by screening, refused (limits, bans, closed)',
    labelNames: ['outcome'] as const,
    registers,
  })
  for (const outcome of SUBMIT_OUTCOMES) submitted.inc({ outcome }, 0)
  const screening = new Histogram({
    name: 'screening_duration_seconds',
    help: 'Time to screen one comment, third-party checks included',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers,
  })
  const decisions = new Histogram({
    name: 'moderation_decision_seconds',
    help: "Time from a comment's arrival to a moderator's first decision on it",
    buckets: [60, 300, 900, 1800, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 24 * 3600, 72 * 3600],
    registers,
  })
  const deliveries = new Counter({
    name: 'webhook_deliveries_total',
    help: 'Webhook delivery attempts, by result: delivered, or failed (the outbox tries again later)',
    labelNames: ['result'] as const,
    registers,
  })
  for (const result of DELIVERY_RESULTS) deliveries.inc({ result }, 0)

  // Each request's series, found through nested maps without building a label object or key: prom-client
  // validates and hashes labels on every call (microseconds on the hot read path). Requests are counted
  // here and handed to the counter when scraped; the label set is small (patterns).
  type Series = { labels: { route: string; method: string; status: string }; count: number; duration: ReturnType<typeof durations.labels> }
  const series = new Map<string, Map<string, Map<number, Series>>>()
  const seriesOf = (route: string, method: string, status: number): Series => {
    let byMethod = series.get(route)
    if (!byMethod) {
      byMethod = new Map()
      series.set(route, byMethod)
    }
    let byStatus = byMethod.get(method)
    if (!byStatus) {
      byStatus = new Map()
      byMethod.set(method, byStatus)
    }
    let found = byStatus.get(status)
    if (!found) {
      const labels = { route, method, status: String(status) }
      found = { labels, count: 0, duration: durations.labels(labels) }
      byStatus.set(status, found)
    }
    return found
  }

  /** A gauge read at scrape time; a database that does not answer leaves the last value (and is logged). */
  const scraped = (name: string, help: string, read: (gauge: Gauge<'queue'>) => Promise<void> | void, labelNames: 'queue'[] = []) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        try {
          await read(this)
        } catch (error) {
          onScrapeError(error)
        }
      },
    })
  scraped(
    'moderation_queue_depth',
    'Comments waiting for a moderator, by queue',
    async (gauge) => {
      for (const [queue, depth] of Object.entries(await sources.queueDepth())) gauge.set({ queue }, depth)
    },
    ['queue'],
  )
  scraped('moderation_queue_oldest_seconds', 'How long the oldest waiting comment has waited', async (gauge) =>
    gauge.set(await sources.oldestWaitingSeconds()),
  )
  scraped('mail_outbox_pending', 'Mails in the outbox not yet sent', async (gauge) => gauge.set(await sources.mailOutboxPending()))
  scraped('live_streams_open', 'Live streams this process holds open', (gauge) => gauge.set(sources.liveStreamsOpen()))

  return {
    contentType: registry.contentType,
    scrape: () => registry.metrics(),
    request(route, method, status, seconds) {
      const one = seriesOf(route, method, status)
      one.count++
      one.duration.observe(seconds)
    },
    commentSubmitted: (outcome) => submitted.inc({ outcome }),
    screened: (seconds) => screening.observe(seconds),
    decided: (waitedSeconds) => decisions.observe(waitedSeconds),
    webhookDelivered: (result) => deliveries.inc({ result }),
  }
}
