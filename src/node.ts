import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { ConfigError, parseEnv, startupProblem } from './env.js'
import { DataDirBusyError } from './platform/db/connect-node.js'
import type { Db } from './platform/db/database.js'
import { sendDailyDigest } from './mail/mail.notifications.js'
import { startMailWorker } from './mail/mail.sender.js'
import { startWebhookWorker, webhookTimeoutMs } from './moderation/moderation.webhook-outbox.js'
import { startRetentionWorker } from './moderation/moderation.retention.js'
import { startLearningWorker } from './moderation/moderation.learning-worker.js'
import { activeModels } from './screening/screening.active.js'
import { smtpTransport } from './platform/mail/mail.smtp.js'
import { consoleTransport } from './platform/mail/mail.transport.js'
import { appConfig, buildNodeApp, ensureFirstAdmin, liveOf, openAndMigrate, resolveIpHashSecret, servicesOf } from './node.setup.js'
import { onStopSignal, stopServing } from './node.shutdown.js'
import { pinoLog } from './platform/ops/ops.pino.js'
import { errorFields } from './platform/ops/ops.log.js'

async function main() {
  const env = parseEnv(process.env)
  const config = appConfig(env, resolveIpHashSecret(env))
  const connection = await openAndMigrate(env)
  const log = pinoLog(config.logLevel, env.LOG_FORMAT)
  // One keeper of the active screening model: a version this process trains and promotes screens here at once.
  const models = activeModels()
  const app = buildNodeApp(connection, config, { trustProxy: env.TRUST_PROXY, log, metricsToken: env.METRICS_TOKEN, models })
  const firstAdmin = await ensureFirstAdmin(connection)
  const origin = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`
  const transport = env.SMTP_URL ? smtpTransport(env.SMTP_URL) : consoleTransport()
  const server = serve({ fetch: app.fetch, port: env.PORT, ...(env.HOST ? { hostname: env.HOST } : {}) }, () => {
    console.log(`[comments] serving on ${origin} (database: ${connection.kind === 'pglite' ? `embedded, ${env.DATA_DIR}` : 'PostgreSQL'})`)
    console.log(
      `[comments]   listening on:   ${env.HOST ? `${env.HOST} port ${env.PORT} only` : `every interface, port ${env.PORT} (HOST narrows it)`}`,
    )
    console.log(`[comments]   demo article:   ${origin}/demo   (Arabic: ${origin}/demo/ar)`)
    console.log(`[comments]   moderator UI:   ${origin}/moderate`)
    console.log(`[comments]   reader API:     ${origin}/api/v1/articles/:articleId/comments`)
    console.log(
      env.SMTP_URL
        ? `[comments]   mail:           SMTP (${new URL(env.SMTP_URL).host}), from ${env.MAIL_FROM}`
        : '[comments]   mail:           no SMTP_URL set: mails are printed here instead of sent',
    )
    if (!env.PUBLIC_URL && env.NODE_ENV === 'production') {
      console.warn(
        '[comments] PUBLIC_URL is not set: sign-in links go only to publisher pages and no mail about comments is sent (set PUBLIC_URL=https://…)',
      )
    }
    if (firstAdmin) console.log(firstAdmin)
  })
  // The outbox's workers (mail, webhooks, retention, training) start once the server listens: the first
  // answer does not wait for them. Jobs queued meanwhile wait in the outbox, which the start prepared.
  const started = startWorkers()
  async function startWorkers() {
    const mailWorker = await startMailWorker(connection.db, transport, {
      from: env.MAIL_FROM,
      pollSeconds: env.MAIL_POLL_SECONDS,
      log,
      // Its links name the configured origin: without PUBLIC_URL in production there is no digest either.
      digest: async (db) =>
        void (
          config.mailOrigin &&
          (await sendDailyDigest(db as Db, config.mailOrigin, new Date(), { expireInSeconds: env.MAIL_EXPIRE_SECONDS }))
        ),
    })
    // Webhook deliveries wait in the same outbox; the mail worker's pg-boss maintenance hands back a dead sender's.
    const webhookWorker = await startWebhookWorker(connection.db, {
      pollSeconds: env.MAIL_POLL_SECONDS,
      timeoutMs: webhookTimeoutMs(env.WEBHOOK_EXPIRE_SECONDS),
      report: (result) => servicesOf(app).metrics.webhookDelivered(result),
    })
    // Nightly: address hashes past IP_RETENTION_DAYS, and what has ended (sessions, tokens, finished jobs).
    const retentionWorker = await startRetentionWorker(connection.db, { ipRetentionDays: env.IP_RETENTION_DAYS, log })
    const learningWorker = await startLearningWorker(connection.db, { models, now: () => new Date(), pollSeconds: 5, log })
    return [mailWorker, webhookWorker, retentionWorker, learningWorker]
  }
  started.catch((error) => {
    log.error(errorFields(error), 'the outbox workers did not start')
    process.exit(1)
  })
  const workers = { stop: async () => void (await Promise.all((await started).map((worker) => worker.stop()))) }
  server.on('error', (error: NodeJS.ErrnoException) => {
    console.error(`[comments] ${startupProblem(error, process.env) ?? error.message}`)
    process.exit(1)
  })
  const running = {
    server: server as Server,
    live: liveOf(app),
    services: servicesOf(app),
    workers: [workers],
    connection,
    log,
  }
  onStopSignal(() => stopServing(running), env.SHUTDOWN_TIMEOUT_SECONDS * 1000, log)
}

main().catch((error) => {
  const line = error instanceof ConfigError || error instanceof DataDirBusyError ? error.message : startupProblem(error, process.env)
  if (line) console.error(`[comments] ${line}`)
  else console.error('[comments] failed to start:', error)
  process.exit(1)
})
