// Writing an import's batches: articles, guests and comments, each batch in one statement per table.
import { sql } from 'kysely'
import type { Executor } from '../platform/db/database.js'
import { canonicalEmail, normalizeEmail } from '../commenters/commenters.repository.js'
import { newId } from '../platform/lib/ids.js'
import { prepareSubmission, runRules } from '../screening/screening.pipeline.js'
import { builtInRules } from '../screening/screening.rules.js'
import type { SiteSettings } from '../settings/settings.schema.js'
import type { ImportedArticle, ImportedComment } from './imports.types.js'

/** A comment as it is stored: the source's status mapped, or screening's decision. */
export interface Row {
  id: string
  c: ImportedComment
  status: 'approved' | 'pending' | 'rejected'
  deleted: boolean
  rejectReason: string | null
  screening: string
  flagged: boolean
  risk: number
}

export function storedRow(c: ImportedComment, settings: SiteSettings | null): Row {
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
export function levels(rows: Row[]): Row[][] {
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

export async function writeArticles(trx: Executor, source: string, batch: ImportedArticle[]): Promise<number> {
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
export async function writeCommenters(trx: Executor, batch: ImportedComment[]): Promise<number> {
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

export async function writeComments(trx: Executor, source: string, rows: Row[]) {
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
