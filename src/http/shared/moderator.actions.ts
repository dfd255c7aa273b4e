// What both moderators' doors do the same way around the core's actions: name the actor, approve, find a
// colleague's account.
import type { Context } from 'hono'
import type { Actor } from '../../audit/audit.log.js'
import { type ApproveOptions, approveComment } from '../../moderation/moderation.decisions.js'
import type { Db } from '../../platform/db/database.js'
import { notFound } from '../../platform/lib/errors.js'
import type { AppEnv } from './context.js'
import { published } from './events.publish.js'

/** The signed-in moderator, as the audit log names them. */
export function actorOf(c: Context<AppEnv>): Actor & { id: string } {
  const moderator = c.var.moderator!
  return { id: moderator.id, name: moderator.username }
}

/** Approves as the signed-in moderator: the same action and events from the API, the workspace and bulk. */
export async function approveAs(c: Context<AppEnv>, id: string, options: ApproveOptions = {}) {
  return published(c, await approveComment(c.var.db, id, actorOf(c), options))
}

/** The username of a moderator account, which the account actions take; 404 for an unknown id. */
export async function moderatorUsername(db: Db, id: string): Promise<string> {
  const user = await db.selectFrom('moderators').select('username').where('id', '=', id).executeTakeFirst()
  if (!user) throw notFound('Moderator')
  return user.username
}
