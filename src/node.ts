import { serve } from '@hono/node-server'
import { ConfigError, parseEnv, startupProblem } from './env.js'
import { DataDirBusyError } from './platform/db/connect-node.js'
import type { Db } from './platform/db/database.js'
import { sendDailyDigest } from './mail/mail.notifications.js'
import { startMailWorker } from './mail/mail.sender.js'
import { smtpTransport } from './platform/mail/mail.smtp.js'
import { consoleTransport } from './platform/mail/mail.transport.js'
import { appConfig, buildNodeApp, ensureFirstAdmin, liveOf, openAndMigrate, resolveIpHashSecret } from './node.setup.js'

async function main() {
  const env = parseEnv(process.env)
  const config = appConfig(env, resolveIpHashSecret(env))
  const connection = await openAndMigrate(env)
  const app = buildNodeApp(connection, config, { trustProxy: env.TRUST_PROXY })
  const firstAdmin = await ensureFirstAdmin(connection)
  const origin = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`
  const transport = env.SMTP_URL ? smtpTransport(env.SMTP_URL) : consoleTransport()
  const server = serve({ fetch: app.fetch, port: env.PORT }, () => {
    console.log(`[comments] serving on ${origin} (database: ${connection.kind === 'pglite' ? `embedded, ${env.DATA_DIR}` : 'PostgreSQL'})`)
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
  // The mail queue's worker (pg-boss's supervisor and schedule) starts once the server listens: the first
  // answer does not wait for it. Mails queued meanwhile wait in the outbox, which the start prepared.
  const mailWorker = startMailWorker(connection.db, transport, {
    from: env.MAIL_FROM,
    pollSeconds: env.MAIL_POLL_SECONDS,
    // Its links name the configured origin: without PUBLIC_URL in production there is no digest either.
    digest: async (db) =>
      void (
        config.mailOrigin && (await sendDailyDigest(db as Db, config.mailOrigin, new Date(), { expireInSeconds: env.MAIL_EXPIRE_SECONDS }))
      ),
  })
  mailWorker.catch((error) => {
    console.error('[comments] the mail queue did not start:', error)
    process.exit(1)
  })
  server.on('error', (error: NodeJS.ErrnoException) => {
    console.error(`[comments] ${startupProblem(error, process.env) ?? error.message}`)
    process.exit(1)
  })
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    server.close()
    await (await mailWorker).stop()
    await liveOf(app).stop()
    await connection.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error) => {
  const line = error instanceof ConfigError || error instanceof DataDirBusyError ? error.message : startupProblem(error, process.env)
  if (line) console.error(`[comments] ${line}`)
  else console.error('[comments] failed to start:', error)
  process.exit(1)
})
