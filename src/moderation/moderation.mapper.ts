import { toPublicComment, type PublicComment } from '../comments/comments.mapper.js'
import type { CommenterSummary } from '../commenters/commenters.mapper.js'
import type { CommentRow, CommenterKind, CommenterStatus, ScreeningRecord } from '../platform/db/database.js'

/** What moderators see of a comment: the public shape, plus who wrote it, why it waits, and its context. */
export interface ModComment extends Omit<PublicComment, 'status' | 'replies'> {
  updatedAt: string
  status: CommentRow['status']
  flagged: boolean
  /** The screening model's risk, 0–1. */
  risk: number
  /** The model version that scored it: the shipped model's, or a site version's; null when no model did. */
  modelVersion: string | null
  rejectReason: string | null
  openReports: number
  commenter: CommenterSummary | null
  screening: { verdict: string | null; reasons: NonNullable<ScreeningRecord['reasons']> }
  reports: { reason: string; note: string | null; createdAt: string }[]
  article: { id: string; title: string | null; url: string | null }
  parent: { id: string; authorName: string; body: string; status: string } | null
}

/** The row loadModComments selects: a comment with its article, commenter and parent joined. */
export interface ModCommentRow
  extends Pick<
    CommentRow,
    | 'id'
    | 'article_id'
    | 'parent_id'
    | 'author_name'
    | 'body'
    | 'created_at'
    | 'updated_at'
    | 'edited_at'
    | 'verified'
    | 'deleted'
    | 'status'
    | 'featured'
    | 'flagged'
    | 'risk'
    | 'model_version'
    | 'reject_reason'
    | 'open_reports'
    | 'screening'
    | 'commenter_id'
    | 'respect_count'
  > {
  article_title: string | null
  article_url: string | null
  commenter_name: string | null
  commenter_email: string | null
  commenter_status: CommenterStatus | null
  commenter_kind: CommenterKind | null
  commenter_approved: number | null
  commenter_rejected: number | null
  parent_author: string | null
  parent_body: string | null
  parent_status: string | null
}

export function toModComment(r: ModCommentRow, reports: { reason: string; note: string | null; created_at: Date }[]): ModComment {
  return {
    ...toPublicComment(r),
    updatedAt: new Date(r.updated_at).toISOString(),
    status: r.status,
    flagged: r.flagged,
    risk: r.risk,
    modelVersion: r.model_version,
    rejectReason: r.reject_reason,
    openReports: r.open_reports,
    commenter: r.commenter_id
      ? {
          id: r.commenter_id,
          name: r.commenter_name ?? r.author_name,
          email: r.commenter_email,
          verified: r.commenter_kind !== null && r.commenter_kind !== 'guest',
          kind: r.commenter_kind ?? 'guest',
          status: r.commenter_status ?? 'normal',
          approvedCount: r.commenter_approved ?? 0,
          rejectedCount: r.commenter_rejected ?? 0,
        }
      : null,
    screening: { verdict: r.screening.verdict ?? null, reasons: r.screening.reasons ?? [] },
    reports: reports.map((rep) => ({ reason: rep.reason, note: rep.note, createdAt: new Date(rep.created_at).toISOString() })),
    article: { id: r.article_id, title: r.article_title, url: r.article_url },
    parent:
      r.parent_id && r.parent_author !== null
        ? { id: r.parent_id, authorName: r.parent_author, body: r.parent_body ?? '', status: r.parent_status ?? '' }
        : null,
  }
}
