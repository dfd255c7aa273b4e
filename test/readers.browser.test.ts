// A reader's whole path in Chromium against `npm start` on PostgreSQL with a real SMTP server: ask for a
// link, follow it from the mail, post as a verified reader asking for replies, get the reply by mail,
// and unsubscribe with one click from the mail's List-Unsubscribe header.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { saveSiteSettings } from '../src/settings/settings.repository.js'
import { defaultSiteSettings } from '../src/settings/settings.schema.js'
import { artifactPath, launchBrowser } from './helpers/browser.js'
import { freePort, startNodeServer } from './helpers/node-server.js'
import { startSmtp } from './helpers/smtp.js'
import { dbKinds, openTestDb } from './helpers/test-db.js'

const ARTICLE = 'demo-aid-corridor'

describe.runIf(dbKinds().includes('postgres'))('a verified reader in Chromium, with real mail', () => {
  let db: Awaited<ReturnType<typeof openTestDb>>
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  let server: Awaited<ReturnType<typeof startNodeServer>>
  let browser: Awaited<ReturnType<typeof launchBrowser>>

  beforeAll(async () => {
    db = await openTestDb('postgres')
    // A person types slower than a test: the "too fast" check would hold every post here.
    await saveSiteSettings(db.db, { ...defaultSiteSettings(), minSecondsToPost: 0, rateLimitPerMinute: 0 })
    smtp = await startSmtp()
    server = await startNodeServer(
      { DATABASE_URL: db.url!, IP_HASH_SECRET: 'browser-mail-secret-browser-mail-secret', SMTP_URL: smtp.url, MAIL_POLL_SECONDS: '0.5' },
      await freePort(),
    )
    browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await server?.kill()
    await smtp?.close()
    await db?.close()
  })

  const ready = (page: Page) => page.waitForSelector('nc-comments[data-state=ready]')

  it('verifies by the mailed link, posts verified, hears of a reply and unsubscribes in one click', async () => {
    const page = await browser.context.newPage()
    await page.goto(`${server.origin}/demo`)
    await ready(page)
    await page.getByLabel('Name', { exact: true }).fill('Layla Haddad')
    await page.getByLabel('Email', { exact: true }).fill('layla@reader.example')
    await page.getByRole('button', { name: 'Verify my email' }).click()
    await page.getByText('We sent a sign-in link to layla@reader.example').waitFor()

    const [linkMail] = await smtp.waitFor((mails) => mails.some((m) => m.to.includes('layla@reader.example')))
    const link = /(https?:\/\/\S+#comments-verify=[\w-]+)/.exec(linkMail!.text)![1]!
    expect(new URL(link).pathname).toBe('/demo')

    // The reader opens the link from their mail: a new tab on the article.
    const fromMail = await browser.context.newPage()
    await fromMail.goto(link)
    await ready(fromMail)
    await fromMail.getByText('Your email is verified').waitFor()
    expect(fromMail.url()).not.toContain('comments-verify') // the code leaves the address bar
    await fromMail.getByText('Commenting as Layla Haddad').waitFor()
    expect(await fromMail.getByLabel('Email', { exact: true }).count()).toBe(0)

    await fromMail.getByLabel('Comment', { exact: true }).fill('Verified, and keen to hear what others think of the corridor.')
    await fromMail.getByLabel("Email me about replies and moderators' decisions").check()
    await fromMail.getByRole('button', { name: 'Post comment' }).click()
    await fromMail.getByText('Your comment is published.').waitFor()
    await fromMail.getByText('✓ Verified').first().waitFor()
    await fromMail.screenshot({ path: artifactPath('reader-verified.png') })

    // Another reader replies (through the API, as the widget does).
    const list = (await (await fetch(`${server.origin}/api/v1/articles/${ARTICLE}/comments`)).json()) as {
      comments: { id: string; authorName: string }[]
    }
    const parentId = list.comments.find((c) => c.authorName === 'Layla Haddad')!.id
    const reply = async (body: string) => {
      const { formToken } = (await (await fetch(`${server.origin}/api/v1/articles/${ARTICLE}/form-token`)).json()) as { formToken: string }
      const res = await fetch(`${server.origin}/api/v1/articles/${ARTICLE}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Karim', email: `karim-${Date.now()}@reader.example`, body, parentId, formToken }),
      })
      expect(res.status).toBe(201)
    }
    await reply('A reply Layla should hear about by mail.')
    const replies = await smtp.waitFor((mails) => mails.some((m) => m.text.includes('A reply Layla should hear about by mail.')))
    const replyMail = replies.find((m) => m.text.includes('A reply Layla should hear about by mail.'))!
    expect(replyMail.to).toContain('layla@reader.example')
    expect(replyMail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click')

    // One click, as a mail client does it (RFC 8058): a POST to the List-Unsubscribe address.
    const url = /<([^>]+)>/.exec(replyMail.headers['list-unsubscribe']!)![1]!
    const oneClick = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(oneClick.status).toBe(200)

    const before = smtp.received.length
    await reply('A second reply, after unsubscribing.')
    // Then a mail that must come: queued after whatever the reply queued, and the outbox sends in order,
    // one at a time. Once it is here, a mail to Layla about the reply would have come before it.
    const marker = await fetch(`${server.origin}/api/v1/readers/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'marker@reader.example', articleUrl: `${server.origin}/demo`, articleId: ARTICLE }),
    })
    expect(marker.status).toBe(202)
    await smtp.waitFor((mails) => mails.slice(before).some((m) => m.to.includes('marker@reader.example')))
    expect(smtp.received.slice(before).filter((m) => m.to.includes('layla@reader.example'))).toEqual([])
  }, 120_000)
})
