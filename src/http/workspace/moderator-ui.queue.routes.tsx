// GET /moderate (a queue), /search and /overview; POST /bulk and /approve-below: the queues and what is
// decided on many comments at once.
import { Hono } from 'hono'
import { sql } from 'kysely'
import { findArticle } from '../../articles/articles.repository.js'
import { loadOverview, overviewQuerySchema } from '../../moderation/moderation.overview.js'
import { DEFAULT_SORT, listQueue, queueCounts } from '../../moderation/moderation.queue.js'
import { rejectComment } from '../../moderation/moderation.decisions.js'
import { undoableDecision } from '../../moderation/moderation.undo.js'
import { AppError } from '../../platform/lib/errors.js'
import type { Bundle } from '../shared/bundled-script.js'
import type { AppEnv } from '../shared/context.js'
import { published } from '../shared/events.publish.js'
import { queueQuerySchema } from '../shared/moderation.schemas.js'
import { actorOf, approveAs } from '../shared/moderator.actions.js'
import { validate } from '../shared/validation.js'
import { ApproveBelowPage } from './moderator-ui.approve-below-page.js'
import { approveBelowForm, bulkForm } from './moderator-ui.forms.js'
import { OverviewPage } from './moderator-ui.overview-page.js'
import { QueuePage } from './moderator-ui.queue-page.js'
import { backPath, backWithNotice, decidedOf, noticeOf, page, viewer } from './moderator-ui.respond.js'
import { searchPage } from './moderator-ui.search-page.js'

/** The queue pages take keys: they load the keyboard script under its versioned name. */
export function queueRoutes(keyboard: () => Promise<Bundle>) {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      // A queue address with nonsense in it shows the pending queue rather than an error.
      const parsed = queueQuerySchema.safeParse(c.req.query())
      const query = parsed.success ? parsed.data : queueQuerySchema.parse({})
      const decided = decidedOf(c)
      const [queuePage, counts, script, decidedRow, article] = await Promise.all([
        listQueue(c.var.db, query),
        queueCounts(c.var.db, query.articleId),
        keyboard(),
        decided ? undoableDecision(c.var.db, decided.id, actorOf(c), c.var.services.now()) : undefined,
        query.articleId ? findArticle(c.var.db, query.articleId) : undefined,
      ])
      const url = new URL(c.req.url)
      for (const key of ['notice', 'n', 'risk', 'c']) url.searchParams.delete(key)
      return page(
        c,
        <QueuePage
          viewer={viewer(c)}
          queue={query.queue}
          sort={query.sort ?? DEFAULT_SORT[query.queue]}
          articleId={query.articleId}
          articleTitle={article?.title}
          items={queuePage.items}
          nextCursor={queuePage.nextCursor}
          counts={counts}
          back={`${url.pathname}${url.search}`}
          notice={noticeOf(c)}
          decided={decided?.notice === decidedRow?.done ? decidedRow : undefined}
          script={`/moderate/assets/keys.${script.hash}.js`}
        />,
      )
    })
    .get('/search', searchPage)
    .get(
      '/overview',
      validate('query', overviewQuerySchema, () => {
        throw new AppError(422, 'validation_failed', 'Choose a period of 1 to 90 days.')
      }),
      async (c) => {
        const overview = await loadOverview(c.var.db, { days: c.req.valid('query').days, now: c.var.services.now() })
        return page(c, <OverviewPage viewer={viewer(c)} overview={overview} />)
      },
    )
    .post('/bulk', validate('form', bulkForm), async (c) => {
      const { ids, seen, action, reason, back } = c.req.valid('form')
      // Each comment is decided only while it is as the page showed it (checked under its row lock); one a
      // colleague decided meanwhile stays as they decided, and is counted apart.
      let decided = 0
      for (const id of ids) {
        const expectStatus = seen.get(id)
        try {
          if (action === 'approve') await approveAs(c, id, { expectStatus })
          else published(c, await rejectComment(c.var.db, id, actorOf(c), { reason }, expectStatus))
          decided++
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== 'already_decided') throw error
        }
      }
      const notice = action === 'approve' ? 'bulk_approved' : 'bulk_rejected'
      return backWithNotice(c, back, notice, { n: decided, skipped: ids.length - decided })
    })
    .post('/approve-below', validate('form', approveBelowForm), async (c) => {
      const { ids: offered, maxRisk, confirmed, back } = c.req.valid('form')
      // Only comments no rule held (a bot, spam, a listed word or a failed check stays for a person), that the
      // model scored, still waiting and still below the risk now: the page may be minutes old.
      const ids =
        offered.length === 0
          ? []
          : (
              await c.var.db
                .selectFrom('comments')
                .select('id')
                .where('id', 'in', offered)
                .where('status', '=', 'pending')
                .where('flagged', '=', false)
                .where('risk', '<', maxRisk)
                .where(sql<boolean>`screening -> 'reasons' @> ${JSON.stringify([{ rule: 'model_abuse' }])}::jsonb`)
                .orderBy('id')
                .execute()
            ).map((r) => r.id)
      if (!confirmed) return page(c, <ApproveBelowPage viewer={viewer(c)} ids={ids} maxRisk={maxRisk} back={backPath(back)} />)
      let approved = 0
      for (const id of ids) {
        const done = await approveAs(c, id, {
          onlyIf: (row) => row.status === 'pending' && !row.flagged && row.risk < maxRisk,
          reason: `below risk ${maxRisk.toFixed(1)}`,
          keepExample: false,
        })
        if (done.published) approved++
      }
      return backWithNotice(c, back, 'approved_below', { n: approved, risk: maxRisk })
    })
}
