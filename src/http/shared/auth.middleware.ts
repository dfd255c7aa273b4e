import type { Context, MiddlewareHandler } from 'hono'
import { csrf } from 'hono/csrf'
import type { Role } from '../../platform/db/database.js'
import { AppError } from '../../platform/lib/errors.js'
import type { AppEnv } from './context.js'
import { validateSessionCookie } from '../../auth/auth.lucia.js'

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** Session cookies are Secure everywhere but plain-HTTP localhost development. */
export function secureCookies(c: Context<AppEnv>): boolean {
  const publicUrl = c.var.services.config.publicUrl
  if (publicUrl) return publicUrl.startsWith('https:')
  return !LOCAL_HOSTS.has(new URL(c.req.url).hostname)
}

/** Reads the moderator session (if any) and refreshes its cookie when lucia extended it. */
export const moderatorSession = (): MiddlewareHandler<AppEnv> =>
  async function moderatorSession(c, next) {
    const { moderator, refreshCookie } = await validateSessionCookie(c.var.db, c.req.header('cookie'), secureCookies(c))
    c.set('moderator', moderator)
    if (refreshCookie) c.header('Set-Cookie', refreshCookie, { append: true })
    await next()
  }

export const requireModerator = (opts: { role?: Role } = {}): MiddlewareHandler<AppEnv> =>
  async function requireModerator(c, next) {
    const moderator = c.var.moderator
    if (!moderator) throw new AppError(401, 'unauthenticated', 'Sign in as a moderator first')
    if (opts.role === 'admin' && moderator.role !== 'admin') throw new AppError(403, 'forbidden', 'Only administrators may do this')
    await next()
  }

/** The one guard of administrators' routes, at both moderators' doors (the workspace draws its 403 as a page). */
export const adminOnly = requireModerator({ role: 'admin' })

const ownOrigins = (c: Context<AppEnv>) => {
  const origins = [new URL(c.req.url).origin]
  if (c.var.services.config.publicUrl) origins.push(c.var.services.config.publicUrl)
  return origins
}

/**
 * Refuses state-changing requests another site started: Hono's csrf for form posts, and the same
 * Origin / Sec-Fetch-Site check for every other body type (JSON included).
 */
export const sameOriginOnly = (): MiddlewareHandler<AppEnv> => {
  const forms = csrf({ origin: (origin, c) => ownOrigins(c as Context<AppEnv>).includes(origin) })
  return async function sameOriginOnly(c, next) {
    if (/^(GET|HEAD|OPTIONS)$/.test(c.req.method)) return next()
    const site = c.req.header('sec-fetch-site')
    const origin = c.req.header('origin')
    // Browsers that send Sec-Fetch-Site are trusted on it alone (their Origin may be "null" under a
    // strict referrer policy); older clients are judged by Origin.
    const crossSite =
      site !== undefined ? site !== 'same-origin' && site !== 'none' : origin !== undefined && !ownOrigins(c).includes(origin)
    if (crossSite) throw new AppError(403, 'cross_site_request', 'Cross-site requests are not allowed here')
    try {
      return await forms(c, next)
    } catch (error) {
      if (error instanceof AppError) throw error
      if ((error as { status?: number }).status === 403)
        throw new AppError(403, 'cross_site_request', 'Cross-site requests are not allowed here')
      throw error
    }
  }
}
