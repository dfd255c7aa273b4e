import type { ContentfulStatusCode } from 'hono/utils/http-status'

export type ErrorCode =
  | 'validation_failed'
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
    readonly status: ContentfulStatusCode,
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
