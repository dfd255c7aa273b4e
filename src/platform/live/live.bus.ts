// Live notices between replicas: PostgreSQL's LISTEN/NOTIFY (PGlite has it too). Whichever replica made a
// change notifies; every replica, itself included, hears it and tells its own streams.
import { sql } from 'kysely'
import pg from 'pg'
import type { Executor } from '../db/database.js'
import type { LiveNotice } from '../../live/live.events.js'

export const LIVE_CHANNEL = 'nc_live'

export async function notify(db: Executor, notice: LiveNotice): Promise<void> {
  await sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(notice)})`.execute(db)
}

/** Stops hearing notices; `open()`, where the transport can lose its connection, says whether it holds one now. */
export type Unlisten = (() => Promise<void>) & { open?: () => boolean }
/** Starts hearing notices; `onLost` runs when some may have been missed (a dropped connection). */
export type Listen = (onNotice: (notice: LiveNotice) => void, onLost: () => void) => Promise<Unlisten>

const parse = (payload: string | undefined, onNotice: (notice: LiveNotice) => void) => {
  try {
    if (payload) onNotice(JSON.parse(payload) as LiveNotice)
  } catch (error) {
    console.error('[comments] live: a notice could not be read:', error)
  }
}

/**
 * PostgreSQL: one connection of its own, held for LISTEN (a pooled one would be handed to others).
 * It reconnects when the connection drops; notices sent meanwhile are lost to this replica, so its
 * streams are told to reset and reload.
 */
export function listenPostgres(connectionString: string): Listen {
  return async (onNotice, onLost) => {
    let client: pg.Client | null = null
    let stopped = false
    // A client whose connection dropped stays `client` until the next one listens.
    const lostClients = new WeakSet<pg.Client>()
    /** Tries again, a little later each time, until the database answers or the process stops. */
    const reconnect = (attempt: number) => {
      if (stopped) return
      setTimeout(
        () =>
          connect().catch((error) => {
            console.error('[comments] live: could not listen again:', (error as Error).message)
            reconnect(attempt + 1)
          }),
        Math.min(30_000, 1000 * 2 ** attempt) * (0.5 + Math.random()),
      ).unref()
    }
    const connect = async (): Promise<void> => {
      // Keep-alive and a query now and then: a connection a NAT or a failover dropped in silence is noticed.
      const next = new pg.Client({ connectionString, keepAlive: true })
      next.on('notification', (message) => parse(message.payload, onNotice))
      let lost = false
      next.on('error', (error) => {
        if (lost) return
        lost = true
        lostClients.add(next)
        console.error('[comments] live: listening connection lost:', error.message)
        void next.end().catch(() => undefined)
        if (stopped) return
        onLost()
        reconnect(0)
      })
      await next.connect()
      // Idle for hours on end is normal here; it must not keep a stopping process alive.
      ;(next as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.()
      await next.query(`listen ${LIVE_CHANNEL}`).catch(async (error) => {
        await next.end().catch(() => undefined)
        throw error
      })
      const probe = setInterval(() => void next.query('select 1').catch((error) => next.emit('error', error)), 30_000)
      probe.unref()
      next.once('end', () => clearInterval(probe))
      // Listening again after a loss: what changed while it was down, streams learn by a second reset.
      if (client) onLost()
      client = next
    }
    await connect()
    const unlisten = async () => {
      stopped = true
      await client?.end().catch(() => undefined)
    }
    return Object.assign(unlisten, { open: () => !stopped && client !== null && !lostClients.has(client) })
  }
}

/** PGlite: the same LISTEN, in process. */
export function listenPglite(pglite: {
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>
}): Listen {
  return async (onNotice) => pglite.listen(LIVE_CHANNEL, (payload) => parse(payload, onNotice))
}
