import { readFileSync } from 'node:fs'
import { inject } from 'vitest'
import type { Connection } from '../../src/platform/db/connect-node.js'
import { connectPostgres } from '../../src/platform/db/connect-pg.js'
import { createPglite } from '../../src/platform/db/pglite.js'
import { pgliteKysely } from '../../src/platform/db/scripts.js'
import { listenPglite, listenPostgres } from '../../src/platform/live/live.bus.js'
import type { Database } from '../../src/platform/db/database.js'
import { databaseUrl, withAdminClient } from './pg-admin.js'

export type DbKind = 'pglite' | 'postgres'

/** The database kinds this run covers: PGlite always, PostgreSQL when it is reachable. */
export function dbKinds(): DbKind[] {
  return inject('postgresTemplate') ? ['pglite', 'postgres'] : ['pglite']
}

let counter = 0

/** A fresh database cloned from the run's migrated template; close() discards it. */
export async function openTestDb(kind: DbKind): Promise<Connection & { url?: string }> {
  if (kind === 'pglite') {
    const template = readFileSync(inject('pgliteTemplate'))
    const pglite = await createPglite(undefined, { loadDataDir: new Blob([template]) })
    const db = pgliteKysely<Database>(pglite)
    return {
      db,
      kind,
      listen: listenPglite(pglite),
      async close() {
        await db.destroy()
        if (!pglite.closed) await pglite.close() // the dialect may already have closed it
      },
    }
  }
  const template = inject('postgresTemplate')
  if (!template) throw new Error('PostgreSQL is not available in this run')
  const name = `nc_t_${inject('runId')}_${process.pid}_${++counter}`
  await withAdminClient((client) => client.query(`create database ${name} template ${template}`))
  const db = connectPostgres(databaseUrl(name), { max: 10 })
  return {
    db,
    kind,
    listen: listenPostgres(databaseUrl(name)),
    url: databaseUrl(name),
    async close() {
      await db.destroy()
      await withAdminClient((client) => client.query(`drop database if exists ${name} with (force)`))
    },
  }
}
