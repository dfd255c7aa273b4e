// The plain HTML form, for readers without JavaScript: the same post as the JSON API, answered with a
// page that says what happened, or (for a client that does not ask for HTML) a 303 back to the article.
import type { Context } from 'hono'
import type { PostOutcome } from '../../comments/comments.submit.js'
import { type CommentInput, commentInputSchema } from '../../comments/comments.schema.js'
import { missingGuestFields } from '../../comments/comments.writer.js'
import { type Language, pickLanguage } from '../../platform/i18n/i18n.js'
import { NOTICES, noScriptNotice } from '../../platform/i18n/i18n.reader.js'
import { AppError, validationError } from '../../platform/lib/errors.js'
import type { AppEnv } from '../shared/context.js'
import { FormAnswerPage, type FormOutcome } from './comments.form-page.js'

export type PostComment = (c: Context<AppEnv>, articleId: string, input: CommentInput) => Promise<PostOutcome>

export const isFormPost = (c: Context) => (c.req.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')

export async function readBody(c: Context): Promise<unknown> {
  if (isFormPost(c)) {
    const form = await c.req.parseBody()
    return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, typeof v === 'string' ? v : '']))
  }
  const type = (c.req.header('content-type') ?? '').toLowerCase()
  if (!type.startsWith('application/json')) {
    throw new AppError(415, 'unsupported_media_type', 'Send JSON (application/json) or a form post')
  }
  try {
    return await c.req.json()
  } catch {
    throw new AppError(400, 'invalid_json', 'The request body is not valid JSON')
  }
}

/** One answer names every missing field: a guest's name and email too, though the schema leaves them to the reader's token. */
export function guestFieldsToo(error: AppError, raw: unknown, signedIn: boolean): AppError {
  if (signedIn) return error
  const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
  return new AppError(error.status, error.code, error.message, { ...missingGuestFields(body), ...error.fields })
}

/**
 * Where a no-JS form post goes back to: the article, else the referring page, only on a publisher's origin.
 * The article URL comes first because browsers cut cross-origin referrers down to the bare origin.
 */
function formReturnUrl(c: Context<AppEnv>, articleUrl: string | null): string | null {
  for (const candidate of [articleUrl, c.req.header('referer')]) {
    if (!candidate || !c.var.services.onPublisherSite(c, candidate)) continue
    const url = new URL(candidate)
    url.hash = ''
    return url.toString()
  }
  return null
}

function redirectWithOutcome(c: Context<AppEnv>, articleUrl: string | null, fragment: Record<string, string>) {
  const target = formReturnUrl(c, articleUrl)
  const hash = new URLSearchParams({ ...fragment }).toString()
  if (!target) {
    // No page of ours to return to: answer plainly rather than redirect to an unchecked address.
    return c.json({ outcome: fragment }, 200)
  }
  return c.redirect(`${target}#comments-${hash}`, 303)
}

/** Refusals the comment path already words in the writer's language (screening, the writer's standing, the article). */
const WORDED = new Set([
  'commenter_banned',
  'commenter_suspended',
  'comments_closed',
  'duplicate_comment',
  'verification_required',
  'rejected_content',
])

/** A refusal in the page's language: the rest (a rate limit, a retry key sent twice) worded here. */
function refusalWords(lang: Language, error: AppError): string {
  if (error.code === 'rate_limited') return NOTICES[lang].tooFast(Number(error.headers?.['Retry-After']) || 60)
  return WORDED.has(error.code) ? error.message : NOTICES[lang].refusedOther
}

async function answerFormPost(
  c: Context<AppEnv>,
  articleId: string,
  typed: Record<string, string>,
  parsed: ReturnType<typeof commentInputSchema.safeParse>,
  articleUrl: string | null,
  postComment: PostComment,
) {
  const lang = pickLanguage(typed.lang, c.req.header('accept-language'))
  const back = formReturnUrl(c, articleUrl)
  const kept = Object.fromEntries(
    ['name', 'email', 'body', 'parentId', 'articleUrl', 'articleTitle', 'lang']
      .filter((k) => typeof typed[k] === 'string')
      .map((k) => [k, typed[k]!]),
  )
  const answer = (outcome: FormOutcome, status: 200 | 201 | 202 | 403 | 409 | 422 | 429) =>
    c.html(
      `<!doctype html>${<FormAnswerPage lang={lang} outcome={outcome} action={new URL(c.req.url).pathname} articleUrl={back} />}`,
      status,
    )
  c.header('Cache-Control', 'no-store')
  if (!parsed.success)
    return answer({ result: 'invalid', fields: guestFieldsToo(validationError(parsed.error), typed, false).fields ?? {}, typed: kept }, 422)
  try {
    const outcome = await postComment(c, articleId, parsed.data)
    const message = outcome.notice && noScriptNotice(outcome.notice)
    return answer({ result: outcome.httpStatus === 201 ? 'published' : 'pending', message, typed: {} }, outcome.httpStatus)
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error
    if (error.code === 'validation_failed') return answer({ result: 'invalid', fields: error.fields ?? {}, typed: kept }, 422)
    return answer({ result: 'refused', message: refusalWords(lang, error), typed: kept }, error.status as 403 | 409 | 422 | 429)
  }
}

/**
 * A plain form post. A browser asks for a page: it gets one that says what happened (a fragment on a
 * script-free page says nothing). A client that does not ask for HTML keeps the 303 with the fragment.
 */
export async function answerPlainForm(
  c: Context<AppEnv>,
  articleId: string,
  raw: unknown,
  articleUrl: string | null,
  postComment: PostComment,
) {
  const parsed = commentInputSchema.safeParse(raw)
  if ((c.req.header('accept') ?? '').includes('text/html'))
    return answerFormPost(c, articleId, raw as Record<string, string>, parsed, articleUrl, postComment)
  if (!parsed.success) {
    const fields = Object.keys(guestFieldsToo(validationError(parsed.error), raw, false).fields ?? {}).join(',')
    return redirectWithOutcome(c, articleUrl, { result: 'invalid', fields })
  }
  try {
    const outcome = await postComment(c, articleId, parsed.data as CommentInput)
    return redirectWithOutcome(c, articleUrl, {
      result: outcome.httpStatus === 201 ? 'published' : 'pending',
      id: outcome.comment.id,
    })
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error
    if (error.code === 'validation_failed')
      return redirectWithOutcome(c, articleUrl, { result: 'invalid', fields: Object.keys(error.fields ?? {}).join(',') })
    return redirectWithOutcome(c, articleUrl, { result: error.code })
  }
}
