import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createModerator } from '../src/auth/auth.users.js'
import { artifactPath, type launchBrowser, type listen, signInOnPage, signedInDesk } from './helpers/browser.js'
import { type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** Keeps the EventSources a page opens where the test can ask whether they are open. */
const TRACK_STREAMS = `(() => {
  const Original = window.EventSource
  if (!Original) return
  const opened = (window.__testStreams = [])
  window.EventSource = class extends Original {
    constructor(...args) {
      super(...args)
      opened.push(this)
    }
  }
})()`
/** Waits until the page's live streams are open (the server has them: what happens now, they hear). */
const streamsOpen = (p: Page) =>
  p.waitForFunction(() => {
    const opened = (window as unknown as { __testStreams?: EventSource[] }).__testStreams ?? []
    return opened.length > 0 && opened.every((stream) => stream.readyState === EventSource.OPEN)
  })

// Each test posts its own comments on its own article and opens its own page: none depends on what
// an earlier one left on screen. Screenshots land in test-artifacts/ for people to look at.
describe('the moderation workspace in Chromium', () => {
  let t: TestApp
  let server: Awaited<ReturnType<typeof listen>>
  let browser: Awaited<ReturnType<typeof launchBrowser>>
  let page: Page
  const dialogs: string[] = []

  const post = async (articleId: string, bodies: string[]) => {
    const ids: string[] = []
    for (const body of bodies) {
      const res = await t.postComment(
        articleId,
        aComment({ body, articleTitle: 'Convoy reaches the north', articleUrl: 'https://news.example/convoy' }),
      )
      ids.push((await res.json()).comment.id)
    }
    return ids
  }
  const openQueue = async (articleId: string, extra = '') => {
    await page.goto(`${server.origin}/moderate?queue=pending&articleId=${articleId}${extra}`)
    await page.locator('.item').first().waitFor()
  }
  const statusOf = async (id: string) =>
    (await t.db.selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status
  const shown = () =>
    page.locator('.item').evaluateAll((items) =>
      items.map((el) => ({
        id: (el as HTMLElement).dataset.id!,
        risk: Number((el as HTMLElement).dataset.risk),
        bulk: (el as HTMLElement).dataset.bulk === 'true',
      })),
    )

  beforeAll(async () => {
    t = await createTestApp(dbKinds().at(-1)!)
    // Pre-moderated, so clean and abusive comments both wait and the queue has something to order.
    await t.settings({ rateLimitPerMinute: 0, moderationMode: 'pre' })
    ;({ server, browser, page } = await signedInDesk(t, { role: 'moderator', dialogs, initScript: TRACK_STREAMS }))
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await t?.close()
  })

  it('shows the queue riskiest first, each with its score, reasons and the words that pushed it up', async () => {
    const [idiot, link, calm, clown, thanks, scum] = await post('ordered', [
      'Only an idiot trusts the ministry figures',
      'Buy cheap flights at cheap-fly.ru',
      'A third comment waiting',
      'You pathetic clown, nobody wants your lies here',
      'Thank you for covering the convoy.',
      'Worthless scum, shut up and go away',
    ])
    await openQueue('ordered')
    expect(await page.locator('nav.tabs a[aria-current=page] .count').textContent()).toBe('6')
    const order = await shown()
    expect(order.map((i) => i.risk)).toEqual([...order.map((i) => i.risk)].sort((a, b) => b - a))
    expect(
      order
        .slice(0, 3)
        .map((i) => i.id)
        .sort(),
    ).toEqual([idiot, clown, scum].sort())
    expect(
      order
        .slice(3)
        .map((i) => i.id)
        .sort(),
    ).toEqual([link, calm, thanks].sort())

    const top = page.locator(`#c-${order[0]!.id}`)
    expect(await top.locator('.risk').textContent()).toBe(`risk ${order[0]!.risk.toFixed(2)}`)
    expect(await top.locator('.reasons').first().textContent()).toMatch(/Likely abusive \(\d\.\d\d\) — pushed up by “/)
    expect(await top.locator('mark.model').count()).toBeGreaterThan(0)
    expect(await page.locator(`#c-${idiot} mark:not(.model)`).allTextContents()).toEqual(['idiot'])
    expect(await page.locator(`#c-${idiot} .reasons`).first().textContent()).toContain('suspect word')
    await page.screenshot({ path: artifactPath('moderation-queue.png'), fullPage: true })
  })

  it('switches to newest first and back', async () => {
    const ids = await post('sorted', ['First of three', 'Second of three', 'You pathetic clown, third of three'])
    await openQueue('sorted')
    await page.getByRole('link', { name: 'Newest first' }).click()
    await page.waitForURL(/sort=newest/)
    expect((await shown()).map((i) => i.id)).toEqual([...ids].reverse())
    await page.getByRole('link', { name: 'Riskiest first' }).click()
    await page.waitForURL(/sort=risk/)
    expect((await shown())[0]!.id).toBe(ids[2])
  })

  it('approves the focused comment with the keyboard, and it appears in the public API', async () => {
    const [first] = await post('approving', ['You pathetic clown, this one is riskiest', 'A calm remark'])
    await openQueue('approving')
    await page.locator(`#c-${first}.current`).waitFor()
    await page.keyboard.press('a')
    await page.locator('#decision-note').getByText('Approved “You pathetic clown').waitFor()
    expect(await page.locator(`#c-${first}`).count()).toBe(0)
    const list = await (await t.json('GET', '/api/v1/articles/approving/comments')).json()
    expect(list.comments.map((c: { id: string }) => c.id)).toEqual([first])
  })

  it('rejects another with a chosen reason, moving there with j and k', async () => {
    const [first, second] = await post('rejecting', ['Worthless scum, shut up', 'A calm remark about the convoy'])
    await openQueue('rejecting')
    await page.locator(`#c-${first}.current`).waitFor()
    await page.keyboard.press('j')
    await page.locator(`#c-${second}.current`).waitFor()
    await page.keyboard.press('k')
    await page.locator(`#c-${first}.current`).waitFor()
    await page.locator(`#c-${first} select[name=reason]`).selectOption('abuse')
    await page.locator(`#c-${first}`).focus()
    await page.keyboard.press('r')
    await page.locator('#decision-note').getByText('Rejected “Worthless scum').waitFor()
    const row = await t.db.selectFrom('comments').select(['status', 'reject_reason']).where('id', '=', first!).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'rejected', reject_reason: 'abuse' })
    const history = await t.db
      .selectFrom('moderation_actions')
      .select(['action', 'actor_name'])
      .where('comment_id', '=', first!)
      .orderBy('id')
      .execute()
    expect(history.at(-1)).toEqual({ action: 'reject', actor_name: 'desk' })
    const example = await t.db
      .selectFrom('screening_examples')
      .select(['decision', 'reason'])
      .where('comment_id', '=', first!)
      .executeTakeFirstOrThrow()
    expect(example).toEqual({ decision: 'rejected', reason: 'abuse' })
  })

  it('approves every comment on the page below the chosen risk with one key, after saying how many', async () => {
    await post('below', [
      'A calm question about the convoy schedule.',
      'Thank you for this report from Idlib.',
      'You pathetic clown, nobody wants your lies',
      'Another calm remark.',
    ])
    await openQueue('below')
    const remaining = await shown()
    await page.locator('select[name=maxRisk]').selectOption('0.5')
    const below = remaining.filter((i) => i.bulk && i.risk < 0.5)
    const above = remaining.filter((i) => !below.includes(i))
    expect(below.length).toBe(3)
    expect(above.length).toBe(1)
    await page.locator('body').click()
    await page.keyboard.press('Shift+A')
    await page.waitForURL(/approved/)
    expect(dialogs.at(-1)).toBe('Approve 3 comments on this page with risk below 0.5 that no rule held?')
    expect(await page.locator('#decision-note').textContent()).toBe('3 comments with risk below 0.5 approved.')
    for (const item of below) expect(await statusOf(item.id)).toBe('approved')
    for (const item of above) expect(await statusOf(item.id)).toBe('pending')
    expect((await shown()).map((i) => i.id)).toEqual(above.map((i) => i.id))
  })

  it('shows the help with ? and works on a phone-sized screen', async () => {
    await post('phone', ['A comment to show on a phone'])
    await openQueue('phone')
    await page.keyboard.press('?')
    expect(await page.locator('#help').isVisible()).toBe(true)
    await page.setViewportSize({ width: 390, height: 800 })
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(390)
    await page.screenshot({ path: artifactPath('moderation-phone.png'), fullPage: true })
    await page.setViewportSize({ width: 1200, height: 900 })
  })

  it('works the queue live with a colleague: new arrivals, who has what open, and a decision made elsewhere', async () => {
    const [first, second] = await post('live-queue', ['First comment for two moderators.', 'Second comment for two moderators.'])
    await openQueue('live-queue')
    // A colleague in another browser profile (own session).
    await createModerator(t.db, 'colleague', 'another long enough password', 'moderator')
    const other = await browser.context.browser()!.newContext()
    const colleague = await (other ?? browser.context).newPage()
    await colleague.addInitScript(TRACK_STREAMS)
    await colleague.goto(`${server.origin}/moderate/login`)
    await signInOnPage(colleague, server.origin, { username: 'colleague', password: 'another long enough password' })
    await colleague.goto(`${server.origin}/moderate?queue=pending&articleId=live-queue`)
    await colleague.locator('.item').first().waitFor()
    await Promise.all([streamsOpen(page), streamsOpen(colleague)])

    // The colleague opens the first comment (j/k focus): this page shows who has it.
    await colleague.locator(`#c-${second}`).focus()
    await colleague.keyboard.press('j')
    await colleague.keyboard.press('k')
    await page.locator(`#c-${first} .viewing`).filter({ hasText: 'open by colleague' }).waitFor()

    // A new comment arrives: announced with the count, not forced into the list.
    await post('live-queue', ['A third comment arriving live.'])
    await page.getByText('1 new comment arrived.').waitFor()
    await page.locator('nav.tabs a[aria-current=page] .count').filter({ hasText: '3' }).waitFor()

    // The colleague rejects the first: it leaves this page with a note naming them.
    await colleague.locator(`#c-${first} select[name=reason]`).selectOption('spam')
    await colleague.locator(`#c-${first}`).getByRole('button', { name: 'Reject' }).click()
    await page.locator(`#c-${first}`).getByText('Already rejected by colleague.').waitFor()
    await page.screenshot({ path: artifactPath('moderator-live.png') })
    // The colleague undoes it (issue 22): this page says it waits again.
    await colleague.locator('#decision-note').getByRole('button', { name: 'Undo' }).click()
    await page.locator(`#c-${first}`).getByText('Back in the queue: the decision was undone.').waitFor()

    await other?.close()
  })

  it('shows no keyboard hints on a phone (issue 14)', async () => {
    await post('phone-keys', ['A comment to look at on a phone.'])
    await page.setViewportSize({ width: 390, height: 800 })
    await openQueue('phone-keys')
    expect(await page.locator('.keys').isVisible()).toBe(false)
    await page.setViewportSize({ width: 1200, height: 900 })
    expect(await page.locator('.keys').isVisible()).toBe(true)
  })

  it('asks for a reason when r is pressed with none chosen, takes it from a digit, and asks before a ban (issue 14)', async () => {
    const [first] = await post('reason-keys', ['A comment to turn down with a digit.'])
    await openQueue('reason-keys')
    await page.locator(`#c-${first}`).focus()
    await page.keyboard.press('r')
    await page.getByText(/Reason\? 1 spam · 2 abuse/).waitFor()
    expect(await statusOf(first!)).toBe('pending') // nothing filed by default
    await page.keyboard.press('3')
    await page.locator('#decision-note').getByText('Rejected “A comment to turn down').waitFor()
    const row = await t.db.selectFrom('comments').select(['status', 'reject_reason']).where('id', '=', first!).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'rejected', reject_reason: 'off_topic' })

    const [second] = await post('reason-keys', ['A comment whose writer will be banned.'])
    await openQueue('reason-keys')
    const item = page.locator(`#c-${second}`)
    // b opens the commenter's menu with the ban's reason to fill in.
    await item.focus()
    await page.keyboard.press('b')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('reason')
    await item.getByLabel('Reason for the ban').fill('Repeated abuse across articles')
    dialogs.length = 0
    await item.getByRole('button', { name: 'Ban commenter' }).click()
    await page.waitForURL(/notice=banned/)
    expect(dialogs).toEqual(['Ban this commenter? Their waiting comments will be rejected.'])
    const audit = await t.db
      .selectFrom('moderation_actions')
      .select(['action', 'reason'])
      .where('action', '=', 'ban')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    expect(audit).toEqual({ action: 'ban', reason: 'Repeated abuse across articles' })
  })

  it('has a queue of editors’ picks (issue 14)', async () => {
    const [picked, other] = await post('picks', ['A comment the editors pick.', 'A comment they do not.'])
    for (const id of [picked!, other!]) await t.db.updateTable('comments').set({ status: 'approved' }).where('id', '=', id).execute()
    await t.db.updateTable('comments').set({ featured: true }).where('id', '=', picked!).execute()
    await page.goto(`${server.origin}/moderate?queue=featured&articleId=picks`)
    await page.locator('nav.tabs a[aria-current=page]').filter({ hasText: 'Editors’ picks' }).waitFor()
    expect((await shown()).map((i) => i.id)).toEqual([picked])
    await page.locator(`#c-${picked}`).getByRole('button', { name: 'Unfeature' }).waitFor()
  })

  /** axe-core as DevTools would run it (the workspace's policy refuses an injected script tag). */
  const seriousViolations = async () => {
    await page.evaluate(axeSource)
    const violations = await page.evaluate(async () => {
      const { axe } = window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } }
      return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact }))
    })
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  }

  it('shows a commenter’s page from the queue: their comments, a note, a suspension, a shadow-ban and lifting them (issue 16)', async () => {
    const [first] = await post('commenter-page', ['The first comment of a regular.'])
    const commenterId = (await t.db.selectFrom('comments').select('commenter_id').where('id', '=', first!).executeTakeFirstOrThrow())
      .commenter_id!
    await openQueue('commenter-page')
    await page.locator(`#c-${first}`).getByRole('link', { name: 'commenter’s page' }).click()
    await page.waitForURL(`${server.origin}/moderate/commenters/${commenterId}`)
    expect(await page.locator('article.item').count()).toBe(1)
    expect(await page.locator('article.item').textContent()).toContain('The first comment of a regular.')

    await page.getByLabel('A note for colleagues').fill('Writes from Atmeh; often first with local news.')
    await page.getByRole('button', { name: 'Add note' }).click()
    await page.getByText('Note added.').waitFor()
    expect(await page.locator('ul.notes').textContent()).toContain('desk,')

    await page.getByText('Suspend…').click()
    await page.getByLabel('Suspend for').selectOption('7')
    await page.getByLabel('Reason for the suspension').fill('Insults after a warning')
    await page.getByRole('button', { name: 'Suspend', exact: true }).click()
    await page.getByText('The commenter is suspended for 7 days.').waitFor()
    expect(await page.locator('.meta').first().textContent()).toMatch(/suspended until \d{4}-\d\d-\d\d \d\d:\d\d UTC/)
    await page.getByText('Shadow-ban…').click()
    await page.getByLabel('Reason for the shadow-ban').fill('Same bait on every article')
    await page.getByRole('button', { name: 'Shadow-ban', exact: true }).click()
    await page.getByText('The commenter is now shadow-banned').waitFor()
    expect(await seriousViolations()).toEqual([])
    await page.screenshot({ path: artifactPath('moderator-commenter.png'), fullPage: true })

    await page.getByText('Lift restrictions…').click()
    await page.getByLabel('Reason for lifting it').fill('Apologised to the desk')
    await page.getByRole('button', { name: 'Lift restrictions', exact: true }).click()
    await page.getByText('The commenter is now back to normal.').waitFor()
    const row = await t.db
      .selectFrom('commenters')
      .select(['suspended_until', 'shadow_banned', 'status'])
      .where('id', '=', commenterId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ suspended_until: null, shadow_banned: false, status: 'normal' })
    const audit = await t.db
      .selectFrom('moderation_actions')
      .select(['action', 'actor_name'])
      .where('commenter_id', '=', commenterId)
      .where('comment_id', 'is', null)
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['suspend', 'shadow_ban', 'reset'])
    expect(audit.every((a) => a.actor_name === 'desk')).toBe(true)
  })

  it('lists articles with their counts, finds one, and closes it and sets its mode in one click each (issue 16)', async () => {
    await post('articles-page-a', ['Waiting on the convoy article.'])
    await page.goto(`${server.origin}/moderate`)
    await page.getByRole('link', { name: 'Articles', exact: true }).click()
    await page.getByLabel('Find an article by id, title or address').fill('articles-page-a')
    await page.getByRole('button', { name: 'Find' }).click()
    const row = page.locator('tbody tr')
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.locator('td').nth(2).textContent()).toBe('1') // waiting
    await row.getByRole('button', { name: 'Close' }).click()
    await page.getByText('Article saved.').waitFor()
    expect(await page.locator('tbody tr td').nth(3).textContent()).toContain('closed')
    expect(page.url()).toContain('q=articles-page-a') // back where the moderator was
    await page
      .locator('tbody tr')
      .getByLabel(/^Moderation for/)
      .selectOption('post')
    await page.locator('tbody tr').getByRole('button', { name: 'Set' }).click()
    await page.getByText('Article saved.').waitFor()
    const article = await t.db
      .selectFrom('articles')
      .select(['comments_open', 'moderation_mode'])
      .where('id', '=', 'articles-page-a')
      .executeTakeFirstOrThrow()
    expect(article).toEqual({ comments_open: false, moderation_mode: 'post' })
    await page.locator('tbody tr').getByRole('button', { name: 'Reopen' }).click()
    await page.getByText('Article saved.').waitFor()
    expect(
      (await t.db.selectFrom('articles').select('comments_open').where('id', '=', 'articles-page-a').executeTakeFirstOrThrow())
        .comments_open,
    ).toBe(true)
    expect(await seriousViolations()).toEqual([])
    await page.screenshot({ path: artifactPath('moderator-articles.png'), fullPage: true })
  })
})
