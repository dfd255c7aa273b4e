// After an import's rows are written: threads linked and rooted, tombstones kept, counts recounted.
import { sql } from 'kysely'
import { recountTallies } from '../commenters/commenters.repository.js'
import { recountVisible } from '../comments/comments.visibility.js'
import type { Db, Executor } from '../platform/db/database.js'

/**
 * Links what could not be linked on the way (a reply read before its parent), gives every imported reply
 * its thread's root, keeps a deleted comment that others answered as the thread's tombstone, and recounts
 * what the app keeps counted. Runs over the whole source, so a resumed import ends exact too.
 * Returns how many replies have no parent in the file.
 */
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
    await recountTallies(trx, sql`select distinct commenter_id from comments where source = ${source} and commenter_id is not null`)
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from comments where source = ${source} and parent_id is null and source_parent_id is not null`.execute(trx)
    return rows[0]?.n ?? 0
  })
}

/** Arrays of at most 1,000: a longer `= any(…)` list makes the planner scan the table instead of the index. */
function slices<T>(items: T[], size = 1000): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * Gives each of these replies, and everything below them, the root of the thread it now hangs in: up
 * from each to its top, then down level by level. Done in steps of index lookups rather than one
 * recursive query, whose row estimates led the planner to scan the whole table once per level.
 * The visited set stops a cycle a broken file could make.
 */
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
