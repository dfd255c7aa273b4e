// What every layer may rely on: the configuration, parsed once by the entries (src/env.ts), and the few
// services the core's actions take (a clock, keyed hashing, metrics and a log). Plain types: no runtime here.
import type { Log, LogLevel } from '../ops/ops.log.js'
import type { Metrics } from '../ops/ops.metrics.js'

/** Runtime-neutral configuration, built from env by the Node and Workers entries. */
export interface AppConfig {
  publicOrigins: string[]
  /** The server's own origin when known up front (printed URLs, cookies). */
  publicUrl: string | null
  /**
   * The origin every mailed link names (preferences, unsubscribe, the workspace): PUBLIC_URL, else, outside
   * production, http://localhost:PORT. Never the request's: a forged Host would receive a reader's signed
   * links. Null: no mail that needs a link is sent.
   */
  mailOrigin: string | null
  ipHashSecret: string
  production: boolean
  screeningTimeoutMs: number
  perspectiveApiKey: string | null
  akismetApiKey: string | null
  /** How long a mail's sender has before the outbox hands the mail to another (a crash, a hang). */
  mailExpireSeconds: number
  /** How long a webhook delivery's sender has before the outbox hands the delivery to another. */
  webhookExpireSeconds: number
  /**
   * How the widget follows an article live: Server-Sent Events (Node), a WebSocket to a Durable Object
   * (Workers with the binding), or none (it revalidates the list every 20 s instead).
   */
  liveTransport: 'sse' | 'websocket' | null
  liveLimits: { maxStreams: number; maxPerIp: number }
  /** The level of the default log (JSON lines through console.log); Node's entry hands its own pino log. */
  logLevel: LogLevel
}

/** What the core's actions are handed: configuration, the clock, and keyed hashing. */
export interface CoreServices {
  config: AppConfig
  now(): Date
  /** Keyed hash: the only form in which a reader's IP (or email, for rate limits) is stored. */
  keyedHash(value: string): Promise<string>
  /**
   * How a client address is counted and kept: the keyed hash of its network (an IPv6 address by its /64,
   * see networkOf); null when the address is unknown. Every per-address limit keys on this.
   */
  addressHash(ip: string | null): Promise<string | null>
  /** What operators count (Prometheus on Node, nothing on Workers). */
  metrics: Metrics
  /** Structured log lines: ids, routes and durations, never an email, a token or a comment's text. */
  log: Log
}
