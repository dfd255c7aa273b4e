// GET /moderate/commenters/:id and what moderators decide about a commenter: ban, trust, reset, suspend,
// shadow-ban, a note for colleagues, and an administrator's erasure.
import { Hono } from 'hono'
import { commenterPage } from '../../commenters/commenters.page.js'
import { addCommenterNote, restrictCommenter, setCommenterStatus } from '../../moderation/moderation.commenters.js'
import { eraseCommenter } from '../../moderation/moderation.erasure.js'
import { notFound } from '../../platform/lib/errors.js'
import { adminOnly } from '../shared/auth.middleware.js'
import type { AppEnv } from '../shared/context.js'
import { published } from '../shared/events.publish.js'
import { commenterPageQuery } from '../shared/moderation.schemas.js'
import { actorOf } from '../shared/moderator.actions.js'
import { validate } from '../shared/validation.js'
import { CommenterPage } from './moderator-ui.commenter-page.js'
import { eraseForm, idParam, noteForm, shadowBanForm, standingForm, suspendForm } from './moderator-ui.forms.js'
import { backWithNotice, noticeOf, page, viewer } from './moderator-ui.respond.js'

const commenterId = idParam('Commenter')
const STANDINGS = { ban: 'banned', trust: 'trusted', reset: 'normal' } as const

export const commenterRoutes = new Hono<AppEnv>()
  .get(
    '/commenters/:id',
    commenterId,
    validate('query', commenterPageQuery, () => {
      throw notFound('Commenter')
    }),
    async (c) => {
      const data = await commenterPage(c.var.db, c.req.valid('param').id, c.req.valid('query'))
      return page(c, <CommenterPage viewer={viewer(c)} data={data} notice={noticeOf(c)} />)
    },
  )
  .post('/commenters/:id/suspend', commenterId, validate('form', suspendForm), async (c) => {
    const { days, reason, back } = c.req.valid('form')
    const restriction = { kind: 'suspend', days } as const
    published(c, await restrictCommenter(c.var.db, c.req.valid('param').id, restriction, actorOf(c), reason, c.var.services.now()))
    return backWithNotice(c, back, 'suspended', { n: days })
  })
  .post('/commenters/:id/shadow-ban', commenterId, validate('form', shadowBanForm), async (c) => {
    const { reason, back } = c.req.valid('form')
    const restriction = { kind: 'shadow_ban' } as const
    published(c, await restrictCommenter(c.var.db, c.req.valid('param').id, restriction, actorOf(c), reason, c.var.services.now()))
    return backWithNotice(c, back, 'shadow_banned')
  })
  .post('/commenters/:id/notes', commenterId, validate('form', noteForm), async (c) => {
    const id = c.req.valid('param').id
    published(c, await addCommenterNote(c.var.db, id, actorOf(c), c.req.valid('form').body))
    return backWithNotice(c, `/moderate/commenters/${id}`, 'note_added')
  })
  .post('/commenters/:id/erase', adminOnly, commenterId, validate('form', eraseForm), async (c) => {
    const { keyedHash, now } = c.var.services
    const done = published(
      c,
      await eraseCommenter(c.var.db, c.req.valid('param').id, actorOf(c), c.req.valid('form').mode, keyedHash, now()),
    )
    return backWithNotice(c, '/moderate', 'erased', { n: done.comments })
  })
  .post('/commenters/:id/:action{ban|trust|reset}', commenterId, validate('form', standingForm), async (c) => {
    const { back, ...standing } = c.req.valid('form')
    const status = STANDINGS[c.req.param('action') as keyof typeof STANDINGS]
    const keyedHash = c.var.services.keyedHash
    const done = published(c, await setCommenterStatus(c.var.db, c.req.valid('param').id, status, actorOf(c), { ...standing, keyedHash }))
    return backWithNotice(c, back, status, { n: done.rejectedPending })
  })
