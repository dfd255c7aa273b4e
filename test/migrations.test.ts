// The screening-model migration changes the defaults for new installs only: an install that already
// exists keeps pre-moderation and the first-comment hold it had.
import { type Kysely, Migrator } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { connectPostgres } from '../src/db/connect-pg.js'
import type { Database } from '../src/db/database.js'
import { migrateToLatest, migrations } from '../src/db/migrations.js'
import { getSiteSettings } from '../src/settings/settings.repository.js'
import { dbKinds } from './helpers/test-db.js'
import { databaseUrl, withAdminClient } from './helpers/pg-admin.js'

describe.skipIf(!dbKinds().includes('postgres'))('migrating an existing install', () => {
  const created: string[] = []
  let counter = 0

  async function databaseAt(firstMigration: string): Promise<Kysely<Database>> {
    const name = `nc_mig_${inject('runId')}_${process.pid}_${++counter}`
    await withAdminClient((client) => client.query(`create database ${name}`))
    created.push(name)
    const db = connectPostgres(databaseUrl(name), { max: 2 })
    const only = { [firstMigration]: migrations[firstMigration]! }
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => only } }).migrateToLatest()
    if (error) throw error
    return db
  }

  afterAll(async () => {
    await withAdminClient(async (client) => {
      for (const name of created) await client.query(`drop database if exists ${name} with (force)`)
    })
  })

  it('keeps pre-moderation and the first-comment hold for an install that has been used', async () => {
    const db = await databaseAt('2026-11-25T1200-initial')
    try {
      // Used, with settings saved before the model existed (a word list changed, the mode never touched).
      await db.insertInto('settings').values({ key: 'site', value: JSON.stringify({ bannedWords: ['scumbag'] }) }).execute()
      await migrateToLatest(db)
      expect(await getSiteSettings(db)).toMatchObject({ moderationMode: 'pre', premodNewCommenters: 1, bannedWords: ['scumbag'], modelEnabled: true })
      // The suspect list it never touched is the one it had, not the new longer default.
      expect((await getSiteSettings(db)).suspectWords).toEqual(['idiot', 'stupid', 'moron', 'retard', 'scum', 'bitch', 'ass', 'asshole', 'bastard', 'shit', 'غبي', 'حمار', 'خنزير', 'حقير', 'كلب', 'تافه', 'زبالة'])
    } finally {
      await db.destroy()
    }
  })

  it('keeps the choices an install had made', async () => {
    const db = await databaseAt('2026-11-25T1200-initial')
    try {
      await db.insertInto('settings').values({ key: 'site', value: JSON.stringify({ moderationMode: 'post', premodNewCommenters: 3 }) }).execute()
      await migrateToLatest(db)
      expect(await getSiteSettings(db)).toMatchObject({ moderationMode: 'post', premodNewCommenters: 3 })
    } finally {
      await db.destroy()
    }
  })

  it('gives a fresh install post-moderation with screening', async () => {
    const db = await databaseAt('2026-11-25T1200-initial')
    try {
      await migrateToLatest(db)
      expect(await db.selectFrom('settings').selectAll().execute()).toEqual([])
      expect(await getSiteSettings(db)).toMatchObject({ moderationMode: 'post', premodNewCommenters: 0, modelEnabled: true })
    } finally {
      await db.destroy()
    }
  })
})
