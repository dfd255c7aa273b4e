// What a comment can be, and why it was refused: the one place the statuses and the reasons are spelled
// (their values live with the table that stores them). Schemas, mails, the overview and the workspace read them.
import { COMMENT_REASONS, COMMENT_STATUSES, type CommentStatus, type ReportReason } from '../platform/db/database.js'

export { COMMENT_STATUSES, type CommentStatus }

/** A moderator's reasons for a rejection are a reader's reasons for a report. */
export const REJECT_REASONS = COMMENT_REASONS
export const REPORT_REASONS = COMMENT_REASONS
export type RejectReason = ReportReason
export type { ReportReason }

/** The longest note a rejection may carry: the API's schema and the workspace's form both read it. */
export const REJECT_NOTE_MAX = 500

/** A rejection as the audit log and the comment keep it: "reason: note". */
export const rejectReasonText = (reason: { reason?: RejectReason | undefined; note?: string | undefined }): string | null =>
  [reason.reason, reason.note].filter(Boolean).join(': ') || null

/** "Reason: note" as rejectComment records it, back into its two parts. */
export function splitRejectReason(text: string | null): { reason: RejectReason; note: string | null } {
  const [head, ...rest] = (text ?? '').split(': ')
  const reason = REJECT_REASONS.find((r) => r === head)
  return reason ? { reason, note: rest.join(': ') || null } : { reason: 'other', note: text }
}
