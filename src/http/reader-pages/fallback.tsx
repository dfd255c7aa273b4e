// The first comments as plain HTML, for readers without JavaScript. The demo pages put it inside their
// comments element; a publisher's server includes GET /api/v1/articles/:id/fallback in its article page.
// The widget removes it when it loads. Every name and body is text here: JSX escapes it.
import type { PublicComment } from '../../comments/comments.mapper.js'
import { findApprovedPage } from '../../comments/comments.repository.js'
import type { Executor } from '../../platform/db/database.js'
import { type Language, direction } from '../../platform/i18n/i18n.js'
import { FALLBACK_COMMENTS } from '../../platform/i18n/i18n.reader.js'

/** As many threads as the widget's first page shows. */
const FIRST_PAGE = 20

export const firstComments = async (db: Executor, articleId: string): Promise<PublicComment[]> =>
  (await findApprovedPage(db, articleId, { sort: 'newest', limit: FIRST_PAGE })).comments

/** The `data-nc-fallback` container; empty when the article has no published comment yet. */
export function FallbackComments({ lang, comments }: { lang: Language; comments: PublicComment[] }) {
  const words = FALLBACK_COMMENTS[lang]
  const item = (c: PublicComment) => (
    <li>
      <strong dir="auto">{c.authorName}</strong>
      <p dir="auto">{c.deleted ? words.deleted : c.body}</p>
      {c.replies && c.replies.length > 0 && <ol>{c.replies.map(item)}</ol>}
    </li>
  )
  return (
    <div data-nc-fallback="" lang={lang} dir={direction(lang)}>
      {comments.length > 0 && (
        <>
          <h2>{words.heading}</h2>
          <ol>{comments.map(item)}</ol>
        </>
      )}
    </div>
  )
}
