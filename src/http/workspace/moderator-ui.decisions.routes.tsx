// POST /moderate/comments/:id/approve, /reject, /feature, /unfeature, and GET /moderate/comments/:id (its
// history): a moderator's decisions on one comment, from the queue's buttons and keys.
import type { Context } from 'hono'
import { Hono } from 'hono'
import { loadModComments } from '../../moderation/moderation.queue.js'
import { commentHistory, commentRevisions, featureComment, rejectComment } from '../../moderation/moderation.decisions.js'
import { AppError, notFound } from '../../platform/lib/errors.js'
import type { AppEnv } from '../shared/context.js'
import { published } from '../shared/events.publish.js'
import { actorOf, approveAs } from '../shared/moderator.actions.js'
import { validate } from '../shared/validation.js'
import { DecidedPage } from './moderator-ui.decided-page.js'
import { decisionForm, idParam, rejectForm } from './moderator-ui.forms.js'
import { HistoryPage } from './moderator-ui.history-page.js'
import { backPath, backWithNotice, noticeOf, page, viewer } from './moderator-ui.respond.js'

const commentId = idParam('Comment')

/**
 * Decides; when a colleague decided since the page was drawn (the decision found another status under
 * the row lock and wrote nothing), a page that says so and offers the same decision again, without the
 * status it expected.
 */
async function decideOrAsk(
  c: Context<AppEnv>,
  again: Record<string, string | undefined>,
  decide: () => Promise<Response>,
): Promise<Response> {
  try {
    return await decide()
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'already_decided') throw error
    const fields: Record<string, string> = {}
    for (const [name, value] of Object.entries(again)) if (value) fields[name] = value
    fields.back = backPath(again.back)
    const message = error.message.replace(/ Send it again.*$/, '')
    return page(c, <DecidedPage viewer={viewer(c)} message={message} action={new URL(c.req.url).pathname} fields={fields} />, 409)
  }
}

export const decisionRoutes = new Hono<AppEnv>()
  .post('/comments/:id/reject', commentId, validate('form', rejectForm), async (c) => {
    const id = c.req.valid('param').id
    // The API's own schema: a note too long is refused here as there, never cut short.
    const { expect, back, ...reason } = c.req.valid('form')
    return decideOrAsk(c, { back, ...reason }, async () => {
      published(c, await rejectComment(c.var.db, id, actorOf(c), reason, expect))
      return backWithNotice(c, back, 'rejected', { comment: id })
    })
  })
  .post('/comments/:id/:action{approve|feature|unfeature}', commentId, validate('form', decisionForm), async (c) => {
    const id = c.req.valid('param').id
    const { expect, back } = c.req.valid('form')
    const action = c.req.param('action') as 'approve' | 'feature' | 'unfeature'
    if (action === 'approve') {
      return decideOrAsk(c, { back }, async () => {
        await approveAs(c, id, { expectStatus: expect })
        return backWithNotice(c, back, 'approved', { comment: id })
      })
    }
    published(c, await featureComment(c.var.db, id, actorOf(c), action === 'feature'))
    return backWithNotice(c, back, action === 'feature' ? 'featured' : 'unfeatured')
  })
  .get('/comments/:id', commentId, async (c) => {
    const id = c.req.valid('param').id
    const [item] = await loadModComments(c.var.db, [id])
    if (!item) throw notFound('Comment')
    const [actions, revisions] = [await commentHistory(c.var.db, id), await commentRevisions(c.var.db, id)]
    return page(c, <HistoryPage viewer={viewer(c)} item={item} actions={actions} revisions={revisions} notice={noticeOf(c)} />)
  })
