import { CompiledQuery } from 'kysely'
import PgBoss from 'pg-boss'
import type { Executor } from '../db/database.js'
import { runScript } from '../db/scripts.js'
import type { AnyDb } from '../db/database.js'

export const OUTBOX_SCHEMA = 'pgboss'

export type QueueDefinition = PgBoss.Queue

/** pg-boss's database interface over one of our handles: the same pool, PGlite or Hyperdrive. */
export function bossDb(db: Executor) {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      // pg-boss sends its schema and maintenance as scripts of several statements without parameters.
      if (values.length === 0) return runScript(db as AnyDb, text)
      const result = await db.executeQuery(CompiledQuery.raw(text, values))
      return { rows: result.rows as unknown[] }
    },
  }
}

/** A pg-boss handle that only sends and fetches: no timers, nothing to start or stop (Workers, requests). */
export function bossClient(db: Executor): PgBoss {
  return new PgBoss({
    db: bossDb(db),
    schema: OUTBOX_SCHEMA,
    supervise: false,
    schedule: false,
    migrate: false,
  } as PgBoss.ConstructorOptions)
}

/**
 * A pg-boss handle that works some of the outbox's queues in this process, started, its errors logged under
 * `name`. pg-boss's maintenance (handing back a dead sender's jobs) runs in the mail worker alone.
 */
export async function startOutboxWorker(db: AnyDb, name: string, options: { schedule?: boolean } = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    db: bossDb(db),
    schema: OUTBOX_SCHEMA,
    migrate: false,
    supervise: false,
    schedule: options.schedule ?? false,
  } as PgBoss.ConstructorOptions)
  boss.on('error', (error) => console.error(`[comments] ${name}:`, error.message))
  await boss.start()
  return boss
}

/** Creates or upgrades pg-boss's schema and the queues given; part of preparing the database at start. */
export async function installOutbox(db: AnyDb, queues: readonly QueueDefinition[]): Promise<void> {
  const boss = new PgBoss({
    db: bossDb(db),
    schema: OUTBOX_SCHEMA,
    supervise: false,
    schedule: false,
    migrate: true,
  } as PgBoss.ConstructorOptions)
  await boss.start()
  for (const queue of queues) await boss.createQueue(queue.name, queue)
  await boss.stop({ graceful: false, wait: true })
}
