import { sql } from 'kysely'
import type { Executor } from '../platform/db/database.js'
import { newId } from '../platform/lib/ids.js'
import { LIVE_CHANNEL } from '../platform/live/live.bus.js'
import { type SiteSettings, siteSettingsSchema } from './settings.schema.js'

const SITE_KEY = 'site'

// Every post reads the settings, so a replica keeps them in memory, per database handle. Where the
// runtime hears every replica's changes (the LISTEN/NOTIFY bus of live streams: `followSettings`), they
// are kept until a change is heard. Elsewhere (Workers, the command line) they are kept for a second:
// a change made here is seen at once (saving drops the entry), on other replicas within the second.
const SETTINGS_FRESH_MS = 1000
const recent = new WeakMap<object, { settings: SiteSettings; loadedAt: number }>()
/** Handles whose replica hears settings changes, with how many listeners say so. */
const followed = new WeakMap<object, number>()
/** Bumped on every forget: a load that began before a change was heard must not be kept after it. */
const generation = new WeakMap<object, number>()

export async function getSiteSettings(db: Executor): Promise<SiteSettings> {
  const cached = recent.get(db)
  if (cached && (followed.has(db) || Date.now() - cached.loadedAt < SETTINGS_FRESH_MS)) return cached.settings
  const began = generation.get(db) ?? 0
  const settings = await loadSiteSettings(db)
  if ((generation.get(db) ?? 0) === began) recent.set(db, { settings, loadedAt: Date.now() })
  return settings
}

async function loadSiteSettings(db: Executor): Promise<SiteSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', SITE_KEY).executeTakeFirst()
  // Stored settings are parsed through the schema so a field added later gets its default.
  const parsed = siteSettingsSchema.safeParse(row?.value ?? {})
  return parsed.success ? parsed.data : siteSettingsSchema.parse({})
}

/** Makes the next read on this handle load the settings afresh (after a save, or a change heard from another replica). */
export function forgetCachedSettings(db: Executor) {
  generation.set(db, (generation.get(db) ?? 0) + 1)
  recent.delete(db)
}

/**
 * Tells the cache that this replica now hears every settings change on the bus (and forgets on each,
 * and whenever notices may have been missed): the settings are then kept until changed. The returned
 * function says it no longer does.
 */
export function followSettings(db: Executor): () => void {
  followed.set(db, (followed.get(db) ?? 0) + 1)
  forgetCachedSettings(db)
  let done = false
  return () => {
    if (done) return
    done = true
    const left = (followed.get(db) ?? 1) - 1
    if (left > 0) followed.set(db, left)
    else followed.delete(db)
  }
}

/**
 * Saves the settings and, in the same statement, tells every replica on the bus to forget theirs (NOTIFY
 * is delivered when the transaction commits, so nobody reloads before the change can be read).
 */
export async function saveSiteSettings(db: Executor, settings: SiteSettings): Promise<SiteSettings> {
  const value = JSON.stringify(settings)
  const notice = JSON.stringify({ id: newId(), type: 'settings' })
  await sql`
    with saved as (
      insert into settings (key, value) values (${SITE_KEY}, ${value}::jsonb)
      on conflict (key) do update set value = excluded.value, updated_at = now()
      returning key
    )
    select pg_notify(${LIVE_CHANNEL}, ${notice}) from saved`.execute(db)
  forgetCachedSettings(db)
  return settings
}
