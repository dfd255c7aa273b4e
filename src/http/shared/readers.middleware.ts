import type { MiddlewareHandler } from 'hono'
import { AppError } from '../../platform/lib/errors.js'
import type { AppEnv } from './context.js'
import { readerByToken } from '../../readers/readers.repository.js'

const BEARER = /^Bearer\s+([A-Za-z0-9_-]{20,200})\s*$/i

export const bearerToken = (header: string | undefined) => (header ? BEARER.exec(header)?.[1] : undefined)

/**
 * Who a reader call acts for: the verified reader of an `Authorization: Bearer` token, or nobody.
 * A token that was sent but is unknown, expired or revoked is refused rather than ignored, so a signed-out
 * widget learns it must sign in again instead of posting as a guest by surprise.
 */
export const readerFromToken: MiddlewareHandler<AppEnv> = async function readerFromToken(c, next) {
  const header = c.req.header('authorization')
  if (header === undefined) {
    c.set('reader', null)
    return next()
  }
  const token = bearerToken(header)
  const reader = token ? await readerByToken(c.var.db, token, c.var.services.now()) : null
  if (!reader) throw new AppError(401, 'invalid_reader_token', 'This sign-in is no longer valid; please verify your email again')
  c.set('reader', reader)
  return next()
}

export const requireReader: MiddlewareHandler<AppEnv> = async function requireReader(c, next) {
  if (!c.var.reader) throw new AppError(401, 'unauthenticated', 'Verify your email (or sign in) first')
  return next()
}
