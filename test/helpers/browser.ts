import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { type BrowserContext, type Page, chromium } from 'playwright-core'
import { createModerator } from '../../src/auth/auth.users.js'
import type { TestApp } from './test-app.js'

export const CHROMIUM = '/usr/bin/chromium'
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
export const ARTIFACTS = join(process.cwd(), 'test-artifacts')

/** Debian's Chromium with a fresh profile; never a downloaded browser. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'nc-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    headless: true,
    viewport: { width: 1200, height: 900 },
  })
  return {
    context,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/** Serves an app on a free localhost port for the browser. */
export function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<{ origin: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({
        origin: `http://localhost:${info.port}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    )
  })
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true })
  return join(ARTIFACTS, name)
}

/** Signs in on the workspace's sign-in page the browser is on, and waits for the queue. */
export async function signInOnPage(page: Page, origin: string, who: { username: string; password: string }) {
  await page.getByLabel('Username').fill(who.username)
  await page.getByLabel('Password').fill(who.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${origin}/moderate`)
}

/**
 * The workspace in Chromium: the app served, a moderator `desk` created with `role`, signed in on its own
 * page. Dialogs (confirmations) are accepted, and their messages kept in `dialogs`.
 */
export async function signedInDesk(
  t: TestApp,
  options: { role: 'admin' | 'moderator'; dialogs: string[]; initScript?: string },
): Promise<{ server: Awaited<ReturnType<typeof listen>>; browser: Awaited<ReturnType<typeof launchBrowser>>; page: Page }> {
  await createModerator(t.db, 'desk', 'a long enough password', options.role)
  const server = await listen(t.app.fetch)
  const browser = await launchBrowser()
  const page = await browser.context.newPage()
  if (options.initScript) await page.addInitScript(options.initScript)
  page.on('dialog', (dialog) => {
    options.dialogs.push(dialog.message())
    void dialog.accept()
  })
  await page.goto(`${server.origin}/moderate`)
  await page.waitForURL(/\/moderate\/login/)
  await signInOnPage(page, server.origin, { username: 'desk', password: 'a long enough password' })
  return { server, browser, page }
}
