import type { Context } from 'hono'
import type { Env } from './env.js'
import type { CommenterRow, Db } from './platform/db/database.js'
import type { ExternalScreening } from './screening/screening.external.js'
import type { DomainEvent } from './events/events.js'
import type { PublicCache } from './platform/cache/cache.store.js'

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
  /**
   * How the widget follows an article live: Server-Sent Events (Node), a WebSocket to a Durable Object
   * (Workers with the binding), or none (it revalidates the list every 20 s instead).
   */
  liveTransport: 'sse' | 'websocket' | null
  liveLimits: { maxStreams: number; maxPerIp: number }
}

export interface Services {
  config: AppConfig
  now(): Date
  /** Keyed hash: the only form in which a reader's IP (or email, for rate limits) is stored. */
  keyedHash(value: string): Promise<string>
  /**
   * How a client address is counted and kept: the keyed hash of its network (an IPv6 address by its /64,
   * see networkOf); null when the address is unknown. Every per-address limit keys on this.
   */
  addressHash(ip: string | null): Promise<string | null>
  external: ExternalScreening
  /** Runs work after the response (webhooks); Workers hand it to waitUntil. */
  defer(c: Context, work: Promise<unknown>): void
  /** Hands an action's events to every subscriber, after its transaction committed. */
  publish(c: Context, db: Db, events: readonly DomainEvent[]): void
  /**
   * This server's origin as a page address may name it (an article on our own demo page): PUBLIC_URL, else
   * the request's own when the Host header can be trusted (loopback, or a runtime that routes by host, as
   * Workers do). Null otherwise: a forged Host must never receive a reader's code. Mailed links never use
   * it: they name `config.mailOrigin`.
   */
  trustedOrigin(c: Context): string | null
  /**
   * Whether a page address is on a publisher's site (PUBLIC_ORIGINS) or this server's own (as
   * trustedOrigin knows it): the one check before a URL names an article, receives a sign-in code or
   * takes a reader back after a form post.
   */
  onPublisherSite(c: Context, url: string): boolean
  /** The caller's IP as the runtime sees it; null when unknown. */
  clientIp(c: Context): string | null
  /** Versioned public responses (lists, counts): in process on Node, the Cache API on Workers. */
  publicCache: PublicCache
}

export type AppEnv = {
  Variables: {
    db: Db
    services: Services
    moderator: { id: string; username: string; role: 'admin' | 'moderator' } | null
    /** The verified reader a bearer token stands for (reader routes only). */
    reader: (CommenterRow & { token_hash: string }) | null
  }
}

/** The configuration both runtimes build from their parsed environment (Node: process env; Workers: bindings). */
export function appConfig(env: Env, ipHashSecret: string): AppConfig {
  return {
    publicOrigins: env.PUBLIC_ORIGINS,
    publicUrl: env.PUBLIC_URL ?? null,
    mailOrigin: env.PUBLIC_URL ?? (env.NODE_ENV === 'production' ? null : `http://localhost:${env.PORT}`),
    ipHashSecret,
    production: env.NODE_ENV === 'production',
    screeningTimeoutMs: env.SCREENING_TIMEOUT_MS,
    perspectiveApiKey: env.PERSPECTIVE_API_KEY ?? null,
    akismetApiKey: env.AKISMET_API_KEY ?? null,
    mailExpireSeconds: env.MAIL_EXPIRE_SECONDS,
    liveTransport: 'sse',
    liveLimits: { maxStreams: env.LIVE_MAX_STREAMS, maxPerIp: env.LIVE_MAX_PER_IP },
  }
}
