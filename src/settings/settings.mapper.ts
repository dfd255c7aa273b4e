import type { SiteSettings } from './settings.schema.js'

/**
 * The site rules as a moderator who is not an administrator sees them: the webhook secret hidden, and the
 * classifier URL cut to where it points (it may carry its key in the query string).
 */
export function settingsFor(role: 'admin' | 'moderator', settings: SiteSettings): SiteSettings {
  if (role === 'admin') return settings
  return {
    ...settings,
    webhookSecret: settings.webhookSecret ? '••••' : null,
    externalClassifierUrl: settings.externalClassifierUrl ? `${new URL(settings.externalClassifierUrl).origin}/••••` : null,
  }
}
