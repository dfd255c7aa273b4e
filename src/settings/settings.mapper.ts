import type { SiteSettings } from './settings.schema.js'

/**
 * The site rules as a moderator sees them. Nobody gets the SSO secret back; a moderator who is not an
 * administrator also gets the webhook secret hidden, and the classifier URL cut to where it points (it
 * may carry its key in the query string).
 */
export function settingsFor(role: 'admin' | 'moderator', settings: SiteSettings): SiteSettings {
  // Not even administrators get the SSO secret back: whoever reads it can sign in as any reader.
  const ssoSecret = settings.ssoSecret ? `••••${settings.ssoSecret.slice(-4)}` : null
  if (role === 'admin') return { ...settings, ssoSecret }
  return {
    ...settings,
    ssoSecret,
    webhookSecret: settings.webhookSecret ? '••••' : null,
    externalClassifierUrl: settings.externalClassifierUrl ? `${new URL(settings.externalClassifierUrl).origin}/••••` : null,
  }
}
