// GET /moderate/screening: the site model's versions and their cards. POST /moderate/screening/retrain and
// /moderate/screening/:version/activate (administrators): "Retrain now", and rolling back or forward.
import { Hono } from 'hono'
import { activateModel, modelsOverview, requestTraining } from '../../moderation/moderation.learning.js'
import { shippedModelInfo } from '../../screening/screening.shipped-model.js'
import { getSiteSettings } from '../../settings/settings.repository.js'
import { adminOnly } from '../shared/auth.middleware.js'
import type { AppEnv } from '../shared/context.js'
import { published } from '../shared/events.publish.js'
import { modelVersionParams } from '../shared/moderation.schemas.js'
import { actorOf } from '../shared/moderator.actions.js'
import { validate } from '../shared/validation.js'
import { backWithNotice, noticeOf, page, viewer } from './moderator-ui.respond.js'
import { ScreeningPage } from './moderator-ui.screening-page.js'

export const screeningRoutes = new Hono<AppEnv>()
  .get('/screening', async (c) => {
    const [models, settings] = await Promise.all([modelsOverview(c.var.db), getSiteSettings(c.var.db)])
    return page(
      c,
      <ScreeningPage
        viewer={viewer(c)}
        models={models}
        shippedVersion={shippedModelInfo.version}
        schedule={{ hourUtc: settings.learningHourUtc, cleanPublishTarget: settings.learningCleanPublishTarget }}
        notice={noticeOf(c)}
      />,
    )
  })
  .post('/screening/retrain', adminOnly, async (c) => {
    await requestTraining(c.var.db, { startedBy: viewer(c).username })
    return backWithNotice(c, '/moderate/screening', 'training_queued')
  })
  .post('/screening/:version/activate', adminOnly, validate('param', modelVersionParams), async (c) => {
    const { services } = c.var
    published(c, await activateModel(c.var.db, c.req.valid('param').version, actorOf(c), { now: services.now, models: services.models }))
    return backWithNotice(c, '/moderate/screening', 'model_activated')
  })
