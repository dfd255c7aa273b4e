// Issue 22, the reader's side in Chromium: their own comments appear once and are never news to them, a
// shadow-ban stays invisible to its writer, edits show at once, the phone layout puts the comments first,
// and the small things (wrapping labels, bold typing, a skip link, whose comment a button acts on).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { artifactPath, launchBrowser, listen } from './helpers/browser.js'
import { modRequest, signInBoth } from './helpers/moderators.js'
import { type TestApp, aComment, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

const SSO_SECRET = 'publisher-sso-secret-publisher-sso-secret-0123456789'
const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1200, height: 900 }

/** A publisher's page on another origin: the contract's snippet and nothing else of ours. */
function publisherPage(apiOrigin: string, articleId: string, { lang = 'en', sso }: { lang?: string; sso?: string } = {}) {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Publisher</title></head><body><h1>Publisher article</h1>
<section id="comments" data-article-id="${articleId}"${sso ? ` data-sso-token="${sso}"` : ''}></section>
<script src="${apiOrigin}/embed.js" async></script></body></html>`
}

describe('the reader’s own comments in Chromium (issue 22)', () => {
  let t: TestApp
  let app: Awaited<ReturnType<typeof listen>>
  let publisher: Awaited<ReturnType<typeof listen>>
  let browser: Awaited<ReturnType<typeof launchBrowser>>
  let moderatorCookie: string
  const pages = new Map<string, string>()
  const pageErrors: string[] = []

  const ready = (page: Page) => page.locator('nc-comments[data-state=ready]').waitFor()
  const shadowText = (page: Page) => page.locator('nc-comments').evaluate((host) => host.shadowRoot!.textContent ?? '')
  const open = async (page: Page, articleId: string, options: { lang?: string; sso?: string } = {}) => {
    const path = `/article/${articleId}/${options.lang ?? 'en'}`
    pages.set(path, publisherPage(app.origin, articleId, options))
    await page.goto(`${publisher.origin.replace('localhost', '127.0.0.1')}${path}`)
    await ready(page)
  }
  const newPage = async (viewport = DESKTOP) => {
    const page = await browser.context.newPage()
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.setViewportSize(viewport)
    onTestFinished(() => page.close())
    return page
  }
  const ssoToken = async (sub: string, name: string) => {
    const { SignJWT } = await import('jose')
    return new SignJWT({ sub, name, email: `${sub}@paper.example` })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(SSO_SECRET))
  }
  const published = async (articleId: string, overrides: Record<string, unknown>) => {
    const { comment } = await (await t.postComment(articleId, aComment(overrides))).json()
    expect(comment.status).toBe('approved')
    return comment as { id: string }
  }
  /**
   * Holds the answer to the next post until the widget's own live stream has delivered the comment's
   * notice: the order that showed a reader's comment twice and announced it to them as new.
   */
  const liveBeforeAnswer = async (page: Page, articleId: string) => {
    await page.evaluate(() => {
      ;(window as unknown as { seen: number }).seen = 0
    })
    await page.route(`**/api/v1/articles/${articleId}/comments`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue()
      const answer = await route.fetch()
      await page.waitForFunction(() => (window as unknown as { seen: number }).seen > 0)
      await route.fulfill({ response: answer })
    })
    onTestFinished(() => page.unroute(`**/api/v1/articles/${articleId}/comments`))
  }

  beforeAll(async () => {
    publisher = await listen(async (request) => {
      const html = pages.get(new URL(request.url).pathname)
      return html
        ? new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } })
        : new Response('not found', { status: 404 })
    })
    t = await createTestApp(dbKinds().at(-1)!, {}, { publicOrigins: [publisher.origin.replace('localhost', '127.0.0.1')] })
    // Post-moderated, as a site is by default: a civil comment publishes at once.
    await t.settings({ rateLimitPerMinute: 0, premodNewCommenters: 0, minSecondsToPost: 0, moderationMode: 'post', ssoSecret: SSO_SECRET })
    moderatorCookie = (await signInBoth(t)).moderator
    app = await listen(t.app.fetch)
    browser = await launchBrowser()
    // Counts each live notice the widget's stream hands to its listeners, after they ran.
    await browser.context.addInitScript(() => {
      const add = EventSource.prototype.addEventListener
      EventSource.prototype.addEventListener = function (this: EventSource, type: string, listener: EventListener) {
        return add.call(this, type, (event: Event) => {
          listener(event)
          if (type === 'comment') (window as unknown as { seen: number }).seen = ((window as unknown as { seen?: number }).seen ?? 0) + 1
        })
      } as typeof add
    })
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await publisher?.close()
    await t?.close()
  })

  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ])(
    'shows the reader’s own comment and reply once, never as news, “edited” at once, and offers them no respect for it (%s)',
    async (name, viewport) => {
      const articleId = `own-once-${name}`
      const other = await published(articleId, { name: 'Samir', body: 'Another reader’s comment, to answer.' })
      const page = await newPage(viewport)
      await open(page, articleId, { sso: await ssoToken(`own-${name}`, 'Maya Own') })
      if (viewport === PHONE) {
        // On a phone the comments come first; the form waits behind one button after them (bug 9).
        const join = page.getByRole('button', { name: 'Join the discussion' })
        const [first, joinBox] = await Promise.all([page.locator(`#nc-${other.id}`).boundingBox(), join.boundingBox()])
        expect(first!.y).toBeLessThan(joinBox!.y)
        expect(first!.y).toBeLessThan(viewport.height)
        expect(await page.getByLabel('Comment', { exact: true }).count()).toBe(0)
        await join.click()
        expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('name'))).toBe('body')
      } else expect(await page.getByRole('button', { name: 'Join the discussion' }).count()).toBe(0)

      // Bug 2: the live notice of their own comment, arriving before the answer, is not "1 new comment".
      await liveBeforeAnswer(page, articleId)
      await page.getByLabel('Comment', { exact: true }).fill('My own comment, published at once.')
      await page.getByRole('button', { name: 'Post comment' }).click()
      await page.getByText('Your comment is published.').waitFor()
      const listed = page.locator('nc-comments li.c', { hasText: 'My own comment, published at once.' })
      await expect.poll(() => page.evaluate(() => (window as unknown as { seen: number }).seen)).toBeGreaterThan(0)
      expect(await listed.count()).toBe(1)
      const mine = page.locator(`#${await listed.getAttribute('id')}`)
      expect(await page.getByRole('button', { name: /new comment/ }).count()).toBe(0)
      expect(await shadowText(page)).not.toMatch(/new comment/)

      // Bug 1: their reply, the same way, appears once.
      const thread = page.locator(`#nc-${other.id}`)
      await thread.getByRole('button', { name: 'Reply' }).click()
      await page.evaluate(() => {
        ;(window as unknown as { seen: number }).seen = 0
      })
      await thread.locator('form').getByLabel('Comment').fill('My own reply, published at once.')
      await thread.locator('form').getByRole('button', { name: 'Reply' }).click()
      await thread.locator('ol li.c', { hasText: 'My own reply' }).first().waitFor()
      await expect.poll(() => page.evaluate(() => (window as unknown as { seen: number }).seen)).toBeGreaterThan(0)
      expect(await thread.locator('ol li.c', { hasText: 'My own reply' }).count()).toBe(1)

      // Bug 17: no respect for one's own words; bug 20: the buttons of a comment name its author.
      expect(await mine.getByRole('button', { name: /^Respect/ }).count()).toBe(0)
      const actions = await thread
        .locator(':scope > .meta:last-of-type button')
        .evaluateAll((buttons) =>
          buttons.map((b) => [
            b.textContent,
            (b.getRootNode() as ShadowRoot).getElementById(b.getAttribute('aria-describedby') ?? '')?.textContent,
          ]),
        )
      expect(actions).toEqual([
        ['Reply', 'Samir'],
        ['Report', 'Samir'],
        ['Respect · 0', 'Samir'],
      ])

      // Bug 8: "edited" at once after Save, not after a reload.
      expect(await mine.getByText('edited', { exact: true }).isVisible()).toBe(false)
      await mine.getByRole('button', { name: 'Edit' }).click()
      await mine.getByRole('textbox', { name: 'Edit' }).fill('My own comment, corrected.')
      await mine.getByRole('button', { name: 'Save' }).click()
      await mine.getByText('My own comment, corrected.').waitFor()
      expect(await mine.getByText('edited', { exact: true }).isVisible()).toBe(true)
      await page.screenshot({ path: artifactPath(`widget-own-${name}.png`), fullPage: true })
      expect(pageErrors).toEqual([])
    },
  )

  it('keeps a shadow-banned guest’s comments published to them after a reload, and shows them to nobody else (bug 4)', async () => {
    const articleId = 'shadow-own'
    const page = await newPage()
    await open(page, articleId)
    await page.getByLabel('Name', { exact: true }).fill('Troll')
    await page.getByLabel('Email', { exact: true }).fill('troll@example.org')
    await page.getByLabel('Comment', { exact: true }).fill('A first comment, before the shadow-ban.')
    await page.getByRole('button', { name: 'Post comment' }).click()
    await page.getByText('Your comment is published.').waitFor()
    const row = await t.db.selectFrom('comments').select('commenter_id').where('article_id', '=', articleId).executeTakeFirstOrThrow()
    const banned = await modRequest(t, moderatorCookie, 'POST', `/api/v1/mod/commenters/${row.commenter_id}/shadow-ban`, {
      reason: 'Bait on every article',
    })
    expect(banned.status).toBe(200)
    await page.getByLabel('Comment', { exact: true }).fill('An unseen comment, after the shadow-ban.')
    await page.getByRole('button', { name: 'Post comment' }).click()
    await page.getByText('Your comment is published.').waitFor()

    await page.reload()
    await ready(page)
    const unseen = page.locator('nc-comments li.c', { hasText: 'An unseen comment, after the shadow-ban.' })
    await unseen.waitFor()
    // Published, as far as its writer can tell: no "awaiting moderation", nothing said about it.
    expect(await unseen.getAttribute('class')).not.toContain('mine')
    expect(await unseen.textContent()).not.toContain('Awaiting moderation')
    expect(await page.locator('nc-comments li.c', { hasText: 'A first comment, before the shadow-ban.' }).count()).toBe(1)

    const { context, close } = await launchBrowser()
    try {
      const stranger = await context.newPage()
      pages.set('/stranger', publisherPage(app.origin, articleId))
      await stranger.goto(`${publisher.origin.replace('localhost', '127.0.0.1')}/stranger`)
      await ready(stranger)
      await stranger.locator('nc-comments li.c', { hasText: 'A first comment, before the shadow-ban.' }).waitFor()
      expect(await shadowText(stranger)).not.toContain('An unseen comment')
    } finally {
      await close()
    }
  })

  it.each([
    ['desktop, English', DESKTOP, 'en'],
    ['phone, English', PHONE, 'en'],
    ['phone, Arabic', PHONE, 'ar'],
  ])('lays the small things out right: one-line labels, plain typing, one thank-you, a skip link (%s)', async (name, viewport, lang) => {
    const articleId = `polish-${lang}-${viewport.width}`
    for (let i = 1; i <= 21; i++) await published(articleId, { name: `Reader ${i}`, body: `Comment number ${i}.` })
    const page = await newPage(viewport)
    await open(page, articleId, { lang, sso: await ssoToken(`polish-${lang}-${viewport.width}`, 'Nour Abdelrahman Al-Khatib') })
    const ar = lang === 'ar'
    if (viewport === PHONE) await page.getByRole('button', { name: ar ? 'شارك في النقاش' : 'Join the discussion' }).click()

    const layout = await page.locator('nc-comments').evaluate((host) => {
      const root = host.shadowRoot!
      const lines = (node: Node) => {
        const range = document.createRange()
        range.selectNodeContents(node)
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size
      }
      const sort = root.querySelector('select')!.closest('label')!
      const account = [...root.querySelectorAll('button')].find((b) => /Your account|حسابك/.test(b.textContent ?? ''))!
      const meta = account.closest('.meta')!.getBoundingClientRect()
      // Where its words are, not its box: the old padding indented the words inside it.
      const words = document.createRange()
      words.selectNodeContents(account)
      const box = words.getBoundingClientRect()
      const who = document.createRange()
      who.selectNodeContents(account.closest('.meta')!.firstElementChild!)
      const first = who.getBoundingClientRect()
      const rtl = getComputedStyle(account).direction === 'rtl'
      return {
        sortLabelLines: lines(sort.firstChild!),
        typedWeight: getComputedStyle(root.querySelector('textarea')!).fontWeight,
        accountLines: lines(account),
        // On a line of its own, "Your account" starts where the line does.
        accountIndent: box.top > first.bottom ? Math.round(rtl ? meta.right - box.right : box.left - meta.left) : 0,
      }
    })
    expect(layout).toEqual({ sortLabelLines: 1, typedWeight: '400', accountLines: 1, accountIndent: 0 })

    // A report is thanked once, where it was made.
    const first = page.locator('nc-comments ol > li.c').first()
    await first.getByRole('button', { name: ar ? 'إبلاغ' : 'Report' }).click()
    await first.getByRole('button', { name: ar ? 'أرسل البلاغ' : 'Send report' }).click()
    const thanks = ar ? 'شكرًا لك. سيراجعه أحد المشرفين.' : 'Thank you. A moderator will review it.'
    await first.getByText(thanks).waitFor()
    expect((await shadowText(page)).split(thanks)).toHaveLength(2)

    // Past the comments in one step: the skip link, first of the stops before them, leads to "Show more comments".
    await page.locator('nc-comments select').focus()
    await page.keyboard.press('Tab')
    const skip = page.getByRole('button', { name: ar ? 'تخطَّ التعليقات' : 'Skip past the comments' })
    expect(await skip.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true)
    await page.keyboard.press('Enter')
    const focused = await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent)
    expect(focused).toBe(ar ? 'عرض مزيد من التعليقات' : 'Show more comments')
    await page.screenshot({ path: artifactPath(`widget-polish-${name.replace(/\W+/g, '-')}.png`), fullPage: true })
  })

  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ])('serves demo pages axe-core passes, that log no error, and whose fallback reads without JavaScript (%s)', async (name, viewport) => {
    await published('demo-aid-corridor', { name: 'Rami', body: 'A comment the server renders for readers without scripts.' })
    await published('demo-aid-corridor-ar', { name: 'ريم', body: 'تعليق يعرضه الخادم لمن لا يشغّل السكربتات.' })
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
    for (const path of ['/demo', '/demo/ar']) {
      const page = await newPage(viewport)
      const errors: string[] = []
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
      await page.goto(`${app.origin}${path}`)
      await ready(page)
      // The widget took the fallback's place: the server's comments and form are gone, its own are there.
      expect(await page.locator('[data-nc-fallback], #comments > form').count()).toBe(0)
      await page.locator('nc-comments li.c').first().waitFor()
      await page.addScriptTag({ content: axeSource })
      const violations = await page.evaluate(async () => {
        const { axe } = window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } }
        return (await axe.run()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)
      })
      expect(violations, path).toEqual([])
      // Every page load used to log a 404 (the browser's favicon request).
      await page.reload()
      await ready(page)
      expect(errors, path).toEqual([])
    }

    // Without the script (blocked, or no JavaScript): the server's first comments, and a form whose labels sit above their fields.
    const page = await newPage(viewport)
    await page.route('**/embed.js', (route) => route.abort())
    await page.goto(`${app.origin}/demo/ar`)
    await page.locator('[data-nc-fallback] li', { hasText: 'تعليق يعرضه الخادم' }).first().waitFor()
    const form = await page.locator('#comments textarea').evaluate((textarea) => {
      const label = textarea.closest('label')!
      const words = document.createRange()
      words.selectNodeContents(label.firstChild!)
      const field = textarea.getBoundingClientRect()
      return { below: field.top >= words.getBoundingClientRect().bottom - 1, full: field.width >= label.getBoundingClientRect().width - 1 }
    })
    expect(form).toEqual({ below: true, full: true })
    await page.screenshot({ path: artifactPath(`demo-no-js-${name}.png`), fullPage: true })
  })
})
