// SIGTERM on `npm start`: live streams are told to reconnect, requests in flight finish, the process exits
// by itself, and after a restart every post that was answered 2xx is stored exactly once.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { preparedOrClosed } from '../src/database.setup.js'
import type { Connection } from '../src/platform/db/connect-node.js'
import { openPglite } from '../src/platform/db/connect-node.js'
import { saveSiteSettings } from '../src/settings/settings.repository.js'
import { defaultSiteSettings } from '../src/settings/settings.schema.js'
import { freePort, startNodeServer } from './helpers/node-server.js'
import { type DbKind, dbKinds, openTestDb } from './helpers/test-db.js'

const WRITERS = 8
const ARTICLE = 'shutdown-article'

/** The database the servers use, and how the test reads it while no server holds it. */
async function database(kind: DbKind) {
  if (kind === 'postgres') {
    const db = await openTestDb('postgres')
    return {
      env: { DATABASE_URL: db.url!, IP_HASH_SECRET: 'shutdown-test-secret-shutdown-test-0123' } as Record<string, string>,
      open: async () => db,
      done: () => db.close(),
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'nc-shutdown-'))
  return {
    env: { DATABASE_URL: '', DATA_DIR: dataDir } as Record<string, string>,
    // PGlite is one process's at a time: opened between servers, closed before the next starts.
    open: async (): Promise<Connection> => preparedOrClosed(await openPglite(dataDir)),
    done: async () => rmSync(dataDir, { recursive: true, force: true }),
  }
}

/** Posts comments one after another until the server stops answering; returns the ids answered 2xx. */
async function writer(origin: string, index: number, acknowledged: string[]) {
  for (let n = 0; ; n++) {
    try {
      const res = await fetch(`${origin}/api/v1/articles/${ARTICLE}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: `Writer ${index}`,
          email: `writer${index}@shutdown.example`,
          body: `Comment ${n} of writer ${index}, posted while the server is told to stop.`,
          idempotencyKey: `w${index}-${n}-shutdown-key`,
        }),
      })
      const answer = (await res.json()) as { comment?: { id: string } }
      if (res.status === 201 || res.status === 202) acknowledged.push(answer.comment!.id)
      else if (res.status >= 500) return
    } catch {
      return // refused or cut off: the server is gone
    }
  }
}

for (const kind of dbKinds()) {
  describe(`SIGTERM on ${kind}`, () => {
    const cleanups: (() => Promise<void>)[] = []
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup()
    })

    it('stops cleanly under 8 writers: streams told to reconnect, every acknowledged post stored once', async () => {
      const store = await database(kind)
      cleanups.push(store.done)
      const setup = await store.open()
      await saveSiteSettings(setup.db, { ...defaultSiteSettings(), rateLimitPerMinute: 0 })
      if (kind === 'pglite') await setup.close()

      const env = { ...store.env, SHUTDOWN_TIMEOUT_SECONDS: '10' }
      const first = await startNodeServer(env, await freePort())
      cleanups.push(() => first.kill('SIGKILL'))
      const exited = new Promise<number | null>((resolve) => first.child.once('exit', (code) => resolve(code)))

      // A reader following the article live.
      const stream = await fetch(`${first.origin}/api/v1/articles/${ARTICLE}/stream`, { headers: { accept: 'text/event-stream' } })
      expect(stream.status).toBe(200)
      const streamText = stream.text().catch((error: Error) => `cut off: ${error.message}`)

      const acknowledged: string[] = []
      const writers = Array.from({ length: WRITERS }, (_, i) => writer(first.origin, i, acknowledged))
      // Mid-stream: each writer has had a few posts answered, and each has one in flight.
      while (acknowledged.length < WRITERS * 3) await new Promise((resolve) => setTimeout(resolve, 10))
      first.child.kill('SIGTERM')
      await Promise.all(writers)

      // Told to come back elsewhere: a retry line, then the end of the stream.
      expect(await streamText).toMatch(/retry: \d+\n\n$/)
      // The process exits by itself, and 0: it finished before SHUTDOWN_TIMEOUT_SECONDS.
      expect(await exited).toBe(0)
      expect(first.output()).toContain('"msg":"stopped"')
      expect(first.output()).not.toMatch(/driver has already been destroyed|did not stop in time/)

      const second = await startNodeServer(env, await freePort())
      try {
        expect((await fetch(`${second.origin}/ready`)).status).toBe(200)
      } finally {
        await second.kill('SIGTERM')
      }
      expect(second.child.exitCode).toBe(0)

      const check = kind === 'pglite' ? await store.open() : setup
      try {
        const rows = await check.db
          .selectFrom('comments')
          .select(['id', sql<number>`count(*) over (partition by idempotency_key)`.as('copies')])
          .where('article_id', '=', ARTICLE)
          .execute()
        const stored = new Map(rows.map((row) => [row.id, Number(row.copies)]))
        expect(acknowledged.length).toBeGreaterThanOrEqual(WRITERS * 3)
        expect(new Set(acknowledged).size).toBe(acknowledged.length)
        for (const id of acknowledged) expect(stored.get(id), id).toBe(1)
      } finally {
        if (kind === 'pglite') await check.close()
      }
    }, 180_000)
  })
}
