import { CompiledQuery, Kysely } from 'kysely'
import type { PGlite } from '@electric-sql/pglite'
import { PGliteDialect } from 'kysely-pglite-dialect'
import type { AnyDb } from './database.js'

type Script = (text: string) => Promise<{ rows: unknown[] }>
const scriptRunners = new WeakMap<AnyDb, Script>()

/**
 * A Kysely handle over PGlite that can also run a multi-statement script. PGlite's query() prepares its
 * text, which refuses several statements; exec() does not, and runs while this handle holds PGlite's one
 * connection, so it never lands inside another caller's transaction.
 */
export function pgliteKysely<DB>(pglite: PGlite): Kysely<DB> {
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) })
  scriptRunners.set(db, (text) =>
    db.connection().execute(async () => {
      try {
        const results = await pglite.exec(text)
        return { rows: results.at(-1)?.rows ?? [] }
      } catch (error) {
        // PGlite has one session: a script that failed inside BEGIN would leave every later query failing.
        if (pglite.isInTransaction()) await pglite.exec('rollback')
        throw error
      }
    }),
  )
  return db
}

/**
 * Runs SQL text that may hold several statements. On PostgreSQL a query without parameters goes through
 * the simple protocol, which takes several statements as they are.
 */
export async function runScript(db: AnyDb, text: string): Promise<{ rows: unknown[] }> {
  const runner = scriptRunners.get(db)
  if (runner) return runner(text)
  const result = await db.executeQuery(CompiledQuery.raw(text, []))
  return { rows: result.rows as unknown[] }
}
