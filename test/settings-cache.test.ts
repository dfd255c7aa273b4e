// The site's settings are kept in each replica's memory until a change is heard on the LISTEN/NOTIFY bus:
// a replica reads them once, not once per post, and still sees another replica's change.
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { parseEnv } from '../src/env.js'
import { appConfig, buildNodeApp, liveOf } from '../src/node.setup.js'
import type { Db } from '../src/platform/db/database.js'
import { getSiteSettings, saveSiteSettings } from '../src/settings/settings.repository.js'
import { PUBLISHER_ORIGIN, TEST_SECRET, type TestApp, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

/** Counts the statements a handle executes. */
function counter(): KyselyPlugin & { executed: number } {
  return {
    executed: 0,
    transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => args.node,
    async transformResult(this: { executed: number }, args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      this.executed++
      return args.result
    },
  }
}

for (const kind of dbKinds()) {
  describe(`site settings across replicas on ${kind}`, () => {
    let t: TestApp
    let replica: ReturnType<typeof buildNodeApp>
    let replicaDb: Db
    const statements = counter()

    beforeAll(async () => {
      t = await createTestApp(kind)
      // Another replica: its own handle (its own cache) and its own listening connection to the database.
      replicaDb = t.db.withPlugin(statements)
      const env = parseEnv({ NODE_ENV: 'test', PUBLIC_ORIGINS: PUBLISHER_ORIGIN, IP_HASH_SECRET: TEST_SECRET })
      replica = buildNodeApp({ ...t.connection, db: replicaDb }, appConfig(env, TEST_SECRET), { trustProxy: true })
      await liveOf(replica).followSettings()
    })
    afterAll(async () => {
      vi.useRealTimers()
      await liveOf(replica)?.stop()
      await t?.close()
    })

    it('keeps them without reading them again, and forgets them when another replica saves a change', async () => {
      const before = await getSiteSettings(replicaDb)
      const read = statements.executed
      // Long after the second a replica that hears nothing would keep them: still no statement.
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(Date.now() + 60_000)
      expect(await getSiteSettings(replicaDb)).toEqual(before)
      expect(statements.executed).toBe(read)
      vi.useRealTimers()

      await saveSiteSettings(t.db, { ...before, siteName: 'Heard on the bus' })
      await vi.waitFor(async () => expect((await getSiteSettings(replicaDb)).siteName).toBe('Heard on the bus'), { timeout: 10_000 })
    })
  })
}
