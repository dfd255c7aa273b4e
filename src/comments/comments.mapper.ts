import type { CommentRow } from '../db/database.js'

export interface PublicComment {
  id: string
  articleId: string
  parentId: string | null
  authorName: string
  body: string
  createdAt: string
  status?: 'pending' | 'approved' | 'rejected'
  featured: boolean
  replies?: PublicComment[]
}

type PublicColumns = Pick<CommentRow, 'id' | 'article_id' | 'parent_id' | 'author_name' | 'body' | 'created_at' | 'featured'>

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
  }
  if (withStatus) comment.status = withStatus
  return comment
}

export const PUBLIC_COLUMNS = ['id', 'article_id', 'parent_id', 'author_name', 'body', 'created_at', 'featured'] as const
