import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryId,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STORE_IN_FLIGHT } from '../src/comments/comments.group-commit.js'
import type { ExternalScreening } from '../src/screening/screening.external.js'
import { parseEnv } from '../src/env.js'
import { appConfig, buildNodeApp, liveOf } from '../src/node.setup.js'
import type { Db } from '../src/platform/db/database.js'
import { PUBLISHER_ORIGIN, TEST_SECRET, type TestApp, aComment, aFormToken, createTestApp, trackedExecution } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

/** Records every statement a handle executes (once it returned). */
class StatementLog implements KyselyPlugin {
  readonly statements: string[] = []
  private readonly texts = new Map<QueryId, string>()
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node as RootOperationNode & { sqlFragments?: readonly string[] }
    this.texts.set(args.queryId, node.kind === 'RawNode' ? (node.sqlFragments ?? []).join('?') : node.kind)
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const text = this.texts.get(args.queryId) ?? '?'
    this.texts.delete(args.queryId)
    this.statements.push(text)
    return args.result
  }
  reset() {
    this.statements.length = 0
  }
}

const CLEAN = [
  'Thank you for reporting from Saraqeb when so few still do.',
  'The figures in the third paragraph match what the ministry published last week.',
  'My grandmother lived on that street; the photographs brought back a lot.',
]
const ABUSIVE = ['Only a pathetic clown would write this garbage, you liar', 'You pathetic clown, nobody wants your lies here']

for (const kind of dbKinds()) {
  describe(`the write path on ${kind}`, () => {
    let t: TestApp
    let log: StatementLog
    let app: ReturnType<typeof buildNodeApp>
    let counted: Db
    let network = 0
    // A third-party check that holds each post until `barrier` posts are waiting in it.
    let barrier = 0
    let arrived: (() => void)[] = []
    const external: ExternalScreening = {
      check: () =>
        new Promise((resolve) => {
          arrived.push(() => resolve([]))
          if (arrived.length < barrier) return
          for (const go of arrived) go()
          arrived = []
        }),
    }
    const { executionCtx, settled } = trackedExecution()
    const post = async (articleId: string, body: Record<string, unknown>) =>
      app.request(
        `/api/v1/articles/${articleId}/comments`,
        {
          method: 'POST',
          // Each post from its own network: the per-minute limit counts a network's posts together.
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${++network >> 8}.${network & 255}.7` },
          body: JSON.stringify({ ...body, formToken: await aFormToken(articleId) }),
        },
        undefined,
        executionCtx,
      )

    beforeAll(async () => {
      t = await createTestApp(kind)
      // The defaults, limits included: the statement count is the one a real site pays.
      log = new StatementLog()
      const env = parseEnv({ NODE_ENV: 'test', PUBLIC_ORIGINS: PUBLISHER_ORIGIN, IP_HASH_SECRET: TEST_SECRET })
      counted = t.db.withPlugin(log)
      app = buildNodeApp({ ...t.connection, db: counted }, appConfig(env, TEST_SECRET), { trustProxy: true, external })
    })
    afterAll(async () => {
      await settled()
      await liveOf(app)?.stop()
      await t?.close()
    })

    it('publishes a post in at most three statements, everything after the answer included', async () => {
      // The first post of a process loads the settings; they stay until a change is heard.
      expect((await post('counted', aComment({ body: CLEAN[0] }))).status).toBe(201)
      await settled()
      log.reset()
      const response = await post('counted', aComment({ body: CLEAN[1], idempotencyKey: 'counted-post-0001' }))
      await settled()
      expect(response.status).toBe(201)
      expect(log.statements.length, log.statements.join('\n---\n')).toBeLessThanOrEqual(3)
      const stored = await t.db
        .selectFrom('comments')
        .select(['status', 'body'])
        .where('idempotency_key', '=', 'counted-post-0001')
        .execute()
      expect(stored).toEqual([{ status: 'approved', body: CLEAN[1] }])
    })

    it('stores posts arriving together in one statement, each once, answered once and screened on its own', async () => {
      const n = 12
      const bodies = Array.from({ length: n }, (_, i) => (i % 3 === 2 ? ABUSIVE[i % 2]! : `${CLEAN[i % 3]!} (${i})`))
      const isStore = (text: string) => text.includes('jsonb_to_recordset')
      // Every post waits in screening until all have reached it, then all go on at once: the first stores
      // leave while the others line up behind them, as posts arriving within the same milliseconds do.
      barrier = n
      log.reset()
      const responses = await Promise.all(
        bodies.map((body, i) => post('together', aComment({ body, idempotencyKey: `together-${i}-key` }))),
      )
      await settled()
      const answers = await Promise.all(responses.map(async (r) => ({ status: r.status, body: await r.json() })))
      // Answered once each, with its own comment: clean ones published, abusive ones held for a moderator.
      expect(answers.map((a) => a.status)).toEqual(bodies.map((b) => (ABUSIVE.includes(b) ? 202 : 201)))
      expect(answers.map((a) => a.body.comment.body)).toEqual(bodies)
      expect(new Set(answers.map((a) => a.body.comment.id)).size).toBe(n)
      // Stored once each, with its own screening.
      const rows = await t.db.selectFrom('comments').select(['id', 'body', 'status', 'risk']).where('article_id', '=', 'together').execute()
      expect(rows).toHaveLength(n)
      for (const row of rows) {
        const abusive = ABUSIVE.includes(row.body)
        expect(row.status).toBe(abusive ? 'pending' : 'approved')
        expect(row.risk >= 0.5).toBe(abusive)
      }
      // Two stores went alone (held), the other ten together.
      expect(log.statements.filter(isStore)).toHaveLength(STORE_IN_FLIGHT + 1)
      // Counters moved once per comment, audit rows written once each.
      const article = await t.db.selectFrom('articles').select('approved_count').where('id', '=', 'together').executeTakeFirstOrThrow()
      expect(article.approved_count).toBe(bodies.filter((b) => !ABUSIVE.includes(b)).length)
      const audits = await t.db
        .selectFrom('moderation_actions')
        .select('comment_id')
        .where(
          'comment_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute()
      expect(audits).toHaveLength(n)
    })
  })
}
