import type { Context } from 'hono'
import type { RequestFacts } from '../../events/events.js'
import { pickLanguage } from '../../platform/i18n/i18n.js'
import type { AppEnv } from './context.js'

/** What an action may know of a request: its language (a form's field first), address and user agent. */
export async function requestFacts(c: Context<AppEnv>, languageField?: unknown): Promise<RequestFacts> {
  const { services } = c.var
  const ip = services.clientIp(c)
  return {
    language: pickLanguage(languageField, c.req.header('accept-language')),
    ip,
    addressHash: await services.addressHash(ip),
    userAgent: c.req.header('user-agent') ?? null,
  }
}
