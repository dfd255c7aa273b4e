import type { CommentRow, CommentStatus } from '../platform/db/database.js'
import { findLinks, type LinkSpan } from './comments.links.js'

export interface PublicComment {
  id: string
  articleId: string
  parentId: string | null
  authorName: string
  body: string
  createdAt: string
  status?: CommentStatus
  featured: boolean
  /** Written by a verified reader (a proven email or the publisher's sign-in): the badge. */
  verified: boolean
  /** When the writer last edited it, if ever. */
  editedAt: string | null
  /** Deleted by its writer but kept, empty, because others replied. */
  deleted: boolean
  /** Readers' "respect": how many, never who. */
  respect: number
  /** The web addresses in `body`, for readers' screens to make clickable; absent when there are none. */
  links?: LinkSpan[]
  replies?: PublicComment[]
}

type PublicColumns = Pick<
  CommentRow,
  | 'id'
  | 'article_id'
  | 'parent_id'
  | 'author_name'
  | 'body'
  | 'created_at'
  | 'featured'
  | 'verified'
  | 'edited_at'
  | 'deleted'
  | 'respect_count'
>

/** The only shape reader-facing responses use: no email, no IP hash, no screening details. */
export function toPublicComment(row: PublicColumns, withStatus?: CommentRow['status']): PublicComment {
  const comment: PublicComment = {
    id: row.id,
    articleId: row.article_id,
    parentId: row.parent_id,
    authorName: row.author_name,
    body: row.body,
    createdAt: new Date(row.created_at).toISOString(),
    featured: row.featured,
    verified: row.verified,
    editedAt: row.edited_at ? new Date(row.edited_at).toISOString() : null,
    deleted: row.deleted,
    respect: row.respect_count,
  }
  if (withStatus) comment.status = withStatus
  const links = findLinks(row.body)
  if (links.length > 0) comment.links = links
  return comment
}

export const PUBLIC_COLUMNS = [
  'id',
  'article_id',
  'parent_id',
  'author_name',
  'body',
  'created_at',
  'featured',
  'verified',
  'edited_at',
  'deleted',
  'respect_count',
] as const
