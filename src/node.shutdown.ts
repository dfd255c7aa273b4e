// SIGTERM on Node: stop taking work, finish what was taken, close the database, exit. A load balancer sees
// /ready fail at once (the live streams are draining), and every request already answered 2xx is stored.
import type { Server } from 'node:http'
import type { NodeLive } from './http/live/live.node.js'
import type { Services } from './http/shared/context.js'
import type { Connection } from './platform/db/connect-node.js'
import { type Log, errorFields } from './platform/ops/ops.log.js'

export interface RunningServer {
  server: Server
  live: NodeLive
  services: Services
  /** The outbox's workers (mail, webhooks, retention): each finishes the job in hand when stopped. */
  workers: { stop(): Promise<void> }[]
  connection: Connection
  log: Log
}

/**
 * In order: stop accepting connections; tell live streams to reconnect elsewhere (`retry:`, then the end);
 * let in-flight requests finish (idle keep-alive connections are closed as they fall idle); let the work
 * they left running finish (subscribers, a coalesced live notice sent now rather than later); let the
 * outbox's job in hand finish (pg-boss's graceful stop); stop listening; close the pool. The caller bounds
 * the whole by SHUTDOWN_TIMEOUT_SECONDS.
 */
export async function stopServing({ server, live, services, workers, connection, log }: RunningServer): Promise<void> {
  const start = performance.now()
  const step = (name: string) => log.info({ step: name, ms: Math.round(performance.now() - start) }, 'stopping')
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  // Their last bytes are out before any connection is closed as idle (closing drops what is not yet sent).
  await live.drain()
  step('live streams told to reconnect')
  // Connections that finish their request while the server closes would otherwise stay open, idle.
  const idle = setInterval(() => server.closeIdleConnections(), 100)
  server.closeIdleConnections()
  await closed
  clearInterval(idle)
  step('requests finished')
  await services.settle()
  step('deferred work finished')
  await Promise.all(workers.map((worker) => worker.stop()))
  step('outbox workers stopped')
  await live.stop()
  await connection.close()
  step('database closed')
}

/** Runs `stop` once, on the first SIGTERM or SIGINT; exits 0 when it finished in time, 1 when it did not. */
export function onStopSignal(stop: () => Promise<void>, timeoutMs: number, log: Log) {
  let stopping = false
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal while stopping: exiting now')
      process.exit(1)
    }
    stopping = true
    log.info({ signal, timeoutMs }, 'stopping')
    setTimeout(() => {
      log.error({ timeoutMs }, 'did not stop in time: exiting anyway')
      process.exit(1)
    }, timeoutMs).unref()
    stop().then(
      () => {
        log.info({}, 'stopped')
        process.exit(0)
      },
      (error: unknown) => {
        log.error(errorFields(error), 'stopping failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', handle)
  process.on('SIGINT', handle)
}
