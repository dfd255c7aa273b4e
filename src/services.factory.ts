import type { Context } from 'hono'
import { hmacSha256, toHex } from './platform/lib/crypto.js'
import { networkOf } from './platform/lib/address.js'
import type { Subscriber } from './events/events.js'
import { publicCacheSubscriber } from './http/shared/public-cache.js'
import { webhookSubscriber } from './moderation/moderation.webhooks.js'
import { webhookTimeoutMs } from './moderation/moderation.webhook-outbox.js'
import type { Db } from './platform/db/database.js'
import { type LiveNotice, liveSubscriber } from './live/live.events.js'
import { notify } from './platform/live/live.bus.js'
import { mailSubscriber } from './mail/mail.notifications.js'
import { type ActiveModels, activeModels } from './screening/screening.active.js'
import { type ExternalScreening, externalScreening } from './screening/screening.external.js'
import type { Services } from './http/shared/context.js'
import type { AppConfig } from './platform/lib/config.js'
import { type PublicCache, memoryCache } from './platform/cache/cache.store.js'
import { type Metrics, noMetrics } from './platform/ops/ops.metrics.js'
import { type Log, consoleLog, errorFields } from './platform/ops/ops.log.js'
import { decisionTimer } from './moderation/moderation.metrics.js'

export interface ServiceOptions {
  now?: () => Date
  external?: ExternalScreening
  /** The active screening model's keeper; the Node entry shares one with its training worker. */
  models?: ActiveModels
  /** How the runtime tells the peer address; the Node and Workers entries supply their own. */
  peerIp?: (c: Context) => string | null
  /** Proxies of ours in front: true is one; the client is that many entries from the right of X-Forwarded-For. */
  trustProxy?: boolean | number
  /** How webhooks are sent (tests catch them). */
  fetch?: typeof fetch
  publicCache?: PublicCache
  /** How live streams hear of a change; NOTIFY to every replica by default (Workers: a Durable Object). */
  announce?: (db: Db, notice: LiveNotice) => Promise<void>
  /** The runtime only delivers requests for hosts it routes (Workers): its Host header is trustworthy. */
  trustHost?: boolean
  /** Prometheus on Node (`npm start`); nothing counted otherwise. */
  metrics?: Metrics
  /** pino on Node (`npm start`); JSON lines through console.log otherwise, at config.logLevel. */
  log?: Log
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

export function createServices(config: AppConfig, options: ServiceOptions = {}): Services {
  const peerIp = options.peerIp ?? (() => null)
  const publicCache = options.publicCache ?? memoryCache()
  const metrics = options.metrics ?? noMetrics
  const log = options.log ?? consoleLog(config.logLevel)
  // Stopping flushes what waits on a timer (a coalesced live notice) instead of leaving it to fire later.
  const stopping = new AbortController()
  // Work left running after answers on Node (no execution context there), awaited by settle().
  const running = new Set<Promise<unknown>>()
  const subscribers: Subscriber[] = [
    publicCacheSubscriber(publicCache),
    webhookSubscriber({
      fetch: options.fetch,
      now: () => services.now(),
      expireInSeconds: config.webhookExpireSeconds,
      timeoutMs: webhookTimeoutMs(config.webhookExpireSeconds),
      report: (result) => metrics.webhookDelivered(result),
    }),
    mailSubscriber({ secret: config.ipHashSecret, expireInSeconds: config.mailExpireSeconds, origin: config.mailOrigin }),
    liveSubscriber(options.announce ?? notify, () => services.now(), stopping.signal),
    decisionTimer(metrics, () => services.now()),
  ]
  const services: Services = {
    config,
    now: options.now ?? (() => new Date()),
    liveByNotify: options.announce === undefined,
    metrics,
    log,
    async keyedHash(value) {
      return toHex((await hmacSha256(config.ipHashSecret, value)).slice(0, 16))
    },
    async addressHash(ip) {
      return ip ? services.keyedHash(`ip:${networkOf(ip)}`) : null
    },
    external:
      options.external ??
      externalScreening({
        perspectiveApiKey: config.perspectiveApiKey,
        akismetApiKey: config.akismetApiKey,
        siteUrl: config.publicUrl ?? 'http://localhost',
        timeoutMs: config.screeningTimeoutMs,
      }),
    models: options.models ?? activeModels(),
    defer(c, work) {
      const guarded = work.catch((error) => log.error(errorFields(error), 'background task failed'))
      try {
        c.executionCtx.waitUntil(guarded)
      } catch {
        // Node has no execution context: the promise runs on, and a stopping server waits for it.
        running.add(guarded)
        void guarded.finally(() => running.delete(guarded))
      }
    },
    async settle() {
      stopping.abort()
      while (running.size > 0) await Promise.allSettled([...running])
    },
    publish(events, context) {
      for (const event of events) {
        for (const subscriber of subscribers) {
          try {
            const work = subscriber(event, context)
            if (work) context.defer(work)
          } catch (error) {
            log.error({ event: event.type, ...errorFields(error) }, 'a subscriber failed')
          }
        }
      }
    },
    publicCache,
    trustedOrigin(c) {
      if (config.publicUrl) return config.publicUrl
      const url = new URL(c.req.url)
      return options.trustHost || LOOPBACK.has(url.hostname) ? url.origin : null
    },
    onPublisherSite(c, url) {
      let origin: string
      try {
        origin = new URL(url).origin
      } catch {
        return false
      }
      return config.publicOrigins.includes(origin) || origin === services.trustedOrigin(c)
    },
    clientIp(c) {
      const hops = options.trustProxy === true ? 1 : options.trustProxy || 0
      if (hops > 0) {
        const entries = (c.req.header('x-forwarded-for') ?? '')
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean)
        // Fewer entries than proxies: the header did not come through ours, so it says nothing.
        if (entries.length >= hops) return entries[entries.length - hops]!
      }
      return peerIp(c)
    },
  }
  return services
}
