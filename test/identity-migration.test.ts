// Migration 2026-11-29T1200-reader-identity on an install with readers signed in: their tokens keep their
// old end as the cap and start sliding (30 days from now at most); nobody is signed out by the upgrade.
import { Migrator, sql } from 'kysely'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { connectPostgres } from '../src/platform/db/connect-pg.js'
import { migrateToLatest, migrations } from '../src/platform/db/migrations.js'
import { databaseUrl, withAdminClient } from './helpers/pg-admin.js'
import { dbKinds } from './helpers/test-db.js'

const DAY = 86_400_000

describe.skipIf(!dbKinds().includes('postgres'))('upgrading reader tokens to a sliding lifetime', () => {
  const name = `nc_mig_identity_${inject('runId')}_${process.pid}`
  afterAll(() => withAdminClient((client) => client.query(`drop database if exists ${name} with (force)`)))

  it('keeps each token’s end as its cap and lets it slide from now', async () => {
    await withAdminClient((client) => client.query(`create database ${name}`))
    const db = connectPostgres(databaseUrl(name), { max: 2 })
    try {
      const before = Object.fromEntries(Object.entries(migrations).filter(([key]) => key < '2026-11-29T1200-reader-identity'))
      const { error } = await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest()
      if (error) throw error
      const now = Date.now()
      await sql`insert into commenters (id, kind, email, email_normalized, email_canonical, name) values ('r1', 'email', 'a@example.org', 'a@example.org', 'a@example.org', 'A')`.execute(
        db,
      )
      const token = (hash: string, endsInDays: number, revoked = false) =>
        sql`insert into reader_tokens (token_hash, commenter_id, expires_at, revoked_at) values (${hash}, 'r1', ${new Date(now + endsInDays * DAY)}, ${revoked ? new Date(now) : null})`.execute(
          db,
        )
      await token('long', 170)
      await token('short', 10)
      await token('revoked', 100, true)
      await migrateToLatest(db)
      const rows = await sql<{
        token_hash: string
        expires_at: Date
        ends_at: Date
      }>`select token_hash, expires_at, ends_at from reader_tokens order by token_hash`.execute(db)
      const byHash = Object.fromEntries(rows.rows.map((r) => [r.token_hash, r]))
      expect(byHash.long!.ends_at.getTime()).toBe(now + 170 * DAY)
      expect(byHash.long!.expires_at.getTime()).toBeLessThanOrEqual(Date.now() + 30 * DAY)
      expect(byHash.long!.expires_at.getTime()).toBeGreaterThan(now + 29 * DAY)
      expect(byHash.short!.expires_at.getTime()).toBe(now + 10 * DAY)
      expect(byHash.revoked!.ends_at.getTime()).toBe(now + 100 * DAY)
    } finally {
      await db.destroy()
    }
  })
})
