// npm run screening:learn end to end against a real PostgreSQL database, and the nightly tick that queues a
// training at the site's learning hour.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nightlyTick, trainingState } from '../src/moderation/moderation.learning.js'
import type { Connection } from '../src/platform/db/connect-node.js'
import { siteDecisions } from '../src/screening/screening.site-fixture.js'
import { activeVersion } from '../src/screening/screening.versions.js'
import { getSiteSettings, saveSiteSettings } from '../src/settings/settings.repository.js'
import { seedDecisions } from './helpers/desk.js'
import { dbKinds, openTestDb } from './helpers/test-db.js'

const run = promisify(execFile)

describe.skipIf(!dbKinds().includes('postgres'))('npm run screening:learn, and the nightly tick', () => {
  let connection: Connection & { url?: string }

  beforeAll(async () => {
    connection = await openTestDb('postgres')
  })
  afterAll(() => connection?.close())

  it('queues a training at the learning hour only, and not while one waits', async () => {
    const db = connection.db
    await saveSiteSettings(db, { ...(await getSiteSettings(db)), learningHourUtc: 3 })
    expect(await nightlyTick(db, new Date('2026-12-02T02:00:00Z'))).toBe(false)
    expect(await trainingState(db)).toBe('idle')
    expect(await nightlyTick(db, new Date('2026-12-02T03:00:00Z'))).toBe(true)
    expect(await trainingState(db)).toBe('queued')
    expect(await nightlyTick(db, new Date('2026-12-02T03:00:30Z'))).toBe(false)
    await saveSiteSettings(db, { ...(await getSiteSettings(db)), learningHourUtc: null })
  })

  it('works the queued training against DATABASE_URL, promotes the better version and says so', async () => {
    await seedDecisions(connection.db, siteDecisions({ count: 500, abusive: 0.35 }))
    const { stdout } = await run(join('node_modules', '.bin', 'tsx'), ['src/cli/screening-learn.ts'], {
      env: { ...process.env, DATABASE_URL: connection.url!, NODE_ENV: 'test' },
    })
    expect(stdout).toMatch(/site-\S+: promoted/)
    expect(stdout).toMatch(/en: \d+ abusive, \d+ clean \(0 of them implicit approvals\)/)
    expect(stdout).toMatch(/trained in [\d.]+ s; process peak \d+ MB/)
    // The tick's training was the one worked: started by the schedule, not by the command.
    expect(await activeVersion(connection.db)).toMatchObject({ kind: 'site', promoted: true, startedBy: 'schedule' })
    expect(await trainingState(connection.db)).toBe('idle')
  }, 120_000)
})
