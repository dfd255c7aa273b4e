import { existsSync, statSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createModerator } from '../src/auth/auth.users.js'
import { artifactPath, launchBrowser, listen } from './helpers/browser.js'
import { type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

describe('the moderation workspace in Chromium', () => {
  let t: TestApp
  let server: Awaited<ReturnType<typeof listen>>
  let browser: Awaited<ReturnType<typeof launchBrowser>>
  let page: Page
  const comments: { id: string; body: string }[] = []

  beforeAll(async () => {
    t = await createTestApp(dbKinds().at(-1)!)
    await t.settings({ rateLimitPerMinute: 0 })
    await createModerator(t.db, 'desk', 'a long enough password', 'moderator')
    for (const body of ['Only an idiot trusts the ministry figures', 'Buy cheap flights at cheap-fly.ru', 'A third comment waiting']) {
      const res = await t.postComment('browser-article', aComment({ body, articleTitle: 'Convoy reaches the north', articleUrl: 'https://news.example/convoy' }))
      comments.push((await res.json()).comment)
    }
    server = await listen(t.app.fetch)
    browser = await launchBrowser()
    page = await browser.context.newPage()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await t?.close()
  })

  it('signs in and shows the held comments with their reasons and highlighted words', async () => {
    await page.goto(`${server.origin}/moderate`)
    await expect.poll(() => page.url()).toContain('/moderate/login')
    await page.getByLabel('Username').fill('desk')
    await page.getByLabel('Password').fill('a long enough password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${server.origin}/moderate`)
    const first = page.locator(`#c-${comments[0]!.id}`)
    await first.waitFor()
    expect(await first.locator('mark').allTextContents()).toEqual(['idiot'])
    expect(await first.locator('.reasons').first().textContent()).toContain('suspect word')
    expect(await page.locator('nav.tabs a[aria-current=page] .count').textContent()).toBe('3')
    await page.screenshot({ path: artifactPath('moderation-queue.png'), fullPage: true })
    expect(statSync(artifactPath('moderation-queue.png')).size).toBeGreaterThan(10_000)
  })

  it('approves the focused comment with the keyboard, and it appears in the public API', async () => {
    await page.locator(`#c-${comments[0]!.id}.current`).waitFor()
    await page.keyboard.press('a')
    await page.waitForURL(/notice=Approved/)
    expect(await page.locator(`#c-${comments[0]!.id}`).count()).toBe(0)
    const list = await (await t.json('GET', '/api/v1/articles/browser-article/comments')).json()
    expect(list.comments.map((c: { id: string }) => c.id)).toEqual([comments[0]!.id])
  })

  it('rejects another with a chosen reason, moving there with j', async () => {
    await page.locator(`#c-${comments[1]!.id}.current`).waitFor()
    await page.keyboard.press('j')
    await page.locator(`#c-${comments[2]!.id}.current`).waitFor()
    await page.keyboard.press('k')
    await page.locator(`#c-${comments[1]!.id}.current`).waitFor()
    await page.locator(`#c-${comments[1]!.id} select[name=reason]`).selectOption('spam')
    await page.locator(`#c-${comments[1]!.id}`).focus()
    await page.keyboard.press('r')
    await page.waitForURL(/notice=Rejected/)
    const row = await t.db.selectFrom('comments').select(['status', 'reject_reason']).where('id', '=', comments[1]!.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'rejected', reject_reason: 'spam' })
    const history = await t.db.selectFrom('moderation_actions').select(['action', 'actor_name']).where('comment_id', '=', comments[1]!.id).orderBy('id').execute()
    expect(history.at(-1)).toEqual({ action: 'reject', actor_name: 'desk' })
    expect(existsSync(artifactPath('moderation-queue.png'))).toBe(true)
  })

  it('shows the help with ? and works on a phone-sized screen', async () => {
    await page.keyboard.press('?')
    expect(await page.locator('#help').isVisible()).toBe(true)
    await page.setViewportSize({ width: 390, height: 800 })
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(390)
    await page.screenshot({ path: artifactPath('moderation-phone.png'), fullPage: true })
  })
})
