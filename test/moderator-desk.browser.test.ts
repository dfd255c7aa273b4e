// The moderator's day in Chromium (issue 22): the place kept after a decision, Undo, the queue's small
// gaps, titles, Arabic, phones, and what axe-core says. Each test opens its own article's queue.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createModerator } from '../src/auth/auth.users.js'
import { artifactPath, launchBrowser, listen, signInOnPage } from './helpers/browser.js'
import { type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1200, height: 900 }

describe('the moderator’s place, Undo and the queue on desktop and phone (issue 22)', () => {
  let t: TestApp
  let server: Awaited<ReturnType<typeof listen>>
  let browser: Awaited<ReturnType<typeof launchBrowser>>
  let page: Page
  const dialogs: string[] = []

  const post = async (articleId: string, bodies: string[], extra: Record<string, unknown> = {}) => {
    const ids: string[] = []
    for (const body of bodies) {
      const res = await t.postComment(articleId, aComment({ body, ...extra }))
      ids.push((await res.json()).comment.id)
    }
    return ids
  }
  const openQueue = async (articleId: string) => {
    await page.goto(`${server.origin}/moderate?queue=pending&articleId=${articleId}`)
    await page.locator('.item.current').waitFor()
  }
  const statusOf = async (id: string) =>
    (await t.db.selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status
  const order = () => page.locator('.item').evaluateAll((items) => items.map((el) => (el as HTMLElement).dataset.id!))
  const current = () => page.locator('.item.current').getAttribute('data-id')
  /** axe-core as DevTools would run it (the workspace's policy refuses an injected script tag). */
  const seriousViolations = async () => {
    await page.evaluate(axeSource)
    const violations = await page.evaluate(async () => {
      const { axe } = window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } }
      return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact }))
    })
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  }

  beforeAll(async () => {
    t = await createTestApp(dbKinds().at(-1)!)
    await t.settings({ rateLimitPerMinute: 0, moderationMode: 'pre' })
    await createModerator(t.db, 'desk', 'a long enough password', 'moderator')
    server = await listen(t.app.fetch)
    browser = await launchBrowser()
    page = await browser.context.newPage()
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.accept()
    })
    await page.goto(`${server.origin}/moderate`)
    await page.waitForURL(/\/moderate\/login/)
    await signInOnPage(page, server.origin, { username: 'desk', password: 'a long enough password' })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await t?.close()
  })

  it('keeps the moderator on the comment that followed a keyboard decision, in place, names it, and undoes it (bug 3)', async () => {
    const bodies = [
      'You are a pig and a traitor, idiot, nobody wants you here',
      'Worthless scum, shut up and go away',
      'A calm question about the convoy schedule.',
      'Thank you for this report from Idlib.',
    ]
    const ids = await post('place', bodies)
    const bodyOf = (id: string) => bodies[ids.indexOf(id)]!
    await openQueue('place')
    const [top, second, third] = await order()
    expect(await current()).toBe(top)
    await page.evaluate(() => {
      ;(window as unknown as { stayed: boolean }).stayed = true
    })
    // j j k, then r 2: the second comment is rejected as abuse.
    await page.keyboard.press('j')
    await page.keyboard.press('j')
    await page.keyboard.press('k')
    expect(await current()).toBe(second)
    await page.keyboard.press('r')
    await page.keyboard.press('2')
    await page.locator('#decision-note').getByText('Rejected “').waitFor()
    expect(await statusOf(second!)).toBe('rejected')
    // Still the same page (no reload), and the moderator is on the comment that followed.
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true)
    expect(await current()).toBe(third)
    expect(await page.locator(`#c-${second}`).count()).toBe(0)
    expect(await page.locator('#decision-note').textContent()).toContain(`Rejected “${bodyOf(second!)}” by`)

    // The next a approves the comment the moderator is on, never the insult at the top.
    await page.keyboard.press('a')
    await page
      .locator('#decision-note')
      .getByText(`Approved “${bodyOf(third!)}”`)
      .waitFor()
    expect(await statusOf(third!)).toBe('approved')
    expect(await statusOf(top!)).toBe('pending')

    // Undo is a real action: the comment waits again, the page puts it back, the history says so.
    await page.locator('#decision-note').getByRole('button', { name: 'Undo' }).click()
    await page
      .locator('#decision-note')
      .getByText(`Undone: “${bodyOf(third!)}”`)
      .waitFor()
    expect(await statusOf(third!)).toBe('pending')
    expect(await current()).toBe(third)
    const history = await t.db
      .selectFrom('moderation_actions')
      .select(['action', 'actor_name', 'from_status', 'to_status'])
      .where('comment_id', '=', third!)
      .orderBy('id')
      .execute()
    expect(history.slice(-2)).toEqual([
      { action: 'approve', actor_name: 'desk', from_status: 'pending', to_status: 'approved' },
      { action: 'undo', actor_name: 'desk', from_status: 'approved', to_status: 'pending' },
    ])
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true)
    await page.screenshot({ path: artifactPath('moderator-undo.png') })
  })
})
