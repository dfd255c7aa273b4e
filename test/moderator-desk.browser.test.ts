// The moderator's day in Chromium (issue 22): the place kept after a decision, Undo, the queue's small
// gaps, titles, Arabic, phones, and what axe-core says. Each test opens its own article's queue.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { artifactPath, type launchBrowser, type listen, signedInDesk } from './helpers/browser.js'
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
    // An administrator: the commenter page then shows everything, the erasure's form too.
    ;({ server, browser, page } = await signedInDesk(t, { role: 'admin', dialogs }))
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
    expect(await seriousViolations()).toEqual([])
    await page.screenshot({ path: artifactPath('moderator-undo.png') })
  })

  it('works a queue of Arabic comments on a 390 px phone: compact items, one commenter menu, isolated chips, clear answers to A and f (bugs 13, 10, 16, 20c)', async () => {
    await t.settings({ suspectWords: ['كلب'] })
    try {
      const ids = await post(
        'phone-ar',
        ['أنت كلب ولا تفهم شيئا عن القافلة، اذهب بعيدا', 'يا كلب، كل ما تكتبه كذب', 'You pathetic clown, nobody wants your lies here'],
        { name: 'سامر', articleTitle: 'ممر المساعدات يفتح في الشمال', articleUrl: 'https://news.example/ar/aid' },
      )
      await page.setViewportSize(PHONE)
      await openQueue('phone-ar')
      expect(await page.locator('h1').textContent()).toBe('Pending · ممر المساعدات يفتح في الشمال')
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
      const heights = await page.locator('.item').evaluateAll((items) => items.map((el) => el.getBoundingClientRect().height))
      for (const height of heights) expect(height).toBeLessThan(540)
      // Ban, suspend and trust wait behind one small menu.
      const first = page.locator(`#c-${ids[0]}`)
      expect(await first.getByRole('button', { name: 'Ban commenter' }).isVisible()).toBe(false)
      await first.locator('summary').filter({ hasText: 'Commenter…' }).click()
      expect(await first.getByRole('button', { name: 'Ban commenter' }).isVisible()).toBe(true)
      expect(await first.getByLabel('Reason for the ban').isVisible()).toBe(true)
      await first.locator('summary').filter({ hasText: 'Commenter…' }).click()
      // Each Arabic word of a chip is isolated.
      const isolated = await first
        .locator('.reasons bdi')
        .evaluateAll((els) => els.map((el) => ({ text: el.textContent, bidi: getComputedStyle(el).unicodeBidi })))
      expect(isolated).toContainEqual({ text: 'كلب', bidi: 'isolate' })
      expect(await page.getByText('Flagged: the waiting ones a screening rule').isVisible()).toBe(true)

      // f on a waiting comment says why nothing happened; A with nothing eligible says so, without asking.
      await first.focus()
      await page.keyboard.press('f')
      await page.locator('#decision-note').getByText('Only a published comment can be featured').waitFor()
      dialogs.length = 0
      await page.locator('select[name=maxRisk]').selectOption('0.1')
      await page.locator('h1').click()
      await page.keyboard.press('Shift+A')
      await page.locator('#decision-note').getByText('Nothing to approve: no comment on this page has a risk below 0.1').waitFor()
      expect(dialogs).toEqual([])
      expect(await seriousViolations()).toEqual([])

      // A decision on a phone: the note and its Undo are on screen.
      await first.focus()
      await page.keyboard.press('a')
      const undo = page.locator('#decision-note').getByRole('button', { name: 'Undo' })
      await undo.waitFor()
      const box = (await undo.boundingBox())!
      expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height)
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width)
      expect(await page.locator('#decision-note').textContent()).toContain('by سامر.')
      await page.screenshot({ path: artifactPath('moderator-phone-ar.png'), fullPage: true })
      await page.keyboard.press('u')
      await page.locator('#decision-note').getByText('Undone:').waitFor()
      expect(await statusOf(ids[0]!)).toBe('pending')
    } finally {
      await page.setViewportSize(DESKTOP)
      await t.settings({ suspectWords: [] })
    }
  })

  it('keeps the commenter page, the articles table and the overview usable at 390 px, and axe-clean (bugs 13, 14)', async () => {
    const [id] = await post('phone-pages', ['A regular’s remark about the convoy.'], {
      name: 'Abdulrahman Al-Muhajir from the northern countryside',
      email: 'abdulrahman.almuhajir.northern.countryside.reader@newsroom-partner-mail.example.org',
      articleTitle: 'Convoy reaches the north, with a title long enough to need room',
      articleUrl: 'https://news.example/convoy-long',
    })
    const commenterId = (await t.db.selectFrom('comments').select('commenter_id').where('id', '=', id!).executeTakeFirstOrThrow())
      .commenter_id!
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport)
      await page.goto(`${server.origin}/moderate/commenters/${commenterId}`)
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `commenter page at ${viewport.width}`).toBeLessThanOrEqual(
        viewport.width,
      )
      // One labelled reason per decision, behind the decision's name; no placeholder stands for a label.
      expect(await page.locator('input[placeholder*="why"]').count()).toBe(0)
      await page.getByText('Suspend…').click()
      expect(await page.getByLabel('Reason for the suspension').isVisible()).toBe(true)
      expect(await page.getByLabel('Reason for the ban').isVisible()).toBe(false)
      expect(await seriousViolations()).toEqual([])
      await page.screenshot({ path: artifactPath(`moderator-commenter-${viewport.width}.png`), fullPage: true })

      await page.goto(`${server.origin}/moderate/articles`)
      const frame = page.locator('.table-wrap')
      const scrolls = await frame.evaluate((el) => el.scrollWidth > el.clientWidth)
      expect(await page.locator('.scroll-hint').isVisible()).toBe(scrolls)
      if (viewport === PHONE) expect(scrolls).toBe(true)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width)
      expect(await seriousViolations()).toEqual([])

      await page.goto(`${server.origin}/moderate/overview`)
      expect(await seriousViolations()).toEqual([])

      // Search results and the history page carry the decisions and the commenter's page (bug 15).
      for (const path of ['/moderate/search?q=regular', `/moderate/comments/${id}`]) {
        await page.goto(`${server.origin}${path}`)
        expect(await page.getByRole('button', { name: 'Approve' }).isVisible(), path).toBe(true)
        expect(await page.getByRole('link', { name: 'commenter’s page' }).getAttribute('href')).toBe(`/moderate/commenters/${commenterId}`)
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(viewport.width)
        expect(await seriousViolations()).toEqual([])
      }
    }
  })
})
