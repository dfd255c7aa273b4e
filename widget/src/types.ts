import type { PublicComment } from '../../src/comments/comments.mapper.js'

// The shapes the widget's modules share: kept apart from the modules that act on them, so that none of
// them has to import another only for a type (the API, the signed-in reader and the storage once did, in a loop).

// The public comment shape comes from the server itself (type-only: nothing of src/ enters the bundle).
export type Comment = PublicComment

/** A comment this reader wrote, with the receipt that lets them ask where it stands. */
export type OwnComment = Comment & { receipt?: string }

export interface Page {
  article: {
    id: string
    title: string | null
    commentsOpen: boolean
    commentCount: number
    picks: number
    live?: 'sse' | 'websocket' | null
  }
  comments: Comment[]
  nextCursor: string | null
}

export interface Reader {
  id: string
  name: string
  email: string | null
  via: 'email' | 'sso'
}
