/** The statuses an action may refuse with; 500 is never chosen, it is what an unexpected error becomes. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503

export type ErrorCode =
  | 'validation_failed'
  | 'not_ready'
  | 'invalid_json'
  | 'not_found'
  | 'comments_closed'
  | 'commenter_banned'
  | 'commenter_suspended'
  | 'rate_limited'
  | 'payload_too_large'
  | 'rejected_content'
  | 'duplicate_comment'
  | 'unauthenticated'
  | 'forbidden'
  | 'invalid_credentials'
  | 'cross_site_request'
  | 'unsupported_media_type'
  | 'conflict'
  | 'idempotency_conflict'
  | 'request_aborted'
  | 'unavailable'
  | 'invalid_code'
  | 'invalid_reader_token'
  | 'invalid_sso_token'
  | 'verification_required'
  | 'edit_window_closed'
  | 'already_decided'
  | 'internal_error'

/** The one error type handlers throw; `app.onError` shapes it into `{error:{code,message,fields?}}`. */
export class AppError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    readonly headers?: Record<string, string>,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`)

export function errorBody(code: ErrorCode, message: string, fields?: Record<string, string>) {
  return { error: fields ? { code, message, fields } : { code, message } }
}

/** Turns zod issues into `{field: message}`, first message per field. */
interface IssueList {
  issues: readonly { path: readonly PropertyKey[]; message: string }[]
}

export function fieldErrors(error: IssueList): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '_'
    fields[key] ??= issue.message
  }
  return fields
}

export function validationError(error: IssueList): AppError {
  return new AppError(422, 'validation_failed', 'Some fields need attention', fieldErrors(error))
}
