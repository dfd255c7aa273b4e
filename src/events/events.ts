// What actions take and hand back. An action takes plain inputs (who acts, the request's facts, its fields)
// and returns its answer with the events it caused; once its transaction committed, the door that called
// it publishes the events to every subscriber (the public cache, live streams, mail, webhooks). A failing
// subscriber is logged and never undoes the action.
import type { CommenterStatus, Db } from '../platform/db/database.js'
import type { Language } from '../platform/i18n/i18n.js'

/** What a request tells an action about its caller, and nothing of the HTTP it came in. */
export interface RequestFacts {
  /** The language answers are given in: the form's field, else the browser's. */
  language: Language
  /** The caller's address: handed to third-party screening only, never stored. */
  ip: string | null
  /** The keyed hash of the caller's network: what limits count and a comment keeps. */
  addressHash: string | null
  userAgent: string | null
}

export type DomainEvent =
  // `byModerator`: a person decided (the writer may be told); otherwise screening did, and the writer saw it.
  // `reply`: whether it answers another comment, when the action knows (a new comment's parent gets mail).
  // `noticeSent`: its live notice already went on the bus with the statement that stored it.
  | { type: 'comment.published'; commentId: string; articleId: string; byModerator?: boolean; reply?: boolean; noticeSent?: boolean }
  // `wasPublic`: readers could see it until now (an edit screening held).
  | { type: 'comment.held'; commentId: string; articleId: string; wasPublic?: boolean; noticeSent?: boolean }
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
  db: Db
  /** Keeps work going after the answer (Workers hand it to waitUntil); failures are logged. */
  defer(work: Promise<unknown>): void
}

/** Runs for every event; a returned promise runs after the response (Workers: under waitUntil). */
export type Subscriber = (event: DomainEvent, context: SubscriberContext) => Promise<unknown> | undefined

/** Hands events to every subscriber; the app's one publisher is built with the services. */
export type Publish = (events: readonly DomainEvent[], context: SubscriberContext) => void

/** The articles whose public view an event changes; null means every article (the site's rules). */
export function articlesChangedBy(event: DomainEvent): string[] | null {
  switch (event.type) {
    case 'comment.held':
      // Held after readers could see it (an edit screening held, an approval undone): their pages change.
      return event.wasPublic ? [event.articleId] : []
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
