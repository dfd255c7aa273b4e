// Issue 20, finding 6, in Chromium: the widget binds the code it asks for to its own browser. The link
// opened in the browser that asked signs the reader in; the same kind of link opened anywhere else (a
// script or a redirect that captured it, another device) signs nobody in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, listen } from './helpers/browser.js'
import { takeMails } from './helpers/outbox.js'
import { type TestApp, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

describe('a sign-in link bound to the browser that asked for it, in Chromium', () => {
  let t: TestApp
  let app: Awaited<ReturnType<typeof listen>>
  let asking: Awaited<ReturnType<typeof launchBrowser>>
  let elsewhere: Awaited<ReturnType<typeof launchBrowser>>

  beforeAll(async () => {
    t = await createTestApp(dbKinds().at(-1)!)
    await t.settings({ rateLimitPerMinute: 0, minSecondsToPost: 0 })
    app = await listen(t.app.fetch)
    asking = await launchBrowser()
    elsewhere = await launchBrowser()
  })
  afterAll(async () => {
    await asking?.close()
    await elsewhere?.close()
    await app?.close()
    await t?.close()
  })

  /** Asks for a link in the asking browser's widget; returns the mailed link. */
  async function askForLink(email: string): Promise<string> {
    const page = await asking.context.newPage()
    await page.goto(`${app.origin}/demo`)
    await page.waitForSelector('nc-comments[data-state=ready]')
    await page.getByLabel('Name', { exact: true }).fill('Layla Haddad')
    await page.getByLabel('Email', { exact: true }).fill(email)
    await page.getByRole('button', { name: 'Verify my email' }).click()
    await page.getByText(`We sent a sign-in link to ${email}`).waitFor()
    await page.close()
    const [mail] = await takeMails(t.db, 1)
    return /(https?:\/\/\S+#comments-verify=[\w-]+)/.exec(mail!.text)![1]!
  }

  it('signs in only the browser that asked', async () => {
    const first = await askForLink('bound.browser@example.org')
    expect(new URL(first).pathname).toBe('/demo')
    const stranger = await elsewhere.context.newPage()
    await stranger.goto(first)
    await stranger.waitForSelector('nc-comments[data-state=ready]')
    await stranger.getByText('That sign-in link was already used or has expired').waitFor()
    expect(await stranger.getByText('Commenting as').count()).toBe(0)

    // The code that other browser saw is spent; the asking browser asks again and opens its own link.
    const second = await askForLink('bound.browser@example.org')
    const own = await asking.context.newPage()
    await own.goto(second)
    await own.waitForSelector('nc-comments[data-state=ready]')
    await own.getByText('Your email is verified').waitFor()
    await own.getByText('Commenting as Layla Haddad').waitFor()
  }, 60_000)
})
