import { errors, jwtVerify } from 'jose'
import { z } from 'zod'
import { AppError } from '../platform/lib/errors.js'

/** A publisher's token may live at most this long: it is minted per page view, not kept. */
export const SSO_MAX_LIFETIME_SECONDS = 24 * 3600
/** Clocks on the publisher's server and ours may disagree by this much about when a token starts (never about its end). */
const CLOCK_TOLERANCE_SECONDS = 60

const claimsSchema = z.object({
  sub: z.string().trim().min(1).max(200),
  // Held to the name rules (and cut to their length) when the reader is saved, not refused here.
  name: z.string().trim().min(1).max(1000),
  email: z.email().max(254).optional(),
  exp: z.number(),
  jti: z.string().min(1).max(200).optional(),
})

export interface SsoClaims {
  subject: string
  name: string
  email: string | null
  /** When the publisher's token ends: the reader token it buys ends then too. */
  expiresAt: Date
  /** The token's own id, when the publisher gives one: such a token signs in once. */
  tokenId: string | null
}

const refused = (message: string) => new AppError(401, 'invalid_sso_token', message)

/**
 * Checks a publisher's sign-in token: HS256 with the site's SSO secret, unexpired, at most 24 hours
 * ahead, carrying `sub` and `name`. Any other algorithm is refused, `none` above all.
 */
export async function verifySsoToken(secret: string | null, token: string, now: Date): Promise<SsoClaims> {
  if (!secret) throw refused('This site has no sign-in of its own configured')
  let payload: unknown
  try {
    ;({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
      currentDate: now,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }))
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw refused('The sign-in token has expired')
    if (error instanceof errors.JOSEAlgNotAllowed) throw refused('The sign-in token must be signed with HS256')
    if (error instanceof errors.JWSSignatureVerificationFailed) throw refused('The sign-in token’s signature does not match')
    throw refused('The sign-in token is not valid')
  }
  const claims = claimsSchema.safeParse(payload)
  if (!claims.success) throw refused('The sign-in token lacks a subject (sub) or a name, or one of its claims is malformed')
  // The tolerance is for clocks that disagree about when a token starts; one that has ended buys nothing,
  // least of all a reader token that would be born expired.
  if (claims.data.exp <= now.getTime() / 1000) throw refused('The sign-in token has expired')
  if (claims.data.exp - now.getTime() / 1000 > SSO_MAX_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
    throw refused('The sign-in token must expire within 24 hours')
  }
  return {
    subject: claims.data.sub,
    name: claims.data.name,
    email: claims.data.email ?? null,
    expiresAt: new Date(claims.data.exp * 1000),
    tokenId: claims.data.jti ?? null,
  }
}
