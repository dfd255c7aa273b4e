// What every route sees of a request: the database, the services, and who is calling.
import type { Context } from 'hono'
import type { Publish } from '../../events/events.js'
import type { CommenterRow, Db } from '../../platform/db/database.js'
import type { PublicCache } from '../../platform/cache/cache.store.js'
import type { CoreServices } from '../../platform/lib/config.js'
import type { ActiveModels } from '../../screening/screening.active.js'
import type { ExternalScreening } from '../../screening/screening.external.js'

/** The services a door hands on: the core's, and what only the HTTP layer knows of requests. */
export interface Services extends CoreServices {
  external: ExternalScreening
  /** Live notices travel by NOTIFY: the write path sends a new comment's with the statement that stores it. */
  liveByNotify: boolean
  /** The site's active screening model as this process knows it (checked against the database every minute). */
  models: ActiveModels
  /** Runs work after the response (webhooks); Workers hand it to waitUntil. */
  defer(c: Context, work: Promise<unknown>): void
  /**
   * For a stopping server: sends at once what waits on a timer (a coalesced live notice), then waits
   * until the work deferred after answers is done. Nothing waits on a timer afterwards.
   */
  settle(): Promise<void>
  /** Hands an action's events to every subscriber, after its transaction committed. */
  publish: Publish
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
    /** The request's id, in its log line and echoed as X-Request-Id. */
    requestId: string
    moderator: { id: string; username: string; role: 'admin' | 'moderator' } | null
    /** The verified reader a bearer token stands for (reader routes only). */
    reader: (CommenterRow & { token_hash: string }) | null
  }
}
