// An import killed hard (no chance to record its end) no longer shows "running" forever: the next start of
// the server, or of another import, marks it interrupted. A run still alive elsewhere is left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseEnv } from '../src/env.js'
import { IMPORT_SILENT_MINUTES, markAbandonedImports } from '../src/imports/imports.repository.js'
import { importFile } from '../src/imports/imports.run.js'
import { openAndMigrate } from '../src/node.setup.js'
import type { Db } from '../src/platform/db/database.js'
import { fixture } from './helpers/imports.js'
import { TEST_SECRET, type TestApp, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const MINUTE = 60_000

/** An imports row as a run leaves it when its process is killed: "running", last heard of `silentFor` ago. */
async function killedRun(db: Db, id: string, silentFor: number) {
  const at = new Date(Date.now() - silentFor)
  await db
    .insertInto('imports')
    .values({
      id,
      format: 'disqus',
      source: 'disqus',
      file: 'big.xml',
      status: 'running',
      started_at: at,
      counts: JSON.stringify({ aliveAt: at }),
    })
    .execute()
}
const statusOf = async (db: Db, id: string) =>
  (await db.selectFrom('imports').select(['status', 'error', 'finished_at']).where('id', '=', id).executeTakeFirstOrThrow()).status

for (const kind of dbKinds()) {
  describe(`imports killed hard, on ${kind}`, () => {
    let t: TestApp
    beforeAll(async () => {
      t = await createTestApp(kind)
    })
    afterAll(() => t?.close())

    it('the next import marks a run silent for minutes interrupted, and leaves one that is alive', async () => {
      await killedRun(t.db, 'killed-run-1', (IMPORT_SILENT_MINUTES + 1) * MINUTE)
      await killedRun(t.db, 'alive-run-1', 10_000)
      const result = await importFile(t.db, 'disqus', fixture('syria.disqus.xml'))
      expect(result.ok).toBe(true)
      expect(await statusOf(t.db, 'killed-run-1')).toBe('interrupted')
      const killed = await t.db.selectFrom('imports').selectAll().where('id', '=', 'killed-run-1').executeTakeFirstOrThrow()
      expect(killed.error).toMatch(/killed/)
      expect(killed.finished_at).not.toBeNull()
      expect(await statusOf(t.db, 'alive-run-1')).toBe('running')
      // The run itself ended as usual.
      const runs = await t.db.selectFrom('imports').select(['file', 'status']).where('file', '=', 'syria.disqus.xml').execute()
      expect(runs).toEqual([{ file: 'syria.disqus.xml', status: 'done' }])
      // Where only one process can open the database, every run still "running" at a start is dead.
      expect(await markAbandonedImports(t.db, new Date(), { everyRunning: true })).toBe(1)
      expect(await statusOf(t.db, 'alive-run-1')).toBe('interrupted')
    })
  })
}

describe.runIf(dbKinds().includes('postgres'))('a server start', () => {
  it('marks an import killed before it interrupted', async () => {
    const { openTestDb } = await import('./helpers/test-db.js')
    const db = await openTestDb('postgres')
    try {
      await killedRun(db.db, 'killed-before-start', (IMPORT_SILENT_MINUTES + 1) * MINUTE)
      const started = await openAndMigrate(parseEnv({ NODE_ENV: 'test', DATABASE_URL: db.url!, IP_HASH_SECRET: TEST_SECRET }))
      await started.close()
      expect(await statusOf(db.db, 'killed-before-start')).toBe('interrupted')
    } finally {
      await db.close()
    }
  })
})
