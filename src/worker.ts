import type { ExecutionContext } from 'hono'
import { createApp } from './app.js'
import { connectPostgres } from './platform/db/connect-pg.js'
import type { Db } from './platform/db/database.js'
import { type Env, parseEnv } from './env.js'
import { EmailMessage } from 'cloudflare:email'
import { drainOutbox } from './mail/mail.sender.js'
import { drainWebhooks, webhookTimeoutMs } from './moderation/moderation.webhook-outbox.js'
import { runRetention } from './moderation/moderation.retention.js'
import { nightlyTick } from './moderation/moderation.learning.js'
import { sendDailyDigest } from './mail/mail.notifications.js'
import {
  type MailTransport,
  type SendEmailBinding,
  consoleTransport,
  httpMailTransport,
  sendEmailTransport,
} from './platform/mail/mail.transport.js'

/** The digest's Cron Trigger; the every-minute trigger drains the outbox. */
const DIGEST_CRON = '0 7 * * *'
/** Hourly: at the site's learning hour the night's screening training is queued, for a Node replica or the CLI to work. */
const LEARNING_CRON = '0 * * * *'
import { appConfig } from './env.js'
import { consoleLog } from './platform/ops/ops.log.js'
import { createServices } from './services.factory.js'
import { workersCache } from './platform/cache/cache.store.js'
import { articleIdSchema } from './comments/comments.schema.js'
import { errorBody } from './platform/lib/errors.js'
import { type ArticleLiveNamespace, articleLive } from './platform/live/live.durable.js'
import type { NetworkLiveNamespace } from './platform/live/live.networks.js'
import { readerMessage } from './live/live.messages.js'
// Built by `npm run build:widget` (wrangler.toml runs it before every bundle); wrangler imports .txt as text.
import widgetCode from '../widget/dist/embed.txt'
// Built by `npm run build:keys`, which wrangler.toml also runs before every bundle.
import keyboardCode from './http/workspace/keyboard/dist/keys.txt'

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
  /** Days comments keep their address hash (default 90, at least 30). */
  IP_RETENTION_DAYS?: string
  /** Level of the JSON log lines written through console.log (default info). */
  LOG_LEVEL?: string
  /** One Durable Object per article for live WebSockets (see wrangler.toml); without it readers poll. */
  ARTICLE_LIVE?: ArticleLiveNamespace
  /** One Durable Object per client network, capping its sockets across all articles (see wrangler.toml). */
  LIVE_NETWORKS?: NetworkLiveNamespace
}

// The Durable Objects' classes must be exported by the Worker's main module.
export { ArticleLive } from './platform/live/live.durable.js'
export { NetworkLive } from './platform/live/live.networks.js'

let built: { app: ReturnType<typeof createApp>; publicOrigins: string[] } | null = null

/** Built once per isolate from the bindings; the database handle is per request (Hyperdrive pools). */
function appFor(bindings: WorkerBindings) {
  if (built) return built
  const env = parseEnv({
    NODE_ENV: 'production',
    DATABASE_URL: bindings.HYPERDRIVE.connectionString,
    IP_HASH_SECRET: bindings.IP_HASH_SECRET,
    PUBLIC_ORIGINS: bindings.PUBLIC_ORIGINS,
    PUBLIC_URL: bindings.PUBLIC_URL,
    PERSPECTIVE_API_KEY: bindings.PERSPECTIVE_API_KEY,
    AKISMET_API_KEY: bindings.AKISMET_API_KEY,
    SCREENING_TIMEOUT_MS: bindings.SCREENING_TIMEOUT_MS,
    LOG_LEVEL: bindings.LOG_LEVEL,
    MAIL_API_URL: bindings.MAIL_API_URL,
    MAIL_API_KEY: bindings.MAIL_API_KEY,
    MAIL_FROM: bindings.MAIL_FROM,
  })
  // parseEnv refuses production without IP_HASH_SECRET, so it is set here.
  // Without a Durable Object binding readers revalidate the cached list instead of streaming.
  const live = bindings.ARTICLE_LIVE
  const services = createServices(
    { ...appConfig(env, env.IP_HASH_SECRET!), liveTransport: live ? 'websocket' : null },
    {
      peerIp: (c) => c.req.header('cf-connecting-ip') ?? null,
      trustHost: true,
      // Workers share nothing between isolates; the data centre's Cache API holds the public reads.
      publicCache: workersCache((globalThis as unknown as { caches: { default: Cache } }).caches.default),
      // The Worker that made the change tells the article's Durable Object, which tells its readers.
      // Without the binding the default stays: NOTIFY, heard by any Node replica on the same database.
      ...(live && {
        announce: async (db, notice) => {
          const message = await readerMessage(db, notice)
          if (!message || !notice.articleId) return
          const answer = await articleLive(live, notice.articleId).fetch('https://live/publish', {
            method: 'POST',
            body: JSON.stringify(message),
          })
          if (!answer.ok) throw new Error(`the live object of ${notice.articleId} answered ${answer.status}`)
        },
      }),
    },
  )
  const app = createApp({
    // A Worker may not share sockets across requests; Hyperdrive does the pooling, so each request
    // gets its own one-connection handle that closes itself once idle (after any webhook work too).
    db: (): Db => connectPostgres(bindings.HYPERDRIVE.connectionString, { max: 1, idleTimeoutMillis: 500 }),
    services,
    widget: async () => widgetCode,
    keyboard: async () => keyboardCode,
  })
  built = { app, publicOrigins: env.PUBLIC_ORIGINS }
  return built
}

const LIVE_PATH = /^\/api\/v1\/articles\/([^/]+)\/live$/

/**
 * GET /api/v1/articles/:articleId/live: a reader's WebSocket, handed to the article's Durable Object
 * (Hono's app never sees it). Null when the request is not for this path, so the app answers it.
 */
function liveSocket(request: Request, namespace: ArticleLiveNamespace, publicOrigins: string[]): Promise<Response> | Response | null {
  const url = new URL(request.url)
  const match = request.method === 'GET' ? LIVE_PATH.exec(url.pathname) : null
  if (!match) return null
  let raw: string
  try {
    raw = decodeURIComponent(match[1]!)
  } catch {
    raw = ''
  }
  const articleId = articleIdSchema.safeParse(raw)
  if (!articleId.success)
    return Response.json(errorBody('validation_failed', 'Some fields need attention', { articleId: 'invalid article id' }), { status: 422 })
  if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
    return Response.json(errorBody('validation_failed', 'This path takes a WebSocket (Upgrade: websocket)'), {
      status: 426,
      headers: { upgrade: 'websocket' },
    })
  }
  // No CORS for WebSockets: a browser opens one from any page, so the page's origin is checked here.
  // Clients without an Origin are not browsers, and could claim any.
  const origin = request.headers.get('origin')
  if (origin && origin !== url.origin && !publicOrigins.includes(origin))
    return Response.json(errorBody('forbidden', 'This origin may not follow the article live'), { status: 403 })
  return articleLive(namespace, articleId.data).fetch(request)
}

function mailTransport(bindings: WorkerBindings, env: Env): MailTransport {
  if (bindings.SEND_EMAIL) return sendEmailTransport(bindings.SEND_EMAIL, (from, to, raw) => new EmailMessage(from, to, raw))
  if (env.MAIL_API_URL) return httpMailTransport(env.MAIL_API_URL, env.MAIL_API_KEY)
  return consoleTransport()
}

export default {
  async fetch(request: Request, bindings: WorkerBindings, ctx: ExecutionContext): Promise<Response> {
    const { app, publicOrigins } = appFor(bindings)
    const live = bindings.ARTICLE_LIVE ? liveSocket(request, bindings.ARTICLE_LIVE, publicOrigins) : null
    return live ?? app.fetch(request, bindings, ctx)
  },

  /**
   * Cron Triggers (wrangler.toml): every minute the outbox is drained (mail through the mail binding or
   * API, then webhook deliveries due for a retry); at 07:00 UTC the moderators' digest is queued first.
   * Hourly, the screening's nightly training is queued at the site's learning hour: the Worker only loads
   * the versions a Node replica or `npm run screening:learn` trains (training takes more CPU than a Worker has).
   */
  async scheduled(controller: { cron: string }, bindings: WorkerBindings, ctx: ExecutionContext): Promise<void> {
    const env = parseEnv({
      NODE_ENV: 'production',
      DATABASE_URL: bindings.HYPERDRIVE.connectionString,
      IP_HASH_SECRET: bindings.IP_HASH_SECRET,
      PUBLIC_URL: bindings.PUBLIC_URL,
      MAIL_API_URL: bindings.MAIL_API_URL,
      MAIL_API_KEY: bindings.MAIL_API_KEY,
      MAIL_FROM: bindings.MAIL_FROM,
      IP_RETENTION_DAYS: bindings.IP_RETENTION_DAYS,
      LOG_LEVEL: bindings.LOG_LEVEL,
    })
    const log = consoleLog(appConfig(env, env.IP_HASH_SECRET!).logLevel)
    const db = connectPostgres(bindings.HYPERDRIVE.connectionString, { max: 1 })
    const work = (async () => {
      if (controller.cron === LEARNING_CRON) {
        if (await nightlyTick(db, new Date())) log.info({ job: 'screening-learn', cron: controller.cron, queued: true })
        return
      }
      if (controller.cron === DIGEST_CRON && env.PUBLIC_URL) await sendDailyDigest(db, env.PUBLIC_URL, new Date())
      // Once a day, the retention rules (Workers have no pg-boss schedule of their own).
      if (controller.cron === DIGEST_CRON) await runRetention(db, { now: new Date(), ipRetentionDays: env.IP_RETENTION_DAYS })
      // drainOutbox runs pg-boss's maintenance first: deliveries whose sender died are handed back to both queues.
      const { sent, failed } = await drainOutbox(db, mailTransport(bindings, env), env.MAIL_FROM)
      if (sent + failed > 0) log.info({ job: 'mail', cron: controller.cron, sent, failed })
      const hooks = await drainWebhooks(db, { timeoutMs: webhookTimeoutMs(env.WEBHOOK_EXPIRE_SECONDS) }, 5)
      if (hooks.sent + hooks.failed > 0) log.info({ job: 'webhook', cron: controller.cron, sent: hooks.sent, failed: hooks.failed })
    })().finally(() => db.destroy())
    ctx.waitUntil(work)
    await work
  },
}
