// How the workspace answers: whole pages, redirects back with a notice, and refusals drawn as pages.
import type { Context } from 'hono'
import { errorFields } from '../../platform/ops/ops.log.js'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { AppError } from '../../platform/lib/errors.js'
import { ID_PATTERN } from '../../platform/lib/ids.js'
import type { AppEnv } from '../shared/context.js'
import { ErrorPage } from './moderator-ui.error-page.js'
import type { Viewer } from './moderator-ui.layout.js'

/** The signed-in moderator; every route past the sign-in has one. */
export const viewer = (c: Context<AppEnv>): Viewer & { id: string } => c.var.moderator!

/** Every workspace page is a full HTML document in standards mode. */
export const page = (c: Context<AppEnv>, node: unknown, status: ContentfulStatusCode = 200) => c.html(`<!doctype html>${node}`, status)

/** What a refusal says on a page: a form's refused fields by their own messages, else the refusal's. */
export const refusalMessage = (error: AppError) => Object.values(error.fields ?? {}).join(' ') || error.message

/**
 * Where to go after an action, with a notice: only a path that still lies inside the workspace once
 * resolved (so `/moderate/../..//elsewhere` cannot become a protocol-relative redirect).
 */
export function backUrl(value: unknown): URL {
  if (typeof value === 'string' && value.startsWith('/moderate')) {
    const resolved = new URL(value, 'http://workspace')
    if (resolved.host === 'workspace' && /^\/moderate(\/|$)/.test(resolved.pathname)) return resolved
  }
  return new URL('/moderate', 'http://workspace')
}

/** The query parameters a notice travels in. */
const NOTICE_KEYS = ['notice', 'n', 'risk', 'skipped', 'c']

/** The page to go back to, without the notice it may have shown. */
export function backPath(value: unknown): string {
  const back = backUrl(value)
  for (const key of NOTICE_KEYS) back.searchParams.delete(key)
  return `${back.pathname}${back.search}`
}

const decidedMeanwhile = (skipped: string | undefined) =>
  skipped && skipped !== '0' ? ` ${skipped} left as a colleague had decided them meanwhile.` : ''

/**
 * Notices travel as codes with checked numbers, never as text: a link cannot make the workspace show
 * words of a stranger's choosing as if the system said them.
 */
const NOTICES = {
  approved: () => 'Approved.',
  rejected: () => 'Rejected.',
  featured: () => 'Featured.',
  unfeatured: () => 'No longer featured.',
  undone: () => 'Undone: the comment is back as it was.',
  banned: (p) => `The commenter is now banned.${p.n ? ` ${p.n} waiting comments rejected.` : ''}`,
  trusted: () => 'The commenter is now trusted.',
  normal: () => 'The commenter is now back to normal.',
  suspended: (p) => `The commenter is suspended for ${p.n === '1' ? '1 day' : `${p.n ?? '?'} days`}.`,
  shadow_banned: () => 'The commenter is now shadow-banned: their comments reach nobody else.',
  note_added: () => 'Note added.',
  erased: (p) => `The commenter is erased (${p.n ?? 0} comments).`,
  bulk_approved: (p) => `${p.n ?? 0} comments approved.${decidedMeanwhile(p.skipped)}`,
  bulk_rejected: (p) => `${p.n ?? 0} comments rejected.${decidedMeanwhile(p.skipped)}`,
  approved_below: (p) => `${p.n ?? 0} comments with risk below ${p.risk ?? '?'} approved.`,
  rules_saved: () => 'Rules saved.',
  training_queued: () => 'Training queued: the new version appears here when it is done.',
  model_activated: () => 'Model activated: this server uses it now, every other within a minute.',
  article_saved: () => 'Article saved.',
  moderator_added: () => 'Moderator added.',
  saved: () => 'Saved.',
  password_changed: () => 'Password changed. Other devices are signed out.',
  password_reset: () => 'Password reset. That moderator is signed out everywhere.',
} satisfies Record<string, (params: { n?: string; risk?: string; skipped?: string }) => string>

export type NoticeCode = keyof typeof NOTICES

/** 303 back to `back` (a page inside the workspace, else the queues) with a notice. */
export function backWithNotice(
  c: Context<AppEnv>,
  back: unknown,
  notice: NoticeCode,
  params: { n?: number | undefined; risk?: number; skipped?: number; comment?: string } = {},
): Response {
  const url = backUrl(back)
  for (const key of NOTICE_KEYS) url.searchParams.delete(key)
  url.searchParams.set('notice', notice)
  if (params.comment !== undefined) url.searchParams.set('c', params.comment)
  if (params.n !== undefined) url.searchParams.set('n', String(params.n))
  if (params.risk !== undefined) url.searchParams.set('risk', params.risk.toFixed(1))
  if (params.skipped) url.searchParams.set('skipped', String(params.skipped))
  return c.redirect(`${url.pathname}${url.search}${url.hash}`, 303)
}

/** The notice a page shows: only a known code, with numbers that are numbers. */
export function noticeOf(c: Context<AppEnv>): string | undefined {
  const code = c.req.query('notice')
  if (!code || !Object.hasOwn(NOTICES, code)) return undefined
  const n = c.req.query('n')
  const risk = c.req.query('risk')
  const skipped = c.req.query('skipped')
  return NOTICES[code as NoticeCode]({
    ...(n && /^\d{1,4}$/.test(n) ? { n } : {}),
    ...(skipped && /^\d{1,4}$/.test(skipped) ? { skipped } : {}),
    ...(risk && /^0\.\d$/.test(risk) ? { risk } : {}),
  })
}

/** The comment a decision notice is about (`c`), for the queue to name it and offer Undo: only an id. */
export function decidedOf(c: Context<AppEnv>): { id: string; notice: 'approved' | 'rejected' } | undefined {
  const notice = c.req.query('notice')
  const id = c.req.query('c')
  if ((notice !== 'approved' && notice !== 'rejected') || !id || !ID_PATTERN.test(id)) return undefined
  return { id, notice }
}

/** The workspace answers its own refusals (not an administrator, not found, bad input) as pages, not JSON. */
export function refusalPage(error: Error, c: Context<AppEnv>) {
  const signedIn = c.var.moderator
  if (!(error instanceof AppError) || error.status >= 500) {
    c.var.services.log.error({ req: c.var.requestId, ...errorFields(error) }, 'unhandled error in the workspace')
    return page(
      c,
      <ErrorPage viewer={signedIn} title="Something went wrong" message="Something went wrong on our side; please try again." />,
      500,
    )
  }
  for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value)
  const title = error.status === 403 ? 'Not allowed' : error.status === 404 ? 'Not found' : 'Not done'
  return page(c, <ErrorPage viewer={signedIn} title={title} message={refusalMessage(error)} />, error.status)
}
