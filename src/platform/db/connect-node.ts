import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Kysely } from 'kysely'
import type { Env } from '../../env.js'
import { connectPostgres } from './connect-pg.js'
import { createPglite } from './pglite.js'
import { pgliteKysely } from './scripts.js'
import { type Listen, listenPglite, listenPostgres } from '../live/live.bus.js'
import type { Database } from './database.js'

export interface Connection {
  db: Kysely<Database>
  kind: 'postgres' | 'pglite'
  /** LISTEN for live notices from every replica (see src/live). */
  listen: Listen
  close(): Promise<void>
}

export class DataDirBusyError extends Error {
  override name = 'DataDirBusyError'
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * PGlite is single-process: two processes opening one data folder corrupt it.
 * A lock file holding the owner's pid turns the second opener into a clear error.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const lockPath = join(dataDir, 'server.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      let released = false
      const release = () => {
        if (released) return
        released = true
        rmSync(lockPath, { force: true })
      }
      process.once('exit', release)
      return release
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number.parseInt(readFileSync(lockPath, 'utf8'), 10)
      if (Number.isInteger(owner) && owner !== process.pid && processAlive(owner)) {
        throw new DataDirBusyError(
          `The embedded database in ${resolve(dataDir)} is in use by process ${owner} (is the server running?). ` +
            'Stop that process first, or point DATABASE_URL at a PostgreSQL server that several processes can share.',
        )
      }
      rmSync(lockPath, { force: true }) // left by a process that died: take it over
    }
  }
  throw new DataDirBusyError(`Could not lock ${resolve(dataDir)}`)
}

export async function openPglite(dataDir: string): Promise<Connection> {
  const release = lockDataDir(dataDir)
  try {
    const pglite = await createPglite(join(dataDir, 'pglite'))
    const db = pgliteKysely<Database>(pglite)
    return {
      db,
      kind: 'pglite',
      listen: listenPglite(pglite),
      async close() {
        await db.destroy()
        if (!pglite.closed) await pglite.close() // the dialect may already have closed it
        release()
      },
    }
  } catch (error) {
    release()
    throw error
  }
}

/** DATABASE_URL → PostgreSQL through `pg`; unset → embedded PostgreSQL (PGlite) in DATA_DIR. */
export async function connect(env: Env): Promise<Connection> {
  if (env.DATABASE_URL) {
    const db = connectPostgres(env.DATABASE_URL, { max: 16 })
    return { db, kind: 'postgres', listen: listenPostgres(env.DATABASE_URL), close: () => db.destroy() }
  }
  return openPglite(env.DATA_DIR)
}
