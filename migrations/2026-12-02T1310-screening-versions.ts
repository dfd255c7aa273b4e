import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.
export async function up(db: Kysely<any>): Promise<void> {
  // Every site model a training run made, promoted or kept: the model itself (a small JSON object, loaded
  // by every replica and the Worker), its figures, what it learned from, who started it and why it was
  // promoted or kept. At most one row is active; none active means the shipped model screens alone.
  await db.schema
    .createTable('screening_models')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('base_version', 'text', (c) => c.notNull())
    .addColumn('model', 'jsonb', (c) => c.notNull())
    .addColumn('examples', 'jsonb', (c) => c.notNull())
    .addColumn('thresholds', 'jsonb', (c) => c.notNull())
    .addColumn('metrics', 'jsonb', (c) => c.notNull())
    .addColumn('promoted', 'boolean', (c) => c.notNull())
    .addColumn('reason_code', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('activated_at', 'timestamptz')
    .addColumn('trained_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await sql`create unique index screening_models_one_active on screening_models (active) where active`.execute(db)
  await sql`create index screening_models_trained on screening_models (trained_at desc)`.execute(db)
  // Which model version scored a comment (the shipped model's, or a site model's).
  await db.schema.alterTable('comments').addColumn('model_version', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('comments').dropColumn('model_version').execute()
  await db.schema.dropTable('screening_models').ifExists().execute()
}
