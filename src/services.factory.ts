import type { Context } from 'hono'
import { hmacSha256, toHex } from './platform/lib/crypto.js'
import { networkOf } from './platform/lib/address.js'
import type { Subscriber } from './events/events.js'
import { publicCacheSubscriber } from './http/shared/public-cache.js'
import { webhookSubscriber } from './moderation/moderation.webhooks.js'
import type { Db } from './platform/db/database.js'
import { type LiveNotice, liveSubscriber } from './live/live.events.js'
import { notify } from './platform/live/live.bus.js'
import { mailSubscriber } from './mail/mail.notifications.js'
import { type ActiveModels, activeModels } from './screening/screening.active.js'
import { type ExternalScreening, externalScreening } from './screening/screening.external.js'
import type { Services } from './http/shared/context.js'
import type { AppConfig } from './platform/lib/config.js'
import { type PublicCache, memoryCache } from './platform/cache/cache.store.js'

export interface ServiceOptions {
  now?: () => Date
  external?: ExternalScreening
  /** The active screening model's keeper; the Node entry shares one with its training worker. */
  models?: ActiveModels
  /** How the runtime tells the peer address; the Node and Workers entries supply their own. */
  peerIp?: (c: Context) => string | null
  /** Proxies of ours in front: true is one; the client is that many entries from the right of X-Forwarded-For. */
  trustProxy?: boolean | number
  fetch?: typeof fetch
  /** Waits between webhook attempts (tests shorten them). */
  webhookDelays?: number[]
  publicCache?: PublicCache
  /** How live streams hear of a change; NOTIFY to every replica by default (Workers: a Durable Object). */
  announce?: (db: Db, notice: LiveNotice) => Promise<void>
  /** The runtime only delivers requests for hosts it routes (Workers): its Host header is trustworthy. */
  trustHost?: boolean
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

export function createServices(config: AppConfig, options: ServiceOptions = {}): Services {
  const peerIp = options.peerIp ?? (() => null)
  const publicCache = options.publicCache ?? memoryCache()
  const subscribers: Subscriber[] = [
    publicCacheSubscriber(publicCache),
    webhookSubscriber({ fetch: options.fetch, now: () => services.now(), delays: options.webhookDelays }),
    mailSubscriber({ secret: config.ipHashSecret, expireInSeconds: config.mailExpireSeconds, origin: config.mailOrigin }),
    liveSubscriber(options.announce ?? notify, () => services.now()),
  ]
  const services: Services = {
    config,
    now: options.now ?? (() => new Date()),
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
      const guarded = work.catch((error) => console.error('[comments] background task failed:', error))
      try {
        c.executionCtx.waitUntil(guarded)
      } catch {
        // Node has no execution context: the promise simply runs on.
      }
    },
    publish(events, context) {
      for (const event of events) {
        for (const subscriber of subscribers) {
          try {
            const work = subscriber(event, context)
            if (work) context.defer(work)
          } catch (error) {
            console.error(`[comments] a subscriber to ${event.type} failed:`, error)
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
