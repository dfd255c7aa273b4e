// The moderation overview (issue 16): what came in, how long it waited, why it was refused, where the
// talk was, and how much screening kept back, over the last few days. Read straight from comments and
// the audit log through the indexes of migrations 2026-11-28T1700-overview and 1900-overview-speed, so
// the figures are always exact (a decision on an old comment moves its day at once) and posting pays
// nothing extra for them; a moderator's first decision on a waiting comment writes one timestamp more.
import { sql } from 'kysely'
import { z } from 'zod'
import type { Executor } from '../platform/db/database.js'
import { REJECT_REASONS } from '../comments/comments.statuses.js'

export const OVERVIEW_PERIODS = [7, 30, 90] as const
export const DEFAULT_OVERVIEW_DAYS = 30

/** Any whole number of days up to 90: the indexes keep each query to the window, and 90 bounds it. */
export const overviewQuerySchema = z.object({
  days: z.coerce.number().int('a whole number of days').min(1, 'at least 1 day').max(90, 'at most 90 days').default(DEFAULT_OVERVIEW_DAYS),
})

export interface DayCounts {
  date: string
  approved: number
  pending: number
  rejected: number
}

export interface WaitingDay {
  date: string
  /** Comments whose first moderator decision fell on this day. */
  decided: number
  medianSeconds: number | null
  p90Seconds: number | null
}

export interface ReasonCount {
  /** A moderator's reason code (spam, abuse…, commenter_banned, unspecified) or "screening:<rule>". */
  reason: string
  source: 'moderator' | 'screening'
  count: number
}

export interface BusyArticle {
  articleId: string
  title: string | null
  url: string | null
  comments: number
  pending: number
}

export interface ScreeningDay {
  date: string
  screened: number
  held: number
  rejected: number
}

export interface Overview {
  days: number
  /** First and last day of the period (UTC), inclusive. */
  from: string
  to: string
  perDay: DayCounts[]
  waiting: { perDay: WaitingDay[]; overall: Omit<WaitingDay, 'date'> }
  reasons: ReasonCount[]
  busiestArticles: BusyArticle[]
  screening: { perDay: ScreeningDay[]; overall: Omit<ScreeningDay, 'date'> & { heldShare: number; rejectedShare: number } }
}

const DAY_MS = 86_400_000
const isoDay = (d: Date) => d.toISOString().slice(0, 10)
/** The UTC day of a timestamp column, grouped as a date and printed once per group. */
const utcDay = (column: string) => sql.raw(`(${column} at time zone 'UTC')::date`)
const seconds = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)))

/** The period's UTC days, oldest first, ending today. */
export function periodDays(now: Date, days: number): { since: Date; until: Date; dates: string[] } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  const since = new Date(today - (days - 1) * DAY_MS)
  const dates = Array.from({ length: days }, (_, i) => isoDay(new Date(since.getTime() + i * DAY_MS)))
  return { since, until: new Date(today + DAY_MS), dates }
}

/** Every day of the period, with zeros where the database had no row. */
function fill<T extends { date: string }>(dates: string[], rows: T[], empty: (date: string) => T): T[] {
  const byDate = new Map(rows.map((r) => [r.date, r]))
  return dates.map((date) => byDate.get(date) ?? empty(date))
}

export async function loadOverview(db: Executor, options: { days: number; now: Date }): Promise<Overview> {
  const { since, until, dates } = periodDays(options.now, options.days)
  const [perDay, waiting, reasons, busiest, screening] = await Promise.all([
    commentsPerDay(db, since, until),
    waitingTimes(db, since, until),
    rejectionReasons(db, since, until),
    busiestArticles(db, since, until),
    screeningPerDay(db, since, until),
  ])
  const screeningTotal = screening.reduce(
    (t, d) => ({ screened: t.screened + d.screened, held: t.held + d.held, rejected: t.rejected + d.rejected }),
    { screened: 0, held: 0, rejected: 0 },
  )
  const share = (n: number) => (screeningTotal.screened === 0 ? 0 : n / screeningTotal.screened)
  return {
    days: options.days,
    from: dates[0]!,
    to: dates[dates.length - 1]!,
    perDay: fill(dates, perDay, (date) => ({ date, approved: 0, pending: 0, rejected: 0 })),
    waiting: {
      perDay: fill(dates, waiting.perDay, (date) => ({ date, decided: 0, medianSeconds: null, p90Seconds: null })),
      overall: waiting.overall,
    },
    reasons,
    busiestArticles: busiest,
    screening: {
      perDay: fill(dates, screening, (date) => ({ date, screened: 0, held: 0, rejected: 0 })),
      overall: { ...screeningTotal, heldShare: share(screeningTotal.held), rejectedShare: share(screeningTotal.rejected) },
    },
  }
}

/** The overview's five queries, each on its own: for the bench's breakdown of where the time goes. */
export const overviewQueries = {
  perDay: (db: Executor, since: Date, until: Date) => commentsPerDay(db, since, until),
  waiting: (db: Executor, since: Date, until: Date) => waitingTimes(db, since, until),
  reasons: (db: Executor, since: Date, until: Date) => rejectionReasons(db, since, until),
  articles: (db: Executor, since: Date, until: Date) => busiestArticles(db, since, until),
  screening: (db: Executor, since: Date, until: Date) => screeningPerDay(db, since, until),
}

/** Comments written each day, by the status they have now. */
async function commentsPerDay(db: Executor, since: Date, until: Date): Promise<DayCounts[]> {
  const { rows } = await sql<DayCounts>`
    select to_char(${utcDay('created_at')}, 'YYYY-MM-DD') as date,
      count(*) filter (where status = 'approved')::int as approved,
      count(*) filter (where status = 'pending')::int as pending,
      count(*) filter (where status = 'rejected')::int as rejected
    from comments
    where created_at >= ${since} and created_at < ${until}
    group by ${utcDay('created_at')}`.execute(db)
  return rows
}

/**
 * How long waiting comments waited: from arrival to a moderator's first decision on each, grouped by
 * the decision's day and over the whole period in one pass. A comment that readers' reports sent back
 * to the queue counts once, at its first decision. That first decision's time is kept on the comment
 * (first_decided_at, set by changeStatus in the decision's own transaction and equal to the earliest
 * such audit row's time; migration 2026-11-28T1900-overview-speed), so this is one index-only range
 * scan of comments_first_decided over the window, no join and no per-decision lookup. The predicate
 * repeats the partial index's own so the planner can use it.
 */
async function waitingTimes(db: Executor, since: Date, until: Date): Promise<{ perDay: WaitingDay[]; overall: Omit<WaitingDay, 'date'> }> {
  const { rows } = await sql<{ date: string | null; decided: number; median: number | null; p90: number | null }>`
    select to_char(day, 'YYYY-MM-DD') as date, count(*)::int as decided,
      percentile_cont(0.5) within group (order by waited) as median,
      percentile_cont(0.9) within group (order by waited) as p90
    from (
      select (first_decided_at at time zone 'UTC')::date as day, extract(epoch from (first_decided_at - created_at))::float8 as waited
      from comments
      where first_decided_at is not null and first_decided_at >= ${since} and first_decided_at < ${until}
    ) d
    group by grouping sets ((day), ())`.execute(db)
  const toWait = (r: (typeof rows)[number]) => ({ decided: r.decided, medianSeconds: seconds(r.median), p90Seconds: seconds(r.p90) })
  const overall = rows.find((r) => r.date === null)
  return {
    perDay: rows.filter((r) => r.date !== null).map((r) => ({ date: r.date!, ...toWait(r) })),
    overall: overall ? toWait(overall) : { decided: 0, medianSeconds: null, p90Seconds: null },
  }
}

/**
 * Rejections in the period by reason: a moderator's code (the text before any note), a ban's, or the
 * screening rule that refused the comment on arrival ("screening:shadow_ban" for a shadow-banned writer's,
 * "screening:not_recorded" when the rule is no longer known).
 */
async function rejectionReasons(db: Executor, since: Date, until: Date): Promise<ReasonCount[]> {
  const codes = sql.join(REJECT_REASONS.map((r) => sql.lit(r)))
  const { rows } = await sql<{ reason: string; source: 'moderator' | 'screening'; count: number }>`
    select reason, source, count(*)::int as count from (
      select
        case
          when a.action = 'screened' then 'screening:' || coalesce((
            select r ->> 'rule' from comments c, jsonb_array_elements(coalesce(c.screening -> 'reasons', '[]'::jsonb)) r
            where c.id = a.comment_id and r ->> 'verdict' = 'reject' limit 1),
            -- No rule refused it: its writer was shadow-banned (stored rejected, shown to them only), or the
            -- reasons are gone with an erasure or never came with an import.
            case when a.reason like 'Shadow-banned%' then 'shadow_ban' else 'not_recorded' end)
          when split_part(a.reason, ':', 1) in (${codes}) then split_part(a.reason, ':', 1)
          when a.reason = 'commenter banned' then 'commenter_banned'
          else 'unspecified'
        end as reason,
        case when a.action = 'screened' then 'screening' else 'moderator' end as source
      from moderation_actions a
      where a.to_status = 'rejected' and a.created_at >= ${since} and a.created_at < ${until}
        and (a.action = 'screened' or (a.action = 'reject' and a.actor_id is not null))
    ) x
    group by reason, source
    order by count desc, reason`.execute(db)
  return rows
}

/** The ten articles with the most comments written in the period. */
async function busiestArticles(db: Executor, since: Date, until: Date): Promise<BusyArticle[]> {
  const { rows } = await sql<{ article_id: string; title: string | null; url: string | null; comments: number; pending: number }>`
    select t.article_id, a.title, a.url, t.comments, t.pending
    from (
      select article_id, count(*)::int as comments, count(*) filter (where status = 'pending')::int as pending
      from comments
      where created_at >= ${since} and created_at < ${until}
      group by article_id
      order by comments desc, article_id
      limit 10
    ) t
    join articles a on a.id = t.article_id
    order by t.comments desc, t.article_id`.execute(db)
  return rows.map((r) => ({ articleId: r.article_id, title: r.title, url: r.url, comments: r.comments, pending: r.pending }))
}

/**
 * What screening decided on each day's new comments: held for a moderator or refused. Held includes
 * holds by policy (pre-moderation, a new commenter), since screening applies those too.
 */
async function screeningPerDay(db: Executor, since: Date, until: Date): Promise<ScreeningDay[]> {
  const { rows } = await sql<ScreeningDay>`
    select to_char(${utcDay('created_at')}, 'YYYY-MM-DD') as date, count(*)::int as screened,
      count(*) filter (where to_status = 'pending')::int as held,
      count(*) filter (where to_status = 'rejected')::int as rejected
    from moderation_actions
    where action = 'screened' and from_status is null and created_at >= ${since} and created_at < ${until}
    group by ${utcDay('created_at')}`.execute(db)
  return rows
}
