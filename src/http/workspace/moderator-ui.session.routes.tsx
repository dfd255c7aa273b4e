// GET/POST /moderate/login and POST /moderate/logout: the workspace's own sign-in form, checked as the
// JSON login checks its body.
import { Hono } from 'hono'
import { endSession, startSession } from '../../auth/auth.lucia.js'
import { AppError } from '../../platform/lib/errors.js'
import { secureCookies } from '../shared/auth.middleware.js'
import type { AppEnv } from '../shared/context.js'
import { checkCredentials, loginSchema } from '../shared/sign-in.js'
import { validate } from '../shared/validation.js'
import { LoginPage } from './moderator-ui.login-page.js'
import { page, refusalMessage } from './moderator-ui.respond.js'

/** The username as typed, to fill the form again. */
const typedUsername = (form: unknown) => {
  const username = (form as { username?: unknown } | null)?.username
  return typeof username === 'string' ? username.trim().toLowerCase().slice(0, 100) : ''
}

export const sessionRoutes = new Hono<AppEnv>()
  .get('/login', (c) => page(c, <LoginPage />))
  .post(
    '/login',
    // The JSON login's own limits: an oversized password is refused before any hashing.
    validate('form', loginSchema, (refusal, form, c) =>
      page(c, <LoginPage error={refusalMessage(refusal)} username={typedUsername(form)} />, 422),
    ),
    async (c) => {
      const { username, password } = c.req.valid('form')
      try {
        const moderator = await checkCredentials(c, username, password)
        c.header('Set-Cookie', await startSession(c.var.db, moderator.id, secureCookies(c)), { append: true })
        return c.redirect('/moderate', 303)
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error
        for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value)
        return page(c, <LoginPage error={error.message} username={username} />, error.status === 429 ? 429 : 401)
      }
    },
  )
  .post('/logout', async (c) => {
    c.header('Set-Cookie', await endSession(c.var.db, c.req.header('cookie'), secureCookies(c)), { append: true })
    return c.redirect('/moderate/login', 303)
  })
