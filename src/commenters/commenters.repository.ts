import type { CommenterRow, Db } from '../db/database.js'
import { newId } from '../lib/ids.js'

/** One commenter per email, whatever its case or surrounding spaces. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase()

/**
 * The commenter behind an email, created on their first comment. A later post never renames them: anyone
 * can type an email, and the comment keeps the name it was posted under.
 */
export async function upsertCommenter(db: Db, email: string, name: string): Promise<CommenterRow> {
  return db
    .insertInto('commenters')
    .values({ id: newId(), email_normalized: normalizeEmail(email), email, name })
    .onConflict((oc) => oc.column('email_normalized').doUpdateSet({ updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow()
}
