import { CompiledQuery, Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from '../../src/platform/db/database.js'

/** A node of PostgreSQL's `explain (format json)` plan, as far as the plan tests read it. */
export interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  Plans?: PlanNode[]
}

/**
 * A second handle on a test database that records every statement the code under test sends, so a
 * test can ask PostgreSQL for the plans of exactly those statements.
 */
export function tracingKysely(url: string, captured: CompiledQuery[], max = 1): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max }) }),
    log: (event) => {
      if (event.level === 'query') captured.push(event.query)
    },
  })
}

/** PostgreSQL's plan of one recorded statement. */
export async function explain(db: Kysely<Database>, query: CompiledQuery): Promise<PlanNode> {
  const { rows } = await db.executeQuery<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
    CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]),
  )
  return rows[0]!['QUERY PLAN'][0]!.Plan
}
