// What travels live. A domain event becomes one small notice on the bus (ids only: PostgreSQL's NOTIFY
// carries 8 KB at most); each replica turns a notice into what its own streams need, once per notice.
import type { DomainEvent } from '../events/events.js'
import type { Subscriber } from '../events/events.js'
import type { Db } from '../platform/db/database.js'
import { newId } from '../platform/lib/ids.js'
import { hitRateLimit } from '../platform/lib/rate-limit.js'

/** A notice on the bus: the same on every replica, with one id that orders and resumes streams. */
export interface LiveNotice {
  id: string
  /** `settings`: the site's settings changed; every replica forgets its copy (no stream hears it). */
  type: 'published' | 'hidden' | 'held' | 'rejected' | 'reported' | 'edited' | 'viewing' | 'settings'
  articleId?: string
  commentId?: string
  /** The moderator who decided or is looking. */
  by?: string
}

/** The notices a domain event makes; none for events nobody watches live. */
export function noticeFor(event: DomainEvent): Omit<LiveNotice, 'id'> | null {
  switch (event.type) {
    case 'comment.published':
      return { type: 'published', articleId: event.articleId, commentId: event.commentId }
    case 'comment.held':
      return { type: event.wasPublic ? 'hidden' : 'held', articleId: event.articleId, commentId: event.commentId }
    case 'comment.rejected':
      return { type: 'rejected', articleId: event.articleId, commentId: event.commentId }
    case 'comment.reported':
      return { type: event.heldForReview ? 'hidden' : 'reported', articleId: event.articleId, commentId: event.commentId }
    case 'comment.reports_dismissed':
      return { type: 'reported', articleId: event.articleId, commentId: event.commentId }
    case 'comment.deleted':
      return { type: 'hidden', articleId: event.articleId, commentId: event.commentId }
    case 'comment.edited':
    case 'comment.featured':
    case 'comment.unfeatured':
      return { type: 'edited', articleId: event.articleId, commentId: event.commentId }
    default:
      return null
  }
}

/** What a stream sends: an SSE event (or a WebSocket message) with its id for resuming. */
export interface LiveMessage {
  id: string
  event: string
  data: unknown
}

export const articleChannel = (articleId: string) => `article:${articleId}`
export const MODERATOR_CHANNEL = 'moderators'

/** A comment's edits within one such window reach live streams as one notice, at the window's end. */
export const EDIT_NOTICE_SECONDS = 5

/**
 * Live streams hear of changes through the database (NOTIFY on Node, so every replica hears it), or
 * through whatever the runtime plugs in (a Durable Object on Workers).
 */
export const liveSubscriber =
  (announce: (db: Db, notice: LiveNotice) => Promise<void>, now: () => Date, stopping?: AbortSignal): Subscriber =>
  (event, { db }) => {
    const notice = noticeFor(event)
    // The write path sends a new comment's notice with the statement that stores it (see announceInStatement).
    if (!notice || ('noticeSent' in event && event.noticeSent)) return undefined
    if (event.type !== 'comment.edited') return announce(db, { ...notice, id: newId() })
    return (async () => {
      // The first edit in the window, on any replica, sends the notice once the window ends; the stream
      // message is built then, from the comment as it stands, so it carries every edit of the window.
      const first = await hitRateLimit(db, `live:edited:${event.commentId}`, 1, EDIT_NOTICE_SECONDS, now())
      if (!first.allowed) return
      await windowEnd(first.retryAfter * 1000, stopping)
      await announce(db, { ...notice, id: newId() })
    })()
  }

/**
 * Waits out a notice's window; a stopping server cuts the wait short, so the notice goes while the database
 * is still open rather than firing after it closed. Unref'd on Node: the timer alone keeps no process up.
 */
function windowEnd(ms: number, stopping: AbortSignal | undefined): Promise<void> {
  if (stopping?.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      stopping?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    ;(timer as { unref?: () => void }).unref?.()
    stopping?.addEventListener('abort', done, { once: true })
  })
}
