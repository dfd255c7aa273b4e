import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { type Browser, type Page, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createModerator } from '../src/auth/auth.users.js'
import type { CommentStatus } from '../src/platform/db/database.js'
import { newId } from '../src/platform/lib/ids.js'
import { CHROMIUM, CHROMIUM_FLAGS, artifactPath, listen, signInOnPage } from './helpers/browser.js'
import { type TestApp, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

interface AxeResult {
  passes: { id: string }[]
  violations: { id: string; impact: string | null; nodes: unknown[] }[]
}

const DAY = 86_400_000
const startOfUtcDay = (ms: number) => ms - (ms % DAY)
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

// Two browser contexts on one Chromium: one as moderators usually have it, one with JavaScript off on
// a phone-sized screen. Known comments on yesterday and today give known bars.
describe('the moderation overview in Chromium', () => {
  let t: TestApp
  let server: Awaited<ReturnType<typeof listen>>
  let browser: Browser
  const today = startOfUtcDay(Date.now())
  const yesterday = today - DAY
  const pageErrors: string[] = []

  const seedComment = async (
    status: CommentStatus,
    created: number,
    screened: CommentStatus,
    decision?: { action: 'approve' | 'reject'; after: number; reason?: string; actor: string },
  ) => {
    const id = newId(created)
    await t.db
      .insertInto('comments')
      .values({
        id,
        article_id: 'convoy',
        author_name: 'Reader',
        body: 'A comment',
        status,
        screening: '{"verdict":"hold","reasons":[]}',
        created_at: new Date(created),
        updated_at: new Date(created),
      })
      .execute()
    const audit = { comment_id: id, article_id: 'convoy', created_at: new Date(created) }
    await t.db
      .insertInto('moderation_actions')
      .values({
        ...audit,
        id: newId(created),
        actor_id: null,
        actor_name: 'system',
        action: 'screened',
        from_status: null,
        to_status: screened,
      })
      .execute()
    if (decision) {
      const at = created + decision.after
      await t.db
        .insertInto('moderation_actions')
        .values({
          ...audit,
          id: newId(at),
          actor_id: decision.actor,
          actor_name: 'desk',
          action: decision.action,
          from_status: 'pending',
          to_status: decision.action === 'approve' ? 'approved' : 'rejected',
          reason: decision.reason ?? null,
          created_at: new Date(at),
        })
        .execute()
      // As changeStatus keeps it with the decision: the first moderator decision on a waiting comment.
      await t.db
        .updateTable('comments')
        .set({ first_decided_at: new Date(at) })
        .where('id', '=', id)
        .execute()
    }
  }

  const signedInPage = async (options: { javaScriptEnabled: boolean; viewport: { width: number; height: number } }): Promise<Page> => {
    const context = await browser.newContext(options)
    const page = await context.newPage()
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.goto(`${server.origin}/moderate/login`)
    await signInOnPage(page, server.origin, { username: 'desk', password: 'a long enough password' })
    return page
  }

  const bars = (page: Page, chart: string) =>
    page
      .locator(`#${chart} rect[data-series]`)
      .evaluateAll((rects) =>
        rects.map(
          (r) =>
            `${(r.parentElement as Element).getAttribute('data-label')} ${r.getAttribute('data-series')}=${r.getAttribute('data-value')}`,
        ),
      )

  beforeAll(async () => {
    t = await createTestApp(dbKinds().at(-1)!)
    const desk = await createModerator(t.db, 'desk', 'a long enough password', 'moderator')
    await t.db
      .insertInto('articles')
      .values({ id: 'convoy', title: 'Convoy reaches the north', url: 'https://news.example/convoy' })
      .execute()
    const actor =
      (desk as { id?: string }).id ??
      (await t.db.selectFrom('moderators').select('id').where('username', '=', 'desk').executeTakeFirstOrThrow()).id
    for (const hour of [8, 9, 10])
      await seedComment('approved', yesterday + hour * 3_600_000, 'pending', { action: 'approve', after: 30 * 60_000, actor })
    await seedComment('rejected', yesterday + 11 * 3_600_000, 'pending', { action: 'reject', after: 90 * 60_000, reason: 'spam', actor })
    await seedComment('pending', today + 60_000, 'pending')
    await seedComment('pending', today + 120_000, 'pending')
    server = await listen(t.app.fetch)
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await t?.close()
  })

  it('draws the charts with the expected bars and labels, changes the period, and passes axe-core', async () => {
    const page = await signedInPage({ javaScriptEnabled: true, viewport: { width: 1200, height: 900 } })
    await page.getByRole('link', { name: 'Overview' }).click()
    await page.waitForURL(`${server.origin}/moderate/overview`)
    expect(await page.locator('svg.chart').count()).toBe(5)
    expect(await page.locator('#chart-per-day g.day').count()).toBe(30)
    await page.getByLabel('Period', { exact: true }).selectOption('7')
    await page.getByRole('button', { name: 'Show' }).click()
    await page.waitForURL(/days=7/)

    expect(await bars(page, 'chart-per-day')).toEqual([
      `${isoDay(yesterday)} approved=3`,
      `${isoDay(yesterday)} rejected=1`,
      `${isoDay(today)} pending=2`,
    ])
    expect(await page.getByRole('img', { name: /^Comments per day by status/ }).count()).toBe(1)
    expect(
      await page.locator('#chart-waiting circle[data-series=median]').evaluateAll((dots) => dots.map((d) => d.getAttribute('data-value'))),
    ).toEqual(['1800'])
    expect(
      await page.locator('#chart-waiting circle[data-series=p90]').evaluateAll((dots) => dots.map((d) => d.getAttribute('data-value'))),
    ).toEqual(['4320'])
    expect(await page.locator('#chart-reasons text.label').allTextContents()).toEqual(['Spam'])
    // Long titles are cut short in the chart; the row keeps the whole one, and so does the table below.
    expect(
      await page
        .locator('#chart-articles g.row')
        .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-label')}: ${r.getAttribute('data-value')}`)),
    ).toEqual(['Convoy reaches the north: 6'])
    // Labels keep 28 characters (issue 22): this title is whole.
    expect(await page.locator('#chart-articles text.label').allTextContents()).toEqual(['Convoy reaches the north'])
    expect(
      await page.locator('#chart-screening rect[data-series=held]').evaluateAll((r) => r.map((x) => x.getAttribute('data-value'))),
    ).toEqual(['4', '2'])
    expect(await page.getByText('Of 6 new comments, screening held 6 (100%)').count()).toBe(1)
    // The figures as a table, opened without any script.
    await page.getByText('Comments per day as a table').click()
    expect(await page.getByRole('row', { name: new RegExp(`^${isoDay(yesterday)} 3 0 1$`) }).count()).toBe(1)
    await page.getByRole('link', { name: 'Queue for Convoy reaches the north' }).waitFor()

    // axe-core runs as DevTools would: the workspace's policy allows no injected script tag.
    await page.evaluate(axeSource)
    const report = await page.evaluate(async () => {
      const { axe } = window as unknown as { axe: { run(): Promise<AxeResult> } }
      const result = await axe.run()
      return {
        passes: result.passes.map((p) => p.id),
        violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })),
      }
    })
    expect(report.passes).toEqual(expect.arrayContaining(['color-contrast', 'svg-img-alt', 'select-name', 'th-has-data-cells']))
    expect(report.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([])
    await page.screenshot({ path: artifactPath('moderator-overview.png'), fullPage: true })
    expect(pageErrors).toEqual([])
  })

  it('works with JavaScript off on a phone: the charts are there, the period form submits, nothing overflows', async () => {
    const page = await signedInPage({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } })
    await page.goto(`${server.origin}/moderate/overview?days=7`)
    expect(await bars(page, 'chart-per-day')).toEqual([
      `${isoDay(yesterday)} approved=3`,
      `${isoDay(yesterday)} rejected=1`,
      `${isoDay(today)} pending=2`,
    ])
    await page.getByLabel('Period', { exact: true }).selectOption('90')
    await page.getByRole('button', { name: 'Show' }).click()
    await page.waitForURL(/days=90/)
    expect(await page.locator('#chart-per-day g.day').count()).toBe(90)
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      screen: window.innerWidth,
      chart: document.querySelector('#chart-per-day')!.getBoundingClientRect().width,
    }))
    expect(widths.page).toBeLessThanOrEqual(widths.screen)
    expect(widths.chart).toBeGreaterThan(300)
    await page.screenshot({ path: artifactPath('moderator-overview-phone.png'), fullPage: true })
  })
})
