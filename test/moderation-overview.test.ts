import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CommentStatus } from '../src/platform/db/database.js'
import { newId } from '../src/platform/lib/ids.js'
import { MODERATOR, modRequest, signIn, signInBoth } from './helpers/moderators.js'
import { type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

// The overview's figures from a small, fully known history: every timestamp is explicit and the
// app's clock stands at NOW, so each count, wait and share below is worked out by hand.
const NOW = new Date('2026-11-20T15:00:00Z')
const at = (iso: string) => new Date(iso)

for (const kind of dbKinds()) {
  describe(`the moderation overview (${kind})`, () => {
    let t: TestApp
    let cookie: string
    let moderatorId: string
    const ids: Record<string, string> = {}

    const comment = async (
      name: string,
      article: string,
      status: CommentStatus,
      created: string,
      screening: { verdict: string; reasons: unknown[] },
      screened: CommentStatus,
    ) => {
      const id = newId(at(created).getTime())
      ids[name] = id
      await t.db
        .insertInto('comments')
        .values({
          id,
          article_id: article,
          author_name: name,
          body: `Comment ${name}`,
          status,
          screening: JSON.stringify(screening),
          created_at: at(created),
          updated_at: at(created),
        })
        .execute()
      await audit(name, { actor: null, action: 'screened', from: null, to: screened, when: created })
    }
    const audit = async (
      name: string,
      a: { actor: string | null; action: string; from: CommentStatus | null; to: CommentStatus; when: string; reason?: string },
    ) => {
      await t.db
        .insertInto('moderation_actions')
        .values({
          id: newId(at(a.when).getTime()),
          comment_id: ids[name]!,
          actor_id: a.actor,
          actor_name: a.actor ? MODERATOR.username : 'system',
          action: a.action,
          from_status: a.from,
          to_status: a.to,
          reason: a.reason ?? null,
          created_at: at(a.when),
        })
        .execute()
    }
    // Written straight to the tables with explicit times, as changeStatus would write them: the audit row,
    // and on a waiting comment the first decision's time on the comment (the earliest wins).
    const decide = async (name: string, action: 'approve' | 'reject', from: CommentStatus, when: string, reason?: string) => {
      await audit(name, {
        actor: moderatorId,
        action,
        from,
        to: action === 'approve' ? 'approved' : 'rejected',
        when,
        ...(reason ? { reason } : {}),
      })
      if (from === 'pending') {
        await t.db
          .updateTable('comments')
          .set({ first_decided_at: sql<Date>`least(first_decided_at, ${at(when)}::timestamptz)` })
          .where('id', '=', ids[name]!)
          .execute()
      }
    }

    beforeAll(async () => {
      t = await createTestApp(kind, { now: () => NOW })
      await signInBoth(t)
      cookie = await signIn(t, MODERATOR, '192.0.2.201')
      moderatorId = (await t.db.selectFrom('moderators').select('id').where('username', '=', MODERATOR.username).executeTakeFirstOrThrow())
        .id
      await t.db
        .insertInto('articles')
        .values([
          { id: 'convoy', title: 'Convoy reaches the north', url: 'https://news.example/convoy' },
          { id: 'floods', title: 'Floods in the valley', url: 'https://news.example/floods' },
          { id: 'old-news', title: 'Old news', url: null },
        ])
        .execute()
      const clean = { verdict: 'publish', reasons: [] }
      const held = { verdict: 'hold', reasons: [{ rule: 'moderation_mode', verdict: 'hold', message: 'Pre-moderation' }] }
      const refused = {
        verdict: 'reject',
        reasons: [
          { rule: 'suspect_word', verdict: 'hold', message: 'x' },
          { rule: 'banned_word', verdict: 'reject', message: 'y' },
        ],
      }

      // Before the period: written on the 13th, decided an hour later on the 14th (inside it).
      await comment('c8', 'old-news', 'approved', '2026-11-13T23:59:59Z', held, 'pending')
      await decide('c8', 'approve', 'pending', '2026-11-14T00:59:59Z')
      // The 17th: published at once, removed by a moderator later (not a wait in the queue).
      await comment('c10', 'floods', 'rejected', '2026-11-17T10:00:00Z', clean, 'approved')
      await decide('c10', 'reject', 'approved', '2026-11-17T12:00:00Z', 'abuse')
      // The 18th.
      await comment('c1', 'convoy', 'approved', '2026-11-18T10:00:00Z', clean, 'approved')
      await comment('c2', 'convoy', 'rejected', '2026-11-18T11:00:00Z', held, 'pending')
      await decide('c2', 'approve', 'pending', '2026-11-18T11:10:00Z') // waited 600 s
      // Reports sent it back to the queue; its second decision is not a second wait.
      await audit('c2', { actor: null, action: 'held_by_reports', from: 'approved', to: 'pending', when: '2026-11-19T08:00:00Z' })
      await decide('c2', 'reject', 'pending', '2026-11-19T12:00:00Z', 'off_topic')
      await comment('c3', 'convoy', 'rejected', '2026-11-18T12:00:00Z', held, 'pending')
      await decide('c3', 'reject', 'pending', '2026-11-18T13:00:00Z', 'spam: a link farm') // 3600 s
      await comment('c4', 'floods', 'pending', '2026-11-18T13:00:00Z', held, 'pending')
      // The 19th.
      await comment('c5', 'convoy', 'approved', '2026-11-19T09:00:00Z', held, 'pending')
      await decide('c5', 'approve', 'pending', '2026-11-19T10:00:00Z') // 3600 s
      await comment('c6', 'floods', 'rejected', '2026-11-19T09:30:00Z', refused, 'rejected')
      // Today, the 20th.
      await comment('c7', 'convoy', 'pending', '2026-11-20T08:00:00Z', held, 'pending')
      await comment('c11', 'convoy', 'rejected', '2026-11-20T09:00:00Z', held, 'pending')
      await decide('c11', 'reject', 'pending', '2026-11-20T10:30:00Z', 'commenter banned') // 5400 s
    })
    afterAll(() => t?.close())

    const overview = async (query = '?days=7') => {
      const res = await modRequest(t, cookie, 'GET', `/api/v1/mod/overview${query}`)
      expect(res.status).toBe(200)
      return res.json()
    }

    it("counts each day's comments by their status now, with every day of the period present", async () => {
      const o = await overview()
      expect(o).toMatchObject({ days: 7, from: '2026-11-14', to: '2026-11-20' })
      expect(o.perDay).toEqual([
        { date: '2026-11-14', approved: 0, pending: 0, rejected: 0 },
        { date: '2026-11-15', approved: 0, pending: 0, rejected: 0 },
        { date: '2026-11-16', approved: 0, pending: 0, rejected: 0 },
        { date: '2026-11-17', approved: 0, pending: 0, rejected: 1 },
        { date: '2026-11-18', approved: 1, pending: 1, rejected: 2 },
        { date: '2026-11-19', approved: 1, pending: 0, rejected: 1 },
        { date: '2026-11-20', approved: 0, pending: 1, rejected: 1 },
      ])
    })

    it('measures the wait from arrival to the first moderator decision, median and 90th percentile per day', async () => {
      const o = await overview()
      const days = Object.fromEntries(
        o.waiting.perDay.filter((d: { decided: number }) => d.decided > 0).map((d: { date: string }) => [d.date, d]),
      )
      expect(days).toEqual({
        '2026-11-14': { date: '2026-11-14', decided: 1, medianSeconds: 3600, p90Seconds: 3600 },
        '2026-11-18': { date: '2026-11-18', decided: 2, medianSeconds: 2100, p90Seconds: 3300 },
        '2026-11-19': { date: '2026-11-19', decided: 1, medianSeconds: 3600, p90Seconds: 3600 },
        '2026-11-20': { date: '2026-11-20', decided: 1, medianSeconds: 5400, p90Seconds: 5400 },
      })
      expect(o.waiting.perDay.find((d: { date: string }) => d.date === '2026-11-15')).toEqual({
        date: '2026-11-15',
        decided: 0,
        medianSeconds: null,
        p90Seconds: null,
      })
      // 600, 3600, 3600, 3600, 5400: the 90th percentile lies 0.6 of the way from 3600 to 5400.
      expect(o.waiting.overall).toEqual({ decided: 5, medianSeconds: 3600, p90Seconds: 4680 })
    })

    it("counts rejections by the moderator's reason code and by the screening rule that refused", async () => {
      const o = await overview()
      expect(o.reasons).toEqual([
        { reason: 'abuse', source: 'moderator', count: 1 },
        { reason: 'commenter_banned', source: 'moderator', count: 1 },
        { reason: 'off_topic', source: 'moderator', count: 1 },
        { reason: 'screening:banned_word', source: 'screening', count: 1 },
        { reason: 'spam', source: 'moderator', count: 1 },
      ])
    })

    it('lists the busiest articles of the period, with what still waits there', async () => {
      const o = await overview()
      expect(o.busiestArticles).toEqual([
        { articleId: 'convoy', title: 'Convoy reaches the north', url: 'https://news.example/convoy', comments: 6, pending: 1 },
        { articleId: 'floods', title: 'Floods in the valley', url: 'https://news.example/floods', comments: 3, pending: 1 },
      ])
    })

    it('gives the share screening held or rejected, per day and overall', async () => {
      const o = await overview()
      const days = o.screening.perDay.filter((d: { screened: number }) => d.screened > 0)
      expect(days).toEqual([
        { date: '2026-11-17', screened: 1, held: 0, rejected: 0 },
        { date: '2026-11-18', screened: 4, held: 3, rejected: 0 },
        { date: '2026-11-19', screened: 2, held: 1, rejected: 1 },
        { date: '2026-11-20', screened: 2, held: 2, rejected: 0 },
      ])
      expect(o.screening.overall).toEqual({ screened: 9, held: 6, rejected: 1, heldShare: 6 / 9, rejectedShare: 1 / 9 })
    })

    it('defaults to 30 days and widens the window with them', async () => {
      const o = await overview('')
      expect(o).toMatchObject({ days: 30, from: '2026-10-22', to: '2026-11-20' })
      expect(o.perDay).toHaveLength(30)
      expect(o.busiestArticles.map((a: { articleId: string }) => a.articleId)).toEqual(['convoy', 'floods', 'old-news'])
      expect(o.waiting.overall.decided).toBe(5)
    })

    it('answers only signed-in moderators', async () => {
      expect((await modRequest(t, null, 'GET', '/api/v1/mod/overview')).status).toBe(401)
    })

    it('refuses a period that is not a whole number of days from 1 to 90 with 422', async () => {
      for (const days of ['0', '91', '7.5', 'week', '-3']) {
        const res = await modRequest(t, cookie, 'GET', `/api/v1/mod/overview?days=${days}`)
        expect(res.status, days).toBe(422)
        expect((await res.json()).error.fields.days, days).toBeTruthy()
      }
    })

    it('draws the workspace page with its charts and their figures, and refuses a bad period as a page', async () => {
      const res = await t.app.request('/moderate/overview?days=7', { headers: { cookie } })
      expect(res.status).toBe(200)
      const html = await res.text()
      expect(html).toContain('<a href="/moderate/overview">Overview</a>')
      for (const id of ['chart-per-day', 'chart-waiting', 'chart-reasons', 'chart-articles', 'chart-screening'])
        expect(html).toContain(`id="${id}"`)
      expect(html).toContain('<option value="7" selected="">Last 7 days</option>')
      expect(html).toContain('9 comments written: 2 approved, 2 pending, 5 rejected')
      expect(html).toContain('5 waiting comments decided; median wait 1 h, 90th percentile 1.3 h.')
      expect(html).toContain('href="/moderate?queue=pending&amp;articleId=convoy"')
      expect(html).not.toContain('<script')
      const bad = await t.app.request('/moderate/overview?days=365', { headers: { cookie } })
      expect(bad.status).toBe(422)
      expect(await bad.text()).toContain('Choose a period of 1 to 90 days.')
      expect((await t.app.request('/moderate/overview')).status).toBe(303)
    })
  })
}

// The real paths: a moderator's first approval or rejection of a waiting comment is kept on the comment
// (first_decided_at, what the overview's waiting time reads) with its audit row's own time, and nothing
// after it moves it. The overview's figures are checked against the audit log itself.
for (const kind of dbKinds()) {
  describe(`the first decision on a waiting comment (${kind})`, () => {
    let t: TestApp
    let cookie: string
    beforeAll(async () => {
      t = await createTestApp(kind)
      await t.settings({ rateLimitPerMinute: 0, moderationMode: 'pre', reportThreshold: 1 })
      await signInBoth(t)
      cookie = await signIn(t, MODERATOR, '192.0.2.202')
    })
    afterAll(() => t?.close())

    const held = async () => {
      const res = await t.postComment('first-decisions', aComment())
      expect(res.status).toBe(202)
      return (await res.json()).comment.id as string
    }
    const act = async (id: string, action: 'approve' | 'reject') => {
      const res = await modRequest(t, cookie, 'POST', `/api/v1/mod/comments/${id}/${action}`, action === 'reject' ? { reason: 'spam' } : {})
      expect(res.status).toBe(200)
    }
    const firstDecided = async (id: string) =>
      (await t.db.selectFrom('comments').select('first_decided_at').where('id', '=', id).executeTakeFirstOrThrow()).first_decided_at
    const decisions = (id: string) =>
      t.db
        .selectFrom('moderation_actions')
        .select(['action', 'from_status', 'created_at'])
        .where('comment_id', '=', id)
        .where('actor_id', 'is not', null)
        .orderBy('id')
        .execute()

    it('sets it once, at the audit row of the first decision, and the overview follows the audit log', async () => {
      const [reported, rejected, waiting] = [await held(), await held(), await held()]
      expect(await firstDecided(reported)).toBeNull()

      await act(reported, 'approve')
      const [approval] = await decisions(reported)
      expect(approval).toMatchObject({ action: 'approve', from_status: 'pending' })
      const first = await firstDecided(reported)
      expect(first).toEqual(approval!.created_at)
      // Readers' reports send it back to the queue; the moderator's second decision there is not a second wait.
      expect(
        (await t.json('POST', `/api/v1/comments/${reported}/reports`, { reason: 'other' }, { ip: '198.51.100.90' })).status,
      ).toBeLessThan(300)
      expect((await t.db.selectFrom('comments').select('status').where('id', '=', reported).executeTakeFirstOrThrow()).status).toBe(
        'pending',
      )
      await act(reported, 'reject')
      expect((await decisions(reported)).map((d) => [d.action, d.from_status])).toEqual([
        ['approve', 'pending'],
        ['reject', 'pending'],
      ])
      expect(await firstDecided(reported)).toEqual(first)

      // Rejected while waiting, then approved from rejected: only the rejection ended a wait.
      await act(rejected, 'reject')
      const rejection = await firstDecided(rejected)
      expect(rejection).toEqual((await decisions(rejected))[0]!.created_at)
      await act(rejected, 'approve')
      expect(await firstDecided(rejected)).toEqual(rejection)
      expect(await firstDecided(waiting)).toBeNull()

      // The overview's waiting figures are the ones the audit log gives for the same days.
      const now = new Date()
      const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 86_400_000)
      const { rows } = await sql<{ decided: number; median: number | null; p90: number | null }>`
        select count(*)::int as decided, percentile_cont(0.5) within group (order by waited) as median, percentile_cont(0.9) within group (order by waited) as p90
        from (
          select extract(epoch from (a.created_at - c.created_at))::float8 as waited
          from moderation_actions a join comments c on c.id = a.comment_id
          where a.created_at >= ${since} and a.actor_id is not null and a.from_status = 'pending' and a.action in ('approve', 'reject')
            and a.created_at = (select min(b.created_at) from moderation_actions b
              where b.comment_id = a.comment_id and b.actor_id is not null and b.from_status = 'pending' and b.action in ('approve', 'reject'))
        ) d`.execute(t.db)
      const res = await modRequest(t, cookie, 'GET', '/api/v1/mod/overview?days=2')
      expect(res.status).toBe(200)
      const o = await res.json()
      const round = (v: number | null) => (v === null ? null : Math.round(Number(v)))
      expect(rows[0]!.decided).toBe(2)
      expect(o.waiting.overall).toEqual({ decided: 2, medianSeconds: round(rows[0]!.median), p90Seconds: round(rows[0]!.p90) })
      expect(o.waiting.perDay.reduce((n: number, d: { decided: number }) => n + d.decided, 0)).toBe(2)
    })
  })
}
