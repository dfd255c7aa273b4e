// The overview line (issue 16): the overview's queries over a million comments and their audit rows.
// The history is written by a few `insert … select generate_series` statements into a scratch database
// beside DATABASE_URL's (created and dropped here, so the usual bench database does not grow by a
// million rows each run); on PGlite a smaller history, said so in the line.
//
// The history: comments spread evenly over a year (about 2,700 a day), on 2,000 articles of which a
// few draw most of the talk; screening publishes 68%, holds 30% and refuses 2%; moderators decide the
// held ones within 12 hours, rejecting a fifth with a reason code; the last two days' are partly still
// waiting. One audit row per arrival and one per decision: about 1.3 audit rows per comment. A decided
// comment carries its decision's time in first_decided_at, as changeStatus writes it; the bench checks
// that it agrees with the audit log (the rule migration 2026-11-28T1900-overview-speed backfills by).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { sql } from 'kysely'
import pg from 'pg'
import { openPglite } from '../src/platform/db/connect-node.js'
import { connectPostgres } from '../src/platform/db/connect-pg.js'
import type { Db } from '../src/platform/db/database.js'
import { prepareDatabase } from '../src/database.setup.js'
import { loadOverview, overviewQueries, periodDays } from '../src/moderation/moderation.overview.js'

const RUNS = 20

async function withScratchDb<T>(work: (db: Db, kind: 'postgres' | 'pglite') => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), 'nc-overview-'))
    const connection = await openPglite(dir)
    try {
      await prepareDatabase(connection.db)
      return await work(connection.db, 'pglite')
    } finally {
      await connection.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const name = `nc_overview_${Date.now().toString(36)}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const scratch = new URL(url)
  scratch.pathname = `/${name}`
  const db = connectPostgres(scratch.toString(), { max: 8 })
  try {
    await prepareDatabase(db)
    return await work(db, 'postgres')
  } finally {
    await db.destroy()
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

/** Writes `rows` comments and their audit rows ending at `now`, in five statements. */
export async function seed(db: Db, rows: number, now: Date) {
  await sql`insert into moderators (id, username, password_hash, role) values ('ovb-mod', 'ovb', 'x', 'moderator')`.execute(db)
  await sql`
    insert into articles (id, title, url)
    select 'ovb-' || a, 'Bench article ' || a, 'https://news.example/ovb-' || a from generate_series(0, 1999) a`.execute(db)
  // g's place in the year fixes its time; its remainders fix its fate, so the audit rows can be derived.
  const created = sql`(${now}::timestamptz - (g::float8 / ${rows}) * interval '365 days')`
  const screened = sql`case when g % 50 = 3 then 'rejected' when g % 10 < 3 then 'pending' else 'approved' end`
  const stillWaiting = sql`(g % 10 < 3 and g::float8 / ${rows} < 2.0 / 365 and g % 3 = 0)`
  // The held ones a moderator decided, and when: the decision's audit row and the comment's
  // first_decided_at (as changeStatus writes them together) come from these same two expressions.
  const decided = sql`(g % 10 < 3 and g % 50 <> 3 and not ${stillWaiting})`
  const decidedAt = sql`(${created} + power(((g * 31) % 997)::float8 / 997, 2) * interval '12 hours')`
  await sql`
    insert into comments (id, article_id, author_name, body, status, screening, risk, first_decided_at, created_at, updated_at)
    select 'ovb' || lpad(g::text, 23, '0'),
      'ovb-' || floor(2000 * power(((g * 7919) % 10007)::float8 / 10007, 3))::int,
      'Reader ' || (g % 5000),
      'A comment on the reporting, number ' || g,
      case when ${stillWaiting} then 'pending' when ${screened} = 'pending' then (case when g % 5 = 0 then 'rejected' else 'approved' end) else ${screened} end,
      case when g % 50 = 3 then '{"verdict":"reject","reasons":[{"rule":"banned_word","verdict":"reject","message":"Contains a banned word"}]}'::jsonb
           when g % 10 < 3 then '{"verdict":"hold","reasons":[{"rule":"model_abuse","verdict":"hold","message":"Likely abusive"}]}'::jsonb
           else '{"verdict":"publish","reasons":[]}'::jsonb end,
      ((g * 37) % 101) / 100.0,
      case when ${decided} then ${decidedAt} end,
      ${created}, ${created}
    from generate_series(1::bigint, ${rows}::bigint) g`.execute(db)
  await sql`
    insert into moderation_actions (id, comment_id, article_id, actor_id, actor_name, action, from_status, to_status, reason, created_at)
    select 'ovs' || lpad(g::text, 23, '0'), 'ovb' || lpad(g::text, 23, '0'), null, null, 'system', 'screened', null, ${screened},
      case when g % 50 = 3 then 'Contains a banned word' when g % 10 < 3 then 'Likely abusive' end, ${created}
    from generate_series(1::bigint, ${rows}::bigint) g`.execute(db)
  await sql`
    insert into moderation_actions (id, comment_id, article_id, actor_id, actor_name, action, from_status, to_status, reason, created_at)
    select 'ovd' || lpad(g::text, 23, '0'), 'ovb' || lpad(g::text, 23, '0'), null, 'ovb-mod', 'ovb',
      case when g % 5 = 0 then 'reject' else 'approve' end, 'pending',
      case when g % 5 = 0 then 'rejected' else 'approved' end,
      case when g % 5 = 0 then (array['spam', 'abuse', 'off_topic', 'misinformation', 'other'])[1 + (g / 5) % 5] end,
      ${decidedAt}
    from generate_series(1::bigint, ${rows}::bigint) g
    where ${decided}`.execute(db)
}

function percentiles(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1)
  return { p50: at(0.5), p99: at(0.99) }
}

async function timeOverview(db: Db, days: number, now: Date) {
  for (let i = 0; i < 2; i++) await loadOverview(db, { days, now })
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    await loadOverview(db, { days, now })
    times.push(performance.now() - start)
  }
  return percentiles(times)
}

/** Each of the overview's queries alone, one after another: p50 over RUNS. */
async function timeParts(db: Db, days: number, now: Date) {
  const { since, until } = periodDays(now, days)
  const parts: string[] = []
  for (const [name, query] of Object.entries(overviewQueries)) {
    await query(db, since, until)
    const times: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now()
      await query(db, since, until)
      times.push(performance.now() - start)
    }
    parts.push(`${name}=${percentiles(times).p50}`)
  }
  return parts.join(' ')
}

/** Comments whose first_decided_at is not the earliest moderator decision on them while pending in the audit log. */
async function disagreements(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n
    from comments c
    full join (
      select comment_id, min(created_at) as first from moderation_actions
      where actor_id is not null and from_status = 'pending' and action in ('approve', 'reject')
      group by comment_id
    ) d on d.comment_id = c.id
    where c.first_decided_at is distinct from d.first`.execute(db)
  return rows[0]!.n
}

/** Prints `overview rows=… p50_ms=… p99_ms=…` (30 days), then 7 and 90 days; then each query's share of 30 days. */
export async function overviewBenchmark(): Promise<void> {
  await withScratchDb(async (db, kind) => {
    const rows = Number(process.env.OVERVIEW_ROWS ?? (kind === 'postgres' ? 1_000_000 : 200_000))
    const now = new Date()
    const started = performance.now()
    await seed(db, rows, now)
    const disagreeing = await disagreements(db)
    if (disagreeing > 0) throw new Error(`${disagreeing} seeded comments' first_decided_at disagree with the audit log`)
    // Fresh statistics and a visibility map, as autovacuum would leave them: index-only scans need both.
    await sql`vacuum analyze`.execute(db)
    const seededIn = ((performance.now() - started) / 1000).toFixed(0)
    const audit = await sql<{ n: number }>`select count(*)::int as n from moderation_actions`.execute(db)
    const month = await timeOverview(db, 30, now)
    const week = await timeOverview(db, 7, now)
    const quarter = await timeOverview(db, 90, now)
    const parts = await timeParts(db, 30, now)
    const note = kind === 'pglite' ? ` (PGlite: ${rows} comments, not 1M; PostgreSQL with DATABASE_URL seeds 1M)` : ''
    console.log(
      `overview rows=${rows} p50_ms=${month.p50} p99_ms=${month.p99} (30 days, ${RUNS} runs) | 7 days p50_ms=${week.p50} p99_ms=${week.p99} | 90 days p50_ms=${quarter.p50} p99_ms=${quarter.p99} | audit_rows=${audit.rows[0]!.n} over 365 days, seeded in ${seededIn}s on ${kind}${note}`,
    )
    console.log(`overview parts (30 days, each alone, p50_ms): ${parts}`)
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await overviewBenchmark()
}
