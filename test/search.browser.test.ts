import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createModerator } from '../src/auth/auth.users.js'
import { artifactPath, launchBrowser, listen, signInOnPage } from './helpers/browser.js'
import { type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

describe('moderator search in Chromium', () => {
  let t: TestApp
  let server: Awaited<ReturnType<typeof listen>>
  let browser: Awaited<ReturnType<typeof launchBrowser>>
  let page: Page

  beforeAll(async () => {
    t = await createTestApp(dbKinds().at(-1)!)
    await t.settings({ rateLimitPerMinute: 0, moderationMode: 'pre' })
    await createModerator(t.db, 'desk', 'a long enough password', 'moderator')
    server = await listen(t.app.fetch)
    browser = await launchBrowser()
    page = await browser.context.newPage()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await t?.close()
  })

  it('a moderator signs in, searches from the nav, sees the matches with their emails, and opens one', async () => {
    const ids: string[] = []
    for (const [name, email, body] of [
      ['Margaret Thornbury', 'margaret@newsdesk.example', 'The convoy reached the northern villages at dawn.'],
      ['سلمى', 'salma@example.net', 'وصلت القافلة إلى حلب'],
      ['Priya Raman', 'priya@example.org', 'Nothing about that here.'],
    ]) {
      const res = await t.postComment('browser-search', aComment({ name, email, body }))
      ids.push((await res.json()).comment.id)
    }
    await page.goto(`${server.origin}/moderate`)
    await page.waitForURL(/\/moderate\/login/)
    await signInOnPage(page, server.origin, { username: 'desk', password: 'a long enough password' })

    await page.getByRole('link', { name: 'Search' }).click()
    await page.waitForURL(`${server.origin}/moderate/search`)
    await page.getByRole('searchbox', { name: 'Search' }).fill('convoy')
    await page.getByRole('searchbox', { name: 'Search' }).press('Enter')
    await page.waitForURL(/\/moderate\/search\?q=convoy/)
    const results = page.locator('.result')
    expect(await results.count()).toBe(1)
    expect(await results.first().getAttribute('data-id')).toBe(ids[0])
    expect(await results.first().textContent()).toContain('margaret@newsdesk.example')
    expect(await results.first().textContent()).toContain('pending')

    // Arabic, typed with a taa marbuta folded the other way, and a fragment of an email.
    await page.getByRole('searchbox', { name: 'Search' }).fill('القافله')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL(/q=/)
    expect(await page.locator('.result').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.id))).toEqual([ids[1]])
    await page.getByRole('searchbox', { name: 'Search' }).fill('newsdesk')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL(/q=newsdesk/)
    expect(await page.locator('.result').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.id))).toEqual([ids[0]])
    await page.screenshot({ path: artifactPath('search.png'), fullPage: true })

    await page.locator('.result').first().getByRole('link', { name: 'History' }).click()
    await page.waitForURL(`${server.origin}/moderate/comments/${ids[0]}`)
    expect(await page.locator('h1').textContent()).toBe('History')
    expect(await page.locator('.item .body').textContent()).toContain('The convoy reached')

    await page.goBack()
    await page
      .locator('.result')
      .first()
      .getByRole('link', { name: /In the Pending queue/ })
      .click()
    await page.waitForURL(/\/moderate\?queue=pending&articleId=browser-search#c-/)
    expect(await page.locator(`#c-${ids[0]}`).count()).toBe(1)
  })

  it('says what is wrong with a query it cannot run', async () => {
    await page.goto(`${server.origin}/moderate/search?q=a`)
    expect(await page.locator('.notice.error').textContent()).toContain('at least 2 characters')
  })
})
