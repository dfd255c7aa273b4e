import type { ExecutionContext } from 'hono'
import { createApp } from './app.js'
import { connectPostgres } from './db/connect-pg.js'
import type { Db } from './db/database.js'
import { type Env, parseEnv } from './env.js'
import { EmailMessage } from 'cloudflare:email'
import { drainOutbox } from './mail/mail.sender.js'
import { sendDailyDigest } from './mail/mail.notifications.js'
import { type MailTransport, type SendEmailBinding, consoleTransport, httpMailTransport, sendEmailTransport } from './mail/mail.transport.js'

/** The digest's Cron Trigger; the other trigger drains the outbox every minute. */
const DIGEST_CRON = '0 7 * * *'
import { appConfig } from './services.js'
import { createServices } from './services.factory.js'
import { workersCache } from './public-cache/public-cache.store.js'
// Built by `npm run build:widget` (wrangler.toml runs it before every bundle); wrangler imports .txt as text.
import widgetCode from '../widget/dist/embed.txt'

export interface WorkerBindings {
  HYPERDRIVE: { connectionString: string }
  /** Cloudflare's send_email binding (see wrangler.toml); else MAIL_API_URL, else mails are logged. */
  SEND_EMAIL?: SendEmailBinding
  MAIL_API_URL?: string
  MAIL_API_KEY?: string
  MAIL_FROM?: string
  IP_HASH_SECRET: string
  PUBLIC_ORIGINS?: string
  PUBLIC_URL?: string
  PERSPECTIVE_API_KEY?: string
  AKISMET_API_KEY?: string
  SCREENING_TIMEOUT_MS?: string
}

let app: ReturnType<typeof createApp> | null = null

/** Built once per isolate from the bindings; the database handle is per request (Hyperdrive pools). */
function appFor(bindings: WorkerBindings) {
  if (app) return app
  const env = parseEnv({
    NODE_ENV: 'production',
    DATABASE_URL: bindings.HYPERDRIVE.connectionString,
    IP_HASH_SECRET: bindings.IP_HASH_SECRET,
    PUBLIC_ORIGINS: bindings.PUBLIC_ORIGINS,
    PUBLIC_URL: bindings.PUBLIC_URL,
    PERSPECTIVE_API_KEY: bindings.PERSPECTIVE_API_KEY,
    AKISMET_API_KEY: bindings.AKISMET_API_KEY,
    SCREENING_TIMEOUT_MS: bindings.SCREENING_TIMEOUT_MS,
    MAIL_API_URL: bindings.MAIL_API_URL,
    MAIL_API_KEY: bindings.MAIL_API_KEY,
    MAIL_FROM: bindings.MAIL_FROM,
  })
  // parseEnv refuses production without IP_HASH_SECRET, so it is set here.
  // Without a Durable Object binding readers revalidate the cached list instead of streaming.
  const services = createServices({ ...appConfig(env, env.IP_HASH_SECRET!), liveTransport: null }, {
    peerIp: (c) => c.req.header('cf-connecting-ip') ?? null,
    trustHost: true,
    // Workers share nothing between isolates; the data centre's Cache API holds the public reads.
    publicCache: workersCache((globalThis as unknown as { caches: { default: Cache } }).caches.default),
  })
  app = createApp({
    // A Worker may not share sockets across requests; Hyperdrive does the pooling, so each request
    // gets its own one-connection handle that closes itself once idle (after any webhook work too).
    db: (): Db => connectPostgres(bindings.HYPERDRIVE.connectionString, { max: 1, idleTimeoutMillis: 500 }),
    services,
    widget: async () => widgetCode,
  })
  return app
}

function mailTransport(bindings: WorkerBindings, env: Env): MailTransport {
  if (bindings.SEND_EMAIL) return sendEmailTransport(bindings.SEND_EMAIL, (from, to, raw) => new EmailMessage(from, to, raw))
  if (env.MAIL_API_URL) return httpMailTransport(env.MAIL_API_URL, env.MAIL_API_KEY)
  return consoleTransport()
}

export default {
  async fetch(request: Request, bindings: WorkerBindings, ctx: ExecutionContext): Promise<Response> {
    return appFor(bindings).fetch(request, bindings, ctx)
  },

  /**
   * Cron Triggers (wrangler.toml): every minute the outbox is drained through the mail binding or API;
   * at 07:00 UTC the moderators' digest is queued first.
   */
  async scheduled(controller: { cron: string }, bindings: WorkerBindings, ctx: ExecutionContext): Promise<void> {
    const env = parseEnv({ NODE_ENV: 'production', DATABASE_URL: bindings.HYPERDRIVE.connectionString, IP_HASH_SECRET: bindings.IP_HASH_SECRET, PUBLIC_URL: bindings.PUBLIC_URL, MAIL_API_URL: bindings.MAIL_API_URL, MAIL_API_KEY: bindings.MAIL_API_KEY, MAIL_FROM: bindings.MAIL_FROM })
    const db = connectPostgres(bindings.HYPERDRIVE.connectionString, { max: 1 })
    const work = (async () => {
      if (controller.cron === DIGEST_CRON && env.PUBLIC_URL) await sendDailyDigest(db, env.PUBLIC_URL, new Date())
      const { sent, failed } = await drainOutbox(db, mailTransport(bindings, env), env.MAIL_FROM)
      if (sent + failed > 0) console.log(`[comments] outbox: ${sent} sent, ${failed} to retry`)
    })().finally(() => db.destroy())
    ctx.waitUntil(work)
    await work
  },
}
