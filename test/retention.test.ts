// The nightly retention job, run with a moved clock: address hashes older than IP_RETENTION_DAYS are
// cleared and younger ones kept; a resolved report forgets its reporter, an open one does not; what has
// ended (sessions, rate-limit windows, finished outbox jobs) is pruned.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseEnv } from '../src/env.js'
import { RETENTION_CRON, RETENTION_QUEUE, runRetention, startRetentionWorker } from '../src/moderation/moderation.retention.js'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { type TestApp, aComment, aFormToken, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const DAY = 86_400_000

describe('IP_RETENTION_DAYS', () => {
  it('defaults to 90 and refuses less than the 30 days a ban holds addresses', () => {
    expect(parseEnv({ NODE_ENV: 'test' }).IP_RETENTION_DAYS).toBe(90)
    expect(parseEnv({ NODE_ENV: 'test', IP_RETENTION_DAYS: '30' }).IP_RETENTION_DAYS).toBe(30)
    expect(() => parseEnv({ NODE_ENV: 'test', IP_RETENTION_DAYS: '29' })).toThrow(/IP_RETENTION_DAYS/)
  })
})

for (const kind of dbKinds()) {
  describe(`retention on ${kind}`, () => {
    let t: TestApp
    let clock = new Date()
    const hooks: string[] = []
    beforeAll(async () => {
      t = await createTestApp(kind, {
        now: () => clock,
        fetch: async (_url, init) => {
          hooks.push(String(init?.body))
          return new Response(null, { status: 204 })
        },
      })
      await t.settings({ rateLimitPerMinute: 10, moderationMode: 'post', webhookUrl: 'https://hooks.example/comments' })
    })
    afterAll(() => t?.close())

    const post = async (articleId: string) => {
      const res = await t.postComment(articleId, {
        ...aComment(),
        formToken: await aFormToken(articleId, new Date(clock.getTime() - 60_000)),
      })
      expect(res.status).toBe(201)
      return ((await res.json()) as { comment: { id: string } }).comment.id
    }
    const hashes = async (ids: string[]) =>
      Object.fromEntries(
        (await t.db.selectFrom('comments').select(['id', 'ip_hash']).where('id', 'in', ids).execute()).map((r) => [r.id, r.ip_hash]),
      )

    it('clears an old comment’s address hash and keeps a recent one’s; forgets resolved reporters; prunes what ended', async () => {
      const start = new Date()
      clock = start
      const cookies = await signInBoth(t)
      const old = await post('retention-old')
      const reported = await post('retention-reported')
      const stillOpen = await post('retention-open')
      for (const id of [reported, stillOpen]) {
        expect((await t.json('POST', `/api/v1/comments/${id}/reports`, { reason: 'spam' }, { ip: '198.51.100.9' })).status).toBe(202)
      }
      // A moderator keeps the reported comment: its report is resolved now.
      expect((await modRequest(t, cookies.moderator, 'POST', `/api/v1/mod/comments/${reported}/approve`)).status).toBe(200)
      await t.settled()
      expect(hooks.length).toBeGreaterThan(0)

      // Eighty days on, another comment; ninety-one days after the first, the nightly job runs.
      clock = new Date(start.getTime() + 80 * DAY)
      const recent = await post('retention-recent')
      await t.settled()
      expect(Object.values(await hashes([old, recent])).every((h) => typeof h === 'string' && h.length > 0)).toBe(true)
      const jobsBefore = (await sql<{ n: number }>`select count(*)::int as n from pgboss.job where state = 'completed'`.execute(t.db))
        .rows[0]!.n
      expect(jobsBefore).toBeGreaterThan(0)

      const counts = await runRetention(t.db, { now: new Date(start.getTime() + 91 * DAY), ipRetentionDays: 90 })
      const after = await hashes([old, reported, stillOpen, recent])
      expect(after[old]).toBeNull()
      expect(after[reported]).toBeNull()
      expect(after[stillOpen]).toBeNull()
      expect(after[recent]).toEqual(expect.any(String))
      expect(counts.commentAddresses).toBe(3)

      const reporters = await t.db.selectFrom('reports').select(['comment_id', 'reporter_hash']).execute()
      expect(reporters.find((r) => r.comment_id === reported)!.reporter_hash).toBeNull()
      expect(reporters.find((r) => r.comment_id === stillOpen)!.reporter_hash).toEqual(expect.any(String))
      expect(counts.reporters).toBe(1)

      // Sessions ended long ago, the rate-limit windows too, and the webhook jobs finished more than a week before.
      expect(counts.sessions).toBeGreaterThanOrEqual(2)
      expect(await t.db.selectFrom('moderator_sessions').select('id').execute()).toEqual([])
      expect(counts.rateLimits).toBeGreaterThan(0)
      expect(await t.db.selectFrom('rate_limits').select('bucket').execute()).toEqual([])
      expect(counts.finishedJobs).toBeGreaterThanOrEqual(jobsBefore)
      expect((await sql<{ n: number }>`select count(*)::int as n from pgboss.job where state = 'completed'`.execute(t.db)).rows[0]!.n).toBe(
        0,
      )

      // A second run the same night finds nothing more to do.
      const again = await runRetention(t.db, { now: new Date(start.getTime() + 91 * DAY), ipRetentionDays: 90 })
      expect(Object.values(again).every((n) => n === 0)).toBe(true)
    })

    it('is a durable pg-boss job, scheduled nightly by the worker the Node server starts', async () => {
      const worker = await startRetentionWorker(t.db, { ipRetentionDays: 90 })
      try {
        const schedules = await sql<{
          name: string
          cron: string
        }>`select name, cron from pgboss.schedule where name = ${RETENTION_QUEUE}`.execute(t.db)
        expect(schedules.rows).toEqual([{ name: RETENTION_QUEUE, cron: RETENTION_CRON }])
      } finally {
        await worker.stop()
      }
    })
  })
}
