// What the server counts for its operators. The core reports through this small interface; the Node entry
// fills it with Prometheus counters (ops.prometheus.ts), the Worker with nothing (it has no /metrics).

/** How a posted comment ended: stored and shown, stored and waiting, stored as rejected, or refused outright. */
export type SubmitOutcome = 'published' | 'held' | 'rejected' | 'refused'

/** How one webhook delivery attempt ended (a failed one is retried by the outbox). */
export type DeliveryResult = 'delivered' | 'failed'

export interface Metrics {
  /** One answered request, by its route pattern (never the raw path: the label set stays small). */
  request(route: string, method: string, status: number, seconds: number): void
  commentSubmitted(outcome: SubmitOutcome): void
  /** Screening one comment (built-in rules and any third-party check). */
  screened(seconds: number): void
  /** A comment's first decision by a moderator, this long after it arrived. */
  decided(waitedSeconds: number): void
  webhookDelivered(result: DeliveryResult): void
}

const nothing = () => undefined

/** Counts nothing: the Worker, the command-line tools, and tests that do not look. */
export const noMetrics: Metrics = {
  request: nothing,
  commentSubmitted: nothing,
  screened: nothing,
  decided: nothing,
  webhookDelivered: nothing,
}

/** Seconds since a `performance.now()` reading. */
export const secondsSince = (start: number) => (performance.now() - start) / 1000
