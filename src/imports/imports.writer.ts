import { sql } from 'kysely'
import type { Db, Executor } from '../platform/db/database.js'
import { canonicalEmail, normalizeEmail } from '../commenters/commenters.repository.js'
import { newId } from '../platform/lib/ids.js'
import { NOTICES } from '../platform/i18n/i18n.reader.js'
import { publishableName } from '../comments/comments.schema.js'
import { prepareSubmission, runRules } from '../screening/screening.pipeline.js'
import { builtInRules } from '../screening/screening.rules.js'
import { getSiteSettings } from '../settings/settings.repository.js'
import type { SiteSettings } from '../settings/settings.schema.js'
import type { ImportedArticle, ImportedComment, ImportRecord } from './imports.types.js'
import { recountVisible } from '../comments/comments.visibility.js'

export interface ImportOptions {
  /** Names where rows came from (comments.source): the same file under the same source adds nothing twice. */
  source: string
  dryRun?: boolean
  /** Run the app's built-in screening rules to decide each comment's status instead of keeping the source's. */
  screen?: boolean
  /** Stop once this many rows were bad. */
  maxErrors?: number | null
  batchSize?: number
  /** Called after every batch, for a progress bar. */
  onBatch?: (summary: ImportSummary) => void
  /** Set to stop early (Ctrl-C): what is read so far is written and linked, then the import ends. */
  stop?: { requested: boolean }
  /** Filled as the import goes, so a caller still has the counts when a malformed file ends it. */
  summary?: ImportSummary
}

export interface ImportSummary {
  articles: { read: number; added: number }
  comments: {
    read: number
    added: number
    alreadyPresent: number
    byStatus: Record<'approved' | 'pending' | 'rejected' | 'removed', number>
  }
  commenters: { added: number }
  /** Replies whose parent is not in the file: shown as top-level comments. */
  orphans: number
  bad: number
  /** Why rows were skipped or refused, with how many. */
  skipped: Record<string, number>
  /** The first bad rows, with their lines. */
  errors: { line: number; reason: string }[]
  stoppedAt: 'end' | 'max-errors' | 'interrupted'
}

const FIRST_ERRORS = 20

export class TooManyErrors extends Error {
  override name = 'TooManyErrors'
}

export function emptySummary(): ImportSummary {
  return {
    articles: { read: 0, added: 0 },
    comments: { read: 0, added: 0, alreadyPresent: 0, byStatus: { approved: 0, pending: 0, rejected: 0, removed: 0 } },
    commenters: { added: 0 },
    orphans: 0,
    bad: 0,
    skipped: {},
    errors: [],
    stoppedAt: 'end',
  }
}

/** A comment as it is stored: the source's status mapped, or screening's decision. */
interface Row {
  id: string
  c: ImportedComment
  status: 'approved' | 'pending' | 'rejected'
  deleted: boolean
  rejectReason: string | null
  screening: string
  flagged: boolean
  risk: number
}

/**
 * Writes parsed records in batches: one transaction per batch, multi-row statements over unnest() arrays,
 * ON CONFLICT DO NOTHING on (source, article, source id), so a second run adds nothing and an interrupted
 * run resumes.
 * Rows are written directly, never through the posting path: no webhooks, mails or live notices fire.
 * The counters the app keeps (articles.approved_count, commenters' tallies) and the thread links (parent_id,
 * root_id) are settled at the end, over everything this source ever imported.
 */
export async function runImport(db: Db, records: AsyncIterable<ImportRecord>, options: ImportOptions): Promise<ImportSummary> {
  const summary = options.summary ?? emptySummary()
  const batchSize = options.batchSize ?? 1000
  const settings = options.screen ? await getSiteSettings(db) : null
  let articles: ImportedArticle[] = []
  let comments: ImportedComment[] = []

  // Emails whose guest row exists: most batches then skip the commenters statement. Bounded, so a file
  // of a million different writers keeps memory flat (a forgotten email only costs one no-op insert).
  const knownEmails = new Set<string>()

  const write = async (batchArticles: ImportedArticle[], batchComments: ImportedComment[]) => {
    await db.transaction().execute(async (trx) => {
      // A batch lost to a crash is written again by the next run (ON CONFLICT DO NOTHING), so the import
      // need not wait for each commit to reach the disk.
      await sql`set local synchronous_commit = off`.execute(trx)
      summary.articles.added += await writeArticles(trx, options.source, batchArticles)
      const newEmails = batchComments.filter(
        (c) => c.authorEmail && c.status !== 'deleted' && !knownEmails.has(normalizeEmail(c.authorEmail)),
      )
      summary.commenters.added += await writeCommenters(trx, newEmails)
      if (knownEmails.size > 100_000) knownEmails.clear()
      for (const c of newEmails) knownEmails.add(normalizeEmail(c.authorEmail!))
      const rows = batchComments.map((c) => storedRow(c, settings))
      for (const level of levels(rows)) {
        const inserted = await writeComments(trx, options.source, level)
        summary.comments.added += inserted.length
        summary.comments.alreadyPresent += level.length - inserted.length
        for (const r of inserted) summary.comments.byStatus[r.deleted ? 'removed' : r.status]++
      }
      // Cached public lists of these articles are stale now.
      const touched = [...new Set(batchComments.map((c) => c.articleId))]
      if (touched.length > 0) await sql`update articles set version = version + 1 where id = any(${touched}::text[])`.execute(trx)
    })
    options.onBatch?.(summary)
  }

  // One batch is written while the next is read: parsing and the database each get a core.
  let writing: Promise<void> | null = null
  const flush = async () => {
    const batchArticles = articles
    const batchComments = comments
    articles = []
    comments = []
    if (options.dryRun) return
    if (writing) await writing
    writing = null
    if (batchArticles.length === 0 && batchComments.length === 0) return
    writing = write(batchArticles, batchComments)
    // Awaited at the next flush; until then a failure must not count as unhandled.
    writing.catch(() => undefined)
  }
  const drain = async () => {
    await flush()
    if (writing) await writing
    writing = null
  }

  try {
    for await (const record of records) {
      switch (record.kind) {
        case 'article':
          summary.articles.read++
          articles.push(record)
          break
        case 'comment':
          summary.comments.read++
          // A dry run reports what the source says; a real run counts what was stored (screening may differ).
          if (options.dryRun) {
            summary.comments.added++
            summary.comments.byStatus[record.status === 'deleted' ? 'removed' : record.status === 'spam' ? 'rejected' : record.status]++
          }
          // Names from another system meet the rules typed names do; a deleted comment's is the tombstone's.
          comments.push(
            record.status === 'deleted' ? record : { ...record, authorName: publishableName(record.authorName, NOTICES.en.unnamed) },
          )
          if (comments.length >= batchSize) await flush()
          break
        case 'skipped':
          summary.skipped[record.reason] = (summary.skipped[record.reason] ?? 0) + 1
          break
        case 'bad':
          summary.bad++
          if (summary.errors.length < FIRST_ERRORS) summary.errors.push({ line: record.line, reason: record.reason })
          if (options.maxErrors != null && summary.bad >= options.maxErrors) {
            summary.stoppedAt = 'max-errors'
            throw new TooManyErrors(
              `stopped after ${summary.bad} bad rows (--max-errors ${options.maxErrors}); the last at line ${record.line}: ${record.reason}`,
            )
          }
          break
      }
      if (options.stop?.requested) {
        summary.stoppedAt = 'interrupted'
        break
      }
    }
    await drain()
  } finally {
    // Whatever stopped the import, what was written is linked and counted, so the site stays consistent.
    if (!options.dryRun) {
      await drain().catch(() => undefined)
      summary.orphans = await settle(db, options.source)
    }
  }
  return summary
}

function storedRow(c: ImportedComment, settings: SiteSettings | null): Row {
  const id = newId(c.createdAt.getTime())
  const imported = { imported: { status: c.status } }
  if (c.status === 'deleted') {
    // As the app keeps a comment its writer deleted: an empty tombstone, nothing of the words or the writer.
    return {
      id,
      c: { ...c, body: '', authorName: '[deleted]', authorEmail: null },
      status: 'rejected',
      deleted: true,
      rejectReason: 'deleted at the source',
      screening: JSON.stringify(imported),
      flagged: false,
      risk: 0,
    }
  }
  if (c.status === 'spam' || c.status === 'rejected') {
    return {
      id,
      c,
      status: 'rejected',
      deleted: false,
      rejectReason: c.status === 'spam' ? 'spam' : null,
      screening: JSON.stringify(imported),
      flagged: false,
      risk: 0,
    }
  }
  if (!settings) {
    return { id, c, status: c.status, deleted: false, rejectReason: null, screening: JSON.stringify(imported), flagged: false, risk: 0 }
  }
  const decision = runRules(
    builtInRules,
    prepareSubmission({ authorName: c.authorName, body: c.body, honeypot: undefined, isReply: c.parentSourceId !== null }),
    {
      settings,
      mode: settings.moderationMode,
      commenter: { status: 'normal', approvedCount: 0, rejectedCount: 0, verified: false },
      recentBodies: [],
      // No form was served for an imported comment: the timing rule has nothing to judge.
      formAge: 3600,
    },
  )
  return {
    id,
    c,
    status: decision.verdict === 'publish' ? 'approved' : decision.verdict === 'hold' ? 'pending' : 'rejected',
    deleted: false,
    rejectReason: null,
    screening: JSON.stringify({ verdict: decision.verdict, reasons: decision.reasons, ...imported }),
    flagged: decision.flagged,
    risk: decision.risk,
  }
}

/**
 * Splits a batch so that a reply is written after its parent when both are in it: each statement then
 * finds the parents written before it, and most replies are linked as they arrive.
 */
function levels(rows: Row[]): Row[][] {
  // A comment is known by its id within its article: WordPress ids repeat across the sites of one file.
  const key = (articleId: string, sourceId: string) => `${articleId}\u0000${sourceId}`
  const depth = new Map<string, number>()
  const out: Row[][] = []
  for (const row of rows) {
    const parentDepth = row.c.parentSourceId === null ? undefined : depth.get(key(row.c.articleId, row.c.parentSourceId))
    const d = parentDepth === undefined ? 0 : parentDepth + 1
    depth.set(key(row.c.articleId, row.c.sourceId), d)
    out[d] ??= []
    out[d].push(row)
  }
  return out.filter((level) => level !== undefined)
}

async function writeArticles(trx: Executor, source: string, batch: ImportedArticle[]): Promise<number> {
  if (batch.length === 0) return 0
  const unique = [...new Map(batch.map((a) => [a.id, a])).values()]
  // An article the site already has keeps its settings; only a missing title or address is filled in.
  const { rows } = await sql<{ added: boolean }>`
    insert into articles (id, url, title, comments_open, source, source_id, created_at, updated_at)
    select v.id, v.url, v.title, not v.closed, ${source}, v.source_id, coalesce(v.created_at, now()), now()
    from unnest(${unique.map((a) => a.id)}::text[], ${unique.map((a) => a.url)}::text[], ${unique.map((a) => a.title)}::text[],
                ${unique.map((a) => a.closed)}::boolean[], ${unique.map((a) => a.sourceId)}::text[],
                ${unique.map((a) => a.createdAt?.toISOString() ?? null)}::timestamptz[])
      as v(id, url, title, closed, source_id, created_at)
    on conflict (id) do update set url = coalesce(articles.url, excluded.url), title = coalesce(articles.title, excluded.title)
    returning (xmax = 0) as added`.execute(trx)
  return rows.filter((r) => r.added).length
}

/** Guests, one per email as the app keeps them; a commenter already here is reused, never renamed. */
async function writeCommenters(trx: Executor, batch: ImportedComment[]): Promise<number> {
  const byEmail = new Map<string, { email: string; name: string; createdAt: Date }>()
  for (const c of batch) {
    if (!c.authorEmail || c.status === 'deleted') continue
    const key = normalizeEmail(c.authorEmail)
    const known = byEmail.get(key)
    if (!known || c.createdAt < known.createdAt)
      byEmail.set(key, { email: c.authorEmail.trim(), name: c.authorName, createdAt: c.createdAt })
  }
  if (byEmail.size === 0) return 0
  const entries = [...byEmail.entries()]
  const { rows } = await sql<{ id: string }>`
    insert into commenters (id, kind, email_normalized, email_canonical, email, name, created_at, updated_at)
    select v.id, 'guest', v.normalized, v.canonical, v.email, v.name, v.created_at, v.created_at
    from unnest(${entries.map(([, e]) => newId(e.createdAt.getTime()))}::text[], ${entries.map(([key]) => key)}::text[],
                ${entries.map(([, e]) => canonicalEmail(e.email))}::text[], ${entries.map(([, e]) => e.email)}::text[],
                ${entries.map(([, e]) => e.name)}::text[], ${entries.map(([, e]) => e.createdAt.toISOString())}::timestamptz[])
      as v(id, normalized, canonical, email, name, created_at)
    on conflict (email_normalized) where kind = 'guest' do nothing
    returning id`.execute(trx)
  return rows.length
}

async function writeComments(trx: Executor, source: string, rows: Row[]) {
  const col = <T>(pick: (r: Row) => T) => rows.map(pick)
  const { rows: inserted } = await sql<{ status: 'approved' | 'pending' | 'rejected'; deleted: boolean }>`
    insert into comments (id, article_id, parent_id, root_id, commenter_id, author_name, body, status, deleted, reject_reason,
                          screening, flagged, risk, source, source_id, source_parent_id, created_at, updated_at)
    select v.id, v.article_id, p.id, coalesce(p.root_id, p.id), m.id, v.author_name, v.body, v.status, v.deleted, v.reject_reason,
           v.screening::jsonb, v.flagged, v.risk, ${source}, v.source_id, v.source_parent_id, v.created_at, v.created_at
    from unnest(${col((r) => r.id)}::text[], ${col((r) => r.c.articleId)}::text[], ${col((r) => r.c.authorName)}::text[],
                ${col((r) => r.c.body)}::text[], ${col((r) => r.status)}::text[], ${col((r) => r.deleted)}::boolean[],
                ${col((r) => r.rejectReason)}::text[], ${col((r) => r.screening)}::text[], ${col((r) => r.flagged)}::boolean[],
                ${col((r) => r.risk)}::real[], ${col((r) => r.c.sourceId)}::text[], ${col((r) => r.c.parentSourceId)}::text[],
                ${col((r) => r.c.createdAt.toISOString())}::timestamptz[],
                ${col((r) => (r.c.authorEmail ? normalizeEmail(r.c.authorEmail) : null))}::text[])
      as v(id, article_id, author_name, body, status, deleted, reject_reason, screening, flagged, risk, source_id, source_parent_id, created_at, email)
    -- Lateral lookups, one index probe per row: on a table an import is filling, the statistics lag
    -- behind and the planner would otherwise hash the whole table for every batch.
    left join lateral (select id from commenters where kind = 'guest' and email_normalized = v.email limit 1) m on true
    left join lateral (
      select id, root_id from comments where source = ${source} and source_id = v.source_parent_id and article_id = v.article_id limit 1
    ) p on true
    on conflict do nothing
    returning status, deleted`.execute(trx)
  return inserted
}

/**
 * Links what could not be linked on the way (a reply read before its parent), gives every imported reply
 * its thread's root, keeps a deleted comment that others answered as the thread's tombstone, and recounts
 * what the app keeps counted. Runs over the whole source, so a resumed import ends exact too.
 * Returns how many replies have no parent in the file.
 */
/**
 * Gives each of these replies, and everything below them, the root of the thread it now hangs in: up
 * from each to its top, then down level by level. Done in steps of index lookups rather than one
 * recursive query, whose row estimates led the planner to scan the whole table once per level.
 * The visited set stops a cycle a broken file could make.
 */
/** Arrays of at most 1,000: a longer `= any(…)` list makes the planner scan the table instead of the index. */
function slices<T>(items: T[], size = 1000): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

async function rerootBelow(trx: Executor, ids: string[]) {
  if (ids.length === 0) return
  const rootOf = new Map<string, string>()
  // Up: follow parents until the top; `climbing` maps each reply to the ancestor reached so far.
  let climbing = new Map(ids.map((id) => [id, id]))
  for (let depth = 0; climbing.size > 0 && depth < 1000; depth++) {
    const parentOf = new Map<string, string | null>()
    for (const part of slices([...new Set(climbing.values())])) {
      const { rows } = await sql<{ id: string; parent_id: string | null }>`
        select id, parent_id from comments where id = any(${part}::text[])`.execute(trx)
      for (const r of rows) parentOf.set(r.id, r.parent_id)
    }
    const next = new Map<string, string>()
    for (const [start, at] of climbing) {
      const parent = parentOf.get(at)
      if (parent) next.set(start, parent)
      else rootOf.set(start, at)
    }
    climbing = next
  }
  // Down: each level takes its parent's root.
  const visited = new Set<string>()
  let level = [...rootOf].filter(([id]) => !visited.has(id))
  while (level.length > 0) {
    for (const [id] of level) visited.add(id)
    const rootByParent = new Map(level)
    const next: [string, string][] = []
    for (const part of slices(level)) {
      await sql`
        update comments c set root_id = v.root
        from unnest(${part.map(([id]) => id)}::text[], ${part.map(([, root]) => root)}::text[]) as v(id, root)
        where c.id = v.id and c.root_id is distinct from v.root`.execute(trx)
      const { rows } = await sql<{ id: string; parent_id: string }>`
        select id, parent_id from comments where parent_id = any(${part.map(([id]) => id)}::text[])`.execute(trx)
      for (const r of rows) if (!visited.has(r.id)) next.push([r.id, rootByParent.get(r.parent_id)!])
    }
    level = next
  }
}

export async function settle(db: Db, source: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // Fresh statistics for a table that may just have grown a million rows: the statements below, and the
    // app's own queries after the import, are planned on them.
    await sql`analyze comments`.execute(trx)
    const { rows: linked } = await sql<{ id: string }>`
      update comments c set parent_id = p.id
      from comments p
      where c.source = ${source} and c.parent_id is null and c.source_parent_id is not null
        and p.source = ${source} and p.source_id = c.source_parent_id and p.article_id = c.article_id and p.id <> c.id
      returning c.id`.execute(trx)
    // Only the threads under a reply linked just now can have a wrong root: every other reply took its
    // parent's root when it was written.
    await rerootBelow(
      trx,
      linked.map((r) => r.id),
    )
    // A deleted comment with replies holds its thread, as a tombstone does when a reader deletes theirs.
    await sql`
      update comments c set status = 'approved', reject_reason = null
      where c.source = ${source} and c.deleted and c.status = 'rejected'
        and exists (select 1 from comments r where r.parent_id = c.id)`.execute(trx)
    // The article's count is what its list shows.
    await recountVisible(trx, sql`select distinct article_id from comments where source = ${source}`)
    await sql`
      update commenters m set approved_count = x.approved, rejected_count = x.rejected
      from (
        select commenter_id,
               (count(*) filter (where status = 'approved' and not deleted))::int as approved,
               (count(*) filter (where status = 'rejected' and not deleted))::int as rejected
        from comments
        where commenter_id in (select distinct commenter_id from comments where source = ${source} and commenter_id is not null)
        group by commenter_id
      ) x
      where m.id = x.commenter_id and (m.approved_count <> x.approved or m.rejected_count <> x.rejected)`.execute(trx)
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from comments where source = ${source} and parent_id is null and source_parent_id is not null`.execute(trx)
    return rows[0]?.n ?? 0
  })
}
