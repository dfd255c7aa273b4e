// The moments everything else hangs off. An action returns the events it caused; after its transaction
// commits, `services.publish` hands each to every subscriber (the public cache, the webhooks, and later
// notifications and live updates). A failing subscriber is logged and never undoes the action.
import type { Context } from 'hono'
import type { CommenterStatus, Db } from '../platform/db/database.js'

export type DomainEvent =
  // `byModerator`: a person decided (the writer may be told); otherwise screening did, and the writer saw it.
  | { type: 'comment.published'; commentId: string; articleId: string; byModerator?: boolean }
  // `wasPublic`: readers could see it until now (an edit screening held).
  | { type: 'comment.held'; commentId: string; articleId: string; wasPublic?: boolean }
  | { type: 'comment.rejected'; commentId: string; articleId: string; byModerator?: boolean }
  | { type: 'comment.edited'; commentId: string; articleId: string }
  | { type: 'comment.deleted'; commentId: string; articleId: string }
  | { type: 'comment.featured'; commentId: string; articleId: string }
  | { type: 'comment.unfeatured'; commentId: string; articleId: string }
  | { type: 'comment.reported'; commentId: string; articleId: string; heldForReview: boolean }
  | { type: 'comment.reports_dismissed'; commentId: string; articleId: string }
  | { type: 'commenter.status_changed'; commenterId: string; status: CommenterStatus }
  | { type: 'commenter.erased'; articleIds: string[] }
  | { type: 'article.rules_changed'; articleId: string }
  | { type: 'site.rules_changed' }

/** What an action hands back: its answer, and the events to publish once it has committed. */
export interface Done<T> {
  value: T
  events: DomainEvent[]
}

export interface SubscriberContext {
  c: Context
  db: Db
}

/** Runs for every event; a returned promise runs after the response (Workers: under waitUntil). */
export type Subscriber = (event: DomainEvent, context: SubscriberContext) => Promise<unknown> | undefined

/** The articles whose public view an event changes; null means every article (the site's rules). */
export function articlesChangedBy(event: DomainEvent): string[] | null {
  switch (event.type) {
    case 'comment.held':
    case 'comment.reports_dismissed':
    case 'commenter.status_changed':
      return []
    case 'commenter.erased':
      return event.articleIds
    case 'site.rules_changed':
      return null
    case 'comment.reported':
      return event.heldForReview ? [event.articleId] : []
    default:
      return [event.articleId]
  }
}
