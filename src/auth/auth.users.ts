import type { Db, Role } from '../platform/db/database.js'
import { AppError } from '../platform/lib/errors.js'
import { newId } from '../platform/lib/ids.js'
import { endUserSessions } from './auth.lucia.js'
import { hashPassword } from './auth.password.js'

export const USERNAME_PATTERN = /^[a-z0-9._-]{2,40}$/
export const MIN_PASSWORD_LENGTH = 10

export function checkNewPassword(password: string) {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError(422, 'validation_failed', 'Password too short', { password: `At least ${MIN_PASSWORD_LENGTH} characters` })
  }
}

export async function createModerator(db: Db, username: string, password: string, role: Role) {
  const name = username.trim().toLowerCase()
  if (!USERNAME_PATTERN.test(name)) {
    throw new AppError(422, 'validation_failed', 'Invalid username', { username: '2–40 lower-case letters, digits, . _ or -' })
  }
  checkNewPassword(password)
  const row = await db
    .insertInto('moderators')
    .values({ id: newId(), username: name, password_hash: await hashPassword(password), role })
    .onConflict((oc) => oc.column('username').doNothing())
    .returning(['id', 'username', 'role'])
    .executeTakeFirst()
  if (!row) throw new AppError(409, 'conflict', `A moderator named "${name}" already exists`)
  return row
}

export async function setModeratorPassword(db: Db, username: string, password: string) {
  checkNewPassword(password)
  const row = await db
    .updateTable('moderators')
    .set({ password_hash: await hashPassword(password) })
    .where('username', '=', username.trim().toLowerCase())
    .returning('id')
    .executeTakeFirst()
  if (!row) throw new AppError(404, 'not_found', `No moderator named "${username}"`)
  await endUserSessions(db, row.id)
}

export async function setModeratorDisabled(db: Db, username: string, disabled: boolean) {
  const row = await db
    .updateTable('moderators')
    .set({ disabled })
    .where('username', '=', username.trim().toLowerCase())
    .returning('id')
    .executeTakeFirst()
  if (!row) throw new AppError(404, 'not_found', `No moderator named "${username}"`)
  if (disabled) await endUserSessions(db, row.id)
}

export async function listModerators(db: Db) {
  const rows = await db.selectFrom('moderators').select(['id', 'username', 'role', 'disabled', 'created_at']).orderBy('username').execute()
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    role: r.role,
    disabled: r.disabled,
    createdAt: new Date(r.created_at).toISOString(),
  }))
}

export async function moderatorCount(db: Db): Promise<number> {
  const row = await db.selectFrom('moderators').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Where a moderator's mail goes (null: none at all), and whether alerts and the daily digest come. */
export interface MailPreferences {
  email: string | null
  alerts: boolean
  digest: boolean
}

export async function mailPreferences(db: Db, moderatorId: string): Promise<MailPreferences> {
  return db.selectFrom('moderators').select(['email', 'alerts', 'digest']).where('id', '=', moderatorId).executeTakeFirstOrThrow()
}

/** Changes only what is given (the workspace's form gives all three) and answers the whole. */
export async function saveMailPreferences(db: Db, moderatorId: string, patch: Partial<MailPreferences>): Promise<MailPreferences> {
  if (Object.keys(patch).length > 0) await db.updateTable('moderators').set(patch).where('id', '=', moderatorId).execute()
  return mailPreferences(db, moderatorId)
}
