import type { Executor } from '../db/database.js'
import { type SiteSettings, siteSettingsSchema } from './settings.schema.js'

const SITE_KEY = 'site'

export async function getSiteSettings(db: Executor): Promise<SiteSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', SITE_KEY).executeTakeFirst()
  // Stored settings are parsed through the schema so a field added later gets its default.
  const parsed = siteSettingsSchema.safeParse(row?.value ?? {})
  return parsed.success ? parsed.data : siteSettingsSchema.parse({})
}

export async function saveSiteSettings(db: Executor, settings: SiteSettings): Promise<SiteSettings> {
  const value = JSON.stringify(settings)
  await db
    .insertInto('settings')
    .values({ key: SITE_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: new Date() }))
    .execute()
  return settings
}
