// The screening-model migration changes the defaults for new installs only: an install that already
// exists keeps pre-moderation and the first-comment hold it had.
import { type Kysely, Migrator, sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { connectPostgres } from '../src/platform/db/connect-pg.js'
import type { Database } from '../src/platform/db/database.js'
import { migrateToLatest, migrations } from '../src/platform/db/migrations.js'
import { getSiteSettings } from '../src/settings/settings.repository.js'
import { dbKinds, openTestDb } from './helpers/test-db.js'
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
      await db
        .insertInto('settings')
        .values({ key: 'site', value: JSON.stringify({ bannedWords: ['scumbag'] }) })
        .execute()
      await migrateToLatest(db)
      expect(await getSiteSettings(db)).toMatchObject({
        moderationMode: 'pre',
        premodNewCommenters: 1,
        bannedWords: ['scumbag'],
        modelEnabled: true,
      })
      // The suspect list it never touched is the one it had, not the new longer default.
      expect((await getSiteSettings(db)).suspectWords).toEqual([
        'idiot',
        'stupid',
        'moron',
        'retard',
        'scum',
        'bitch',
        'ass',
        'asshole',
        'bastard',
        'shit',
        'غبي',
        'حمار',
        'خنزير',
        'حقير',
        'كلب',
        'تافه',
        'زبالة',
      ])
    } finally {
      await db.destroy()
    }
  })

  it('keeps the choices an install had made', async () => {
    const db = await databaseAt('2026-11-25T1200-initial')
    try {
      await db
        .insertInto('settings')
        .values({ key: 'site', value: JSON.stringify({ moderationMode: 'post', premodNewCommenters: 3 }) })
        .execute()
      await migrateToLatest(db)
      expect(await getSiteSettings(db)).toMatchObject({ moderationMode: 'post', premodNewCommenters: 3 })
    } finally {
      await db.destroy()
    }
  })

  it("takes each comment's first moderator decision on it while it waited from the audit log", async () => {
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '2026-11-28T1900-overview-speed'))
    const name = `nc_mig_${inject('runId')}_${process.pid}_${++counter}`
    await withAdminClient((client) => client.query(`create database ${name}`))
    created.push(name)
    const db = connectPostgres(databaseUrl(name), { max: 2 })
    try {
      const { error } = await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest()
      if (error) throw error
      await sql`insert into moderators (id, username, password_hash, role) values ('m1', 'mod', 'x', 'moderator')`.execute(db)
      await sql`insert into articles (id, title) values ('a1', 'An article')`.execute(db)
      await sql`
        insert into comments (id, article_id, author_name, body, status, screening, created_at, updated_at)
        select id, 'a1', 'Reader', 'Words', 'approved', '{}'::jsonb, '2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z'
        from unnest(array['twice', 'published', 'system', 'never']) id`.execute(db)
      const audit = (id: string, comment: string, actor: string | null, action: string, from: string | null, to: string, at: string) =>
        sql`insert into moderation_actions (id, comment_id, actor_id, actor_name, action, from_status, to_status, created_at)
          values (${id}, ${comment}, ${actor}, 'x', ${action}, ${from}, ${to}, ${at}::timestamptz)`.execute(db)
      // Approved while waiting, sent back by reports, rejected: the first decision counts.
      await audit('1', 'twice', 'm1', 'approve', 'pending', 'approved', '2026-11-01T11:00:00Z')
      await audit('2', 'twice', null, 'held_by_reports', 'approved', 'pending', '2026-11-02T09:00:00Z')
      await audit('3', 'twice', 'm1', 'reject', 'pending', 'rejected', '2026-11-02T10:00:00Z')
      // Removed after it was published: no wait ended.
      await audit('4', 'published', 'm1', 'reject', 'approved', 'rejected', '2026-11-01T12:00:00Z')
      // Screening's or the writer's decisions (no actor) are not a moderator's.
      await audit('5', 'system', null, 'reject', 'pending', 'rejected', '2026-11-01T12:00:00Z')
      await migrateToLatest(db)
      const rows = await sql<{ id: string; first_decided_at: Date | null }>`select id, first_decided_at from comments order by id`.execute(
        db,
      )
      expect(Object.fromEntries(rows.rows.map((r) => [r.id, r.first_decided_at?.toISOString() ?? null]))).toEqual({
        never: null,
        published: null,
        system: null,
        twice: '2026-11-01T11:00:00.000Z',
      })
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

describe.each(dbKinds())('starting on a current database (%s)', (kind) => {
  it('checks that it is current in one statement, without the migrator (issue 23)', async () => {
    const connection = await openTestDb(kind)
    try {
      let statements = 0
      const counted = connection.db.withPlugin({
        transformQuery: ({ node }) => {
          statements++
          return node
        },
        transformResult: async ({ result }) => result,
      })
      expect(await migrateToLatest(counted)).toEqual([])
      expect(statements).toBe(1)
    } finally {
      await connection.close()
    }
  })
})
