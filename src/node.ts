import { serve } from '@hono/node-server'
import { ConfigError, parseEnv } from './env.js'
import { DataDirBusyError } from './db/connect-node.js'
import { appConfig, buildNodeApp, ensureFirstAdmin, openAndMigrate, resolveIpHashSecret } from './node.setup.js'

async function main() {
  const env = parseEnv(process.env)
  const config = appConfig(env, resolveIpHashSecret(env))
  const connection = await openAndMigrate(env)
  const app = buildNodeApp(connection, config, { trustProxy: env.TRUST_PROXY })
  const firstAdmin = await ensureFirstAdmin(connection)
  const origin = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`
  const server = serve({ fetch: app.fetch, port: env.PORT }, () => {
    console.log(`[comments] serving on ${origin} (database: ${connection.kind === 'pglite' ? `embedded, ${env.DATA_DIR}` : 'PostgreSQL'})`)
    console.log(`[comments]   demo article:   ${origin}/demo   (Arabic: ${origin}/demo/ar)`)
    console.log(`[comments]   moderator UI:   ${origin}/moderate`)
    console.log(`[comments]   reader API:     ${origin}/api/v1/articles/:articleId/comments`)
    if (firstAdmin) console.log(firstAdmin)
  })
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    server.close()
    await connection.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof DataDirBusyError) {
    console.error(`[comments] ${error.message}`)
  } else {
    console.error('[comments] failed to start:', error)
  }
  process.exit(1)
})
