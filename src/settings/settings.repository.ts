import type { Executor } from '../platform/db/database.js'
import { type SiteSettings, siteSettingsSchema } from './settings.schema.js'

const SITE_KEY = 'site'

// Every post reads the settings; a replica keeps them for a second per database handle. A change made
// here is seen at once (saving drops the entry); other replicas see it within the second.
const SETTINGS_FRESH_MS = 1000
const recent = new WeakMap<object, { settings: SiteSettings; loadedAt: number }>()

export async function getSiteSettings(db: Executor): Promise<SiteSettings> {
  const cached = recent.get(db)
  if (cached && Date.now() - cached.loadedAt < SETTINGS_FRESH_MS) return cached.settings
  const settings = await loadSiteSettings(db)
  recent.set(db, { settings, loadedAt: Date.now() })
  return settings
}

async function loadSiteSettings(db: Executor): Promise<SiteSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', SITE_KEY).executeTakeFirst()
  // Stored settings are parsed through the schema so a field added later gets its default.
  const parsed = siteSettingsSchema.safeParse(row?.value ?? {})
  return parsed.success ? parsed.data : siteSettingsSchema.parse({})
}

/** Makes the next read on this handle load the settings afresh (after a save inside a transaction). */
export function forgetCachedSettings(db: Executor) {
  recent.delete(db)
}

export async function saveSiteSettings(db: Executor, settings: SiteSettings): Promise<SiteSettings> {
  const value = JSON.stringify(settings)
  await db
    .insertInto('settings')
    .values({ key: SITE_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: new Date() }))
    .execute()
  recent.delete(db)
  return settings
}
