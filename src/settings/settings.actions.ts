import type { Db } from '../platform/db/database.js'
import type { Done } from '../events/events.js'
import { AppError } from '../platform/lib/errors.js'
import { fieldErrors } from '../platform/lib/errors.js'
import { type Actor, writeAudit } from '../audit/audit.log.js'
import { forgetCachedSettings, getSiteSettings, saveSiteSettings } from './settings.repository.js'
import { type SiteSettings, siteSettingsSchema } from './settings.schema.js'

/**
 * Changes the site's rules: only the fields given, checked as a whole, saved, audited with the names
 * of the fields that changed (not their values: the webhook secret is one of them).
 */
export async function changeSiteRules(
  db: Db,
  patch: Partial<Record<keyof SiteSettings, unknown>>,
  actor: Actor,
): Promise<Done<SiteSettings>> {
  const current = await getSiteSettings(db)
  const parsed = siteSettingsSchema.safeParse({ ...current, ...patch })
  if (!parsed.success) throw new AppError(422, 'validation_failed', 'Some fields need attention', fieldErrors(parsed.error))
  const changed = (Object.keys(parsed.data) as (keyof SiteSettings)[]).filter(
    (key) => JSON.stringify(parsed.data[key]) !== JSON.stringify(current[key]),
  )
  const settings = await db.transaction().execute(async (trx) => {
    const saved = await saveSiteSettings(trx, parsed.data)
    await writeAudit(trx, { actor, action: 'site_rules', reason: changed.join(', ') || 'no change' })
    return saved
  })
  forgetCachedSettings(db)
  return { value: settings, events: [{ type: 'site.rules_changed' }] }
}
