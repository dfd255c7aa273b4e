// GET/POST /moderate/account (one's own mail settings and password), and for administrators /moderate/users
// (moderators' accounts) and /moderate/imports (the import runs).
import type { Context } from 'hono'
import { Hono } from 'hono'
import { startSession } from '../../auth/auth.lucia.js'
import { verifyPassword } from '../../auth/auth.password.js'
import {
  createModerator,
  listModerators,
  mailPreferences,
  saveMailPreferences,
  setModeratorDisabled,
  setModeratorPassword,
} from '../../auth/auth.users.js'
import { listImports } from '../../imports/imports.repository.js'
import { AppError } from '../../platform/lib/errors.js'
import { adminOnly, secureCookies } from '../shared/auth.middleware.js'
import type { AppEnv } from '../shared/context.js'
import { newModeratorSchema } from '../shared/moderation.schemas.js'
import { moderatorUsername } from '../shared/moderator.actions.js'
import { validate } from '../shared/validation.js'
import { AccountPage } from './moderator-ui.account-page.js'
import { accountForm, newPasswordForm, passwordForm } from './moderator-ui.forms.js'
import { ImportsPage } from './moderator-ui.imports-page.js'
import { backWithNotice, noticeOf, page, refusalMessage, viewer } from './moderator-ui.respond.js'
import { UsersPage } from './moderator-ui.users-page.js'

const mailSettings = (c: Context<AppEnv>) => mailPreferences(c.var.db, viewer(c).id)

/** The users page again, saying what was refused. */
const usersRefused = async (c: Context<AppEnv>, error: string, status: 409 | 422 = 422) =>
  page(c, <UsersPage viewer={viewer(c)} users={await listModerators(c.var.db)} error={error} />, status)

/** A refusal of the account actions (a weak password, a taken name) to show on the page; anything else is thrown. */
function accountRefusal(error: unknown): AppError {
  if (!(error instanceof AppError) || error.status >= 500) throw error
  return error
}

export const accountRoutes = new Hono<AppEnv>()
  .get('/account', async (c) => page(c, <AccountPage viewer={viewer(c)} account={await mailSettings(c)} notice={noticeOf(c)} />))
  .post(
    '/account',
    validate('form', accountForm, (refusal, form, c) => {
      const typed = form as Record<string, unknown>
      const account = { email: String(typed.email ?? ''), alerts: typed.alerts === 'true', digest: typed.digest === 'true' }
      return page(c, <AccountPage viewer={viewer(c)} account={account} error={refusalMessage(refusal)} />, 422)
    }),
    async (c) => {
      const { email, alerts, digest } = c.req.valid('form')
      await saveMailPreferences(c.var.db, viewer(c).id, { email: email || null, alerts, digest })
      return backWithNotice(c, '/moderate/account', 'saved')
    },
  )
  .post('/account/password', validate('form', passwordForm), async (c) => {
    const { current, password } = c.req.valid('form')
    const me = await c.var.db
      .selectFrom('moderators')
      .select(['username', 'password_hash'])
      .where('id', '=', viewer(c).id)
      .executeTakeFirstOrThrow()
    const notChanged = async (why: string) =>
      page(c, <AccountPage viewer={viewer(c)} account={await mailSettings(c)} error={`Not changed: ${why}`} />, 422)
    if (!(await verifyPassword(me.password_hash, current))) return notChanged('the current password is not right.')
    try {
      // Every session of this account ends (a stolen one too); this browser gets a new one.
      await setModeratorPassword(c.var.db, me.username, password)
    } catch (error) {
      return notChanged(refusalMessage(accountRefusal(error)))
    }
    c.header('Set-Cookie', await startSession(c.var.db, viewer(c).id, secureCookies(c)), { append: true })
    return backWithNotice(c, '/moderate/account', 'password_changed')
  })
  .get('/imports', adminOnly, async (c) => page(c, <ImportsPage viewer={viewer(c)} runs={await listImports(c.var.db)} />))
  .get('/users', adminOnly, async (c) =>
    page(c, <UsersPage viewer={viewer(c)} users={await listModerators(c.var.db)} notice={noticeOf(c)} />),
  )
  .post(
    '/users',
    adminOnly,
    validate('form', newModeratorSchema, (refusal, _form, c) => usersRefused(c, refusalMessage(refusal))),
    async (c) => {
      const { username, password, role } = c.req.valid('form')
      try {
        await createModerator(c.var.db, username, password, role)
      } catch (error) {
        const refusal = accountRefusal(error)
        return usersRefused(c, Object.values(refusal.fields ?? {}).join('; ') || refusal.message, refusal.status === 409 ? 409 : 422)
      }
      return backWithNotice(c, '/moderate/users', 'moderator_added')
    },
  )
  .post('/users/:id/password', adminOnly, validate('form', newPasswordForm), async (c) => {
    const username = await moderatorUsername(c.var.db, c.req.param('id'))
    try {
      await setModeratorPassword(c.var.db, username, c.req.valid('form').password)
    } catch (error) {
      return usersRefused(c, refusalMessage(accountRefusal(error)))
    }
    return backWithNotice(c, '/moderate/users', 'password_reset')
  })
  .post('/users/:id/:action{enable|disable}', adminOnly, async (c) => {
    const username = await moderatorUsername(c.var.db, c.req.param('id'))
    await setModeratorDisabled(c.var.db, username, c.req.param('action') === 'disable')
    return backWithNotice(c, '/moderate/users', 'saved')
  })
