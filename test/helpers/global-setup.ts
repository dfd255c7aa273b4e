import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { connectPostgres } from '../../src/platform/db/connect-pg.js'
import { createPglite } from '../../src/platform/db/pglite.js'
import { pgliteKysely } from '../../src/platform/db/scripts.js'
import { prepareDatabase } from '../../src/database.setup.js'
import { databaseUrl, postgresReachable, withAdminClient } from './pg-admin.js'

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
    postgresTemplate: string | null
    runId: string
  }
}

const CACHE_DIR = join(process.cwd(), 'node_modules', '.cache', 'newsroom-comments-tests')

/** Migrates one template per database kind, once per run; every test file clones it. */
export default async function setup(project: TestProject) {
  const runId = `${process.pid}_${Date.now().toString(36)}`
  project.provide('runId', runId)

  const pglite = await createPglite()
  await prepareDatabase(pgliteKysely(pglite))
  const dump = await pglite.dumpDataDir('none')
  await pglite.close()
  mkdirSync(CACHE_DIR, { recursive: true })
  const templatePath = join(CACHE_DIR, `pglite-template-${runId}.tar`)
  writeFileSync(templatePath, Buffer.from(await dump.arrayBuffer()))
  project.provide('pgliteTemplate', templatePath)

  let postgresTemplate: string | null = null
  if (await postgresReachable()) {
    postgresTemplate = `nc_tmpl_${runId}`
    await withAdminClient((client) => client.query(`create database ${postgresTemplate}`))
    const db = connectPostgres(databaseUrl(postgresTemplate), { max: 1 })
    await prepareDatabase(db)
    await db.destroy()
  } else if (process.env.CI === 'true') {
    throw new Error('CI=true but PostgreSQL is not reachable on 127.0.0.1:5432: the PostgreSQL half of the suite cannot be skipped in CI')
  } else {
    console.warn(
      '\n\n*** PostgreSQL is not reachable: the PostgreSQL half of the suite is SKIPPED; only PGlite runs. ***\n' +
        '*** Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start       ***\n\n',
    )
  }
  project.provide('postgresTemplate', postgresTemplate)

  return async () => {
    const { rmSync } = await import('node:fs')
    rmSync(templatePath, { force: true })
    if (!postgresTemplate) return
    await withAdminClient(async (client) => {
      const { rows } = await client.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`nc_%${runId}%`])
      for (const { datname } of rows) await client.query(`drop database if exists ${datname} with (force)`)
    })
  }
}
