import { type Adapter, type DatabaseSession, type DatabaseUser, Lucia, TimeSpan } from 'lucia'
import type { Db, Role } from '../platform/db/database.js'

// lucia stays behind this folder: the rest of the app sees `Moderator` and the functions below.

export interface Moderator {
  id: string
  username: string
  role: Role
}

/** lucia's storage over our Kysely tables, so sessions work on PGlite, pg and Workers alike. */
export function kyselyAdapter(db: Db): Adapter {
  return {
    async getSessionAndUser(sessionId): Promise<[DatabaseSession | null, DatabaseUser | null]> {
      const row = await db
        .selectFrom('moderator_sessions as s')
        .innerJoin('moderators as m', 'm.id', 's.user_id')
        .select(['s.id', 's.user_id', 's.expires_at', 'm.username', 'm.role', 'm.disabled'])
        .where('s.id', '=', sessionId)
        .executeTakeFirst()
      if (!row || row.disabled) return [null, null]
      return [
        { id: row.id, userId: row.user_id, expiresAt: new Date(row.expires_at), attributes: {} },
        { id: row.user_id, attributes: { username: row.username, role: row.role } },
      ]
    },
    async getUserSessions(userId) {
      const rows = await db.selectFrom('moderator_sessions').selectAll().where('user_id', '=', userId).execute()
      return rows.map((r) => ({ id: r.id, userId: r.user_id, expiresAt: new Date(r.expires_at), attributes: {} }))
    },
    async setSession(session) {
      await db.insertInto('moderator_sessions').values({ id: session.id, user_id: session.userId, expires_at: session.expiresAt }).execute()
    },
    async updateSessionExpiration(sessionId, expiresAt) {
      await db.updateTable('moderator_sessions').set({ expires_at: expiresAt }).where('id', '=', sessionId).execute()
    },
    async deleteSession(sessionId) {
      await db.deleteFrom('moderator_sessions').where('id', '=', sessionId).execute()
    },
    async deleteUserSessions(userId) {
      await db.deleteFrom('moderator_sessions').where('user_id', '=', userId).execute()
    },
    async deleteExpiredSessions() {
      await db.deleteFrom('moderator_sessions').where('expires_at', '<=', new Date()).execute()
    },
  }
}

export const SESSION_COOKIE = 'nc_session'
/** Over https the cookie takes the __Host- prefix: the browser then refuses it unless Secure, on /, for this host only. */
export const sessionCookieName = (secure: boolean) => (secure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE)
/** Sessions last 12 hours and are extended when used in their second half (lucia's rule). */
export const SESSION_LIFETIME = new TimeSpan(12, 'h')

export function createLucia(db: Db, secure: boolean) {
  return new Lucia(kyselyAdapter(db), {
    sessionExpiresIn: SESSION_LIFETIME,
    // The cookie expires with the session (12 hours, renewed with it), not 400 days later.
    sessionCookie: { name: sessionCookieName(secure), expires: true, attributes: { secure, sameSite: 'lax' } },
    getUserAttributes: (attributes) => ({ username: attributes.username, role: attributes.role }),
  })
}

declare module 'lucia' {
  interface Register {
    Lucia: ReturnType<typeof createLucia>
    DatabaseUserAttributes: { username: string; role: Role }
  }
}

export async function validateSessionCookie(db: Db, cookieHeader: string | undefined, secure: boolean) {
  const lucia = createLucia(db, secure)
  const sessionId = lucia.readSessionCookie(cookieHeader ?? '')
  if (!sessionId) return { moderator: null, refreshCookie: null }
  const { session, user } = await lucia.validateSession(sessionId)
  if (!session) return { moderator: null, refreshCookie: lucia.createBlankSessionCookie().serialize() }
  const moderator: Moderator = { id: user.id, username: user.username, role: user.role }
  return { moderator, refreshCookie: session.fresh ? lucia.createSessionCookie(session.id).serialize() : null }
}

export async function startSession(db: Db, userId: string, secure: boolean): Promise<string> {
  const lucia = createLucia(db, secure)
  const session = await lucia.createSession(userId, {})
  return lucia.createSessionCookie(session.id).serialize()
}

export async function endSession(db: Db, cookieHeader: string | undefined, secure: boolean): Promise<string> {
  const lucia = createLucia(db, secure)
  const sessionId = lucia.readSessionCookie(cookieHeader ?? '')
  if (sessionId) await lucia.invalidateSession(sessionId)
  return lucia.createBlankSessionCookie().serialize()
}

export async function endUserSessions(db: Db, userId: string): Promise<void> {
  await createLucia(db, false).invalidateUserSessions(userId)
}
