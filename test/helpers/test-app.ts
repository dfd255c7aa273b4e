import type { ExecutionContext } from 'hono'
import { afterEach, beforeEach } from 'vitest'
import type { Connection } from '../../src/platform/db/connect-node.js'
import { appConfig, buildNodeApp, liveOf, servicesOf } from '../../src/node.setup.js'
import { parseEnv } from '../../src/env.js'
import type { ServiceOptions } from '../../src/services.factory.js'
import type { AppConfig } from '../../src/platform/lib/config.js'
import type { SiteSettings } from '../../src/settings/settings.schema.js'
import { getSiteSettings, saveSiteSettings } from '../../src/settings/settings.repository.js'
import { issueFormToken } from '../../src/screening/screening.form-token.js'
import { type DbKind, openTestDb } from './test-db.js'

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123'
export const PUBLISHER_ORIGIN = 'https://news.example'

export interface TestApp {
  app: ReturnType<typeof buildNodeApp>
  connection: Connection
  db: Connection['db']
  close(): Promise<void>
  settings(patch: Partial<SiteSettings>): Promise<void>
  /** JSON request helper; `ip` sets the (trusted) X-Forwarded-For. */
  json(method: string, path: string, body?: unknown, init?: { ip?: string; headers?: Record<string, string> }): Promise<Response>
  postComment(articleId: string, body: Record<string, unknown>, ip?: string): Promise<Response>
  /** A second app over the same database, as another replica would be (its own caches). */
  replica(): ReturnType<typeof buildNodeApp>
  /**
   * Waits for the work that requests made through `json` (and the helpers on it) left running after their
   * answers: what subscribers do (mails queued, webhooks sent). After it, nothing more is coming.
   */
  settled(): Promise<void>
}

/**
 * An execution context, as on Workers, that keeps the work requests leave running (`waitUntil`), and a way
 * to wait until none is left (work may start more work).
 */
export function trackedExecution(): { executionCtx: ExecutionContext; settled(): Promise<void> } {
  const running = new Set<Promise<unknown>>()
  return {
    executionCtx: {
      waitUntil(work) {
        // The app logs its own failures (services.defer); here only the end matters.
        const tracked = work.catch(() => undefined).finally(() => running.delete(tracked))
        running.add(tracked)
      },
      passThroughOnException() {},
      props: {},
    },
    async settled() {
      while (running.size > 0) await Promise.allSettled([...running])
    },
  }
}

export async function createTestApp(
  kind: DbKind,
  options: ServiceOptions & { metricsToken?: string } = {},
  config: Partial<AppConfig> = {},
): Promise<TestApp> {
  const connection = await openTestDb(kind)
  const env = parseEnv({ NODE_ENV: 'test', PUBLIC_ORIGINS: PUBLISHER_ORIGIN, IP_HASH_SECRET: TEST_SECRET })
  const fullConfig = { ...appConfig(env, TEST_SECRET), ...config }
  const app = buildNodeApp(connection, fullConfig, { trustProxy: true, ...options })
  const { executionCtx, settled } = trackedExecution()
  const json: TestApp['json'] = async (method, path, body, init = {}) =>
    app.request(
      path,
      {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          'x-forwarded-for': init.ip ?? '203.0.113.7',
          ...init.headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      undefined,
      executionCtx,
    )
  return {
    app,
    connection,
    db: connection.db,
    close: async () => {
      // What waits on a timer (a coalesced live notice) goes now, while the database is still open.
      await servicesOf(app).settle()
      await settled()
      await liveOf(app).stop()
      await connection.close()
    },
    async settings(patch) {
      await saveSiteSettings(connection.db, { ...(await getSiteSettings(connection.db)), ...patch })
    },
    json,
    replica: () => buildNodeApp(connection, fullConfig, { trustProxy: true, ...options }),
    settled,
    // As the widget does, every post carries a fresh form token (issued a minute ago, so never "too fast"),
    // unless the test sends its own or explicitly none (formToken: undefined).
    postComment: async (articleId, body, ip) =>
      json(
        'POST',
        `/api/v1/articles/${encodeURIComponent(articleId)}/comments`,
        'formToken' in body ? body : { ...body, formToken: await aFormToken(articleId) },
        { ip },
      ),
  }
}

/**
 * Puts the site settings back after each test of the calling suite, whatever the test changed (through
 * `settings` or the API): each test starts from what the suite set up, not from what an earlier test left.
 */
export function restoreSettingsAfterEach(app: () => TestApp) {
  let saved: SiteSettings | null = null
  beforeEach(async () => {
    saved = await getSiteSettings(app().db)
  })
  afterEach(async () => {
    if (saved) await saveSiteSettings(app().db, saved)
  })
}

/** A form token as the widget would hold it: issued for this article a minute ago. */
export const aFormToken = (articleId: string, issuedAt = new Date(Date.now() - 60_000)) => issueFormToken(TEST_SECRET, articleId, issuedAt)

let sequence = 0
/** A valid comment body with a unique email, so commenters and rate limits do not collide. */
export function aComment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence++
  return {
    name: `Reader ${sequence}`,
    email: `reader${sequence}-${Math.random().toString(36).slice(2, 8)}@example.org`,
    body: `A thoughtful comment number ${sequence} about the reporting from Idlib.`,
    ...overrides,
  }
}

/** A clock tests can move; `reset` brings it back to the real time, so that a move ends with its test. */
export function testClock(start = Date.now()) {
  let now = start
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms
    },
    reset() {
      now = Date.now()
    },
  }
}
