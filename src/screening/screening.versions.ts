// The site models in PostgreSQL: every version a training run made, with its figures, and which one is
// active. No active row means the shipped model screens alone. Every replica and the Worker read the
// active one from here (screening.active.ts keeps it, checking its version at most once a minute).
import { sql } from 'kysely'
import type { Executor, Tx } from '../platform/db/database.js'
import type { Language } from './screening.features.js'
import type { HeldBack, LearnResult } from './screening.site-learn.js'
import type { ExampleCount, Figures, SiteModelFile } from './screening.site-model.js'
import { shippedModelInfo } from './screening.shipped-model.js'

/** Where a language's comments are held: by the site's own threshold, or the shipped model's. */
export type Thresholds = Partial<
  Record<Language, { source: 'site' | 'shipped'; center: number; slope: number; decisions: number; heldShare: number }>
>

export interface VersionMetrics {
  /** The newest decisions, held back from the twin that was measured: the active model before, this one after. */
  heldBack: HeldBack
  /** Per language, cross-validated over every example, at the thresholds above. */
  crossValidated: Partial<Record<Language, Figures & { auc: number }>>
}

export interface ModelVersion {
  version: string
  kind: 'shipped' | 'site'
  baseVersion: string | null
  trainedAt: string | null
  examples: Partial<Record<Language, ExampleCount>> | null
  thresholds: Thresholds | null
  metrics: VersionMetrics | null
  promoted: boolean | null
  reason: string | null
  reasonCode: string | null
  startedBy: string | null
  durationMs: number | null
  active: boolean
}

/** What the shipped model looks like as a version: it has no site figures. */
export function shippedVersion(active: boolean): ModelVersion {
  return {
    version: shippedModelInfo.version,
    kind: 'shipped',
    baseVersion: null,
    trainedAt: null,
    examples: null,
    thresholds: null,
    metrics: null,
    promoted: null,
    reason: null,
    reasonCode: null,
    startedBy: null,
    durationMs: null,
    active,
  }
}

export function thresholdsOf(file: SiteModelFile, heldShare: number): Thresholds {
  const thresholds: Thresholds = {}
  for (const language of ['ar', 'en'] as const) {
    const site = file.languages[language]
    const shipped = shippedModelInfo.calibration[language]
    const counted = file.examples[language]
    thresholds[language] = site
      ? { source: 'site', ...site.calibration, decisions: site.decisions, heldShare }
      : // The shipped threshold holds about 5% of clean comments across the public data sets (its model card).
        {
          source: 'shipped',
          ...shipped,
          decisions: (counted?.abusive ?? 0) + (counted?.clean ?? 0) - (counted?.implicit ?? 0),
          heldShare: 0.05,
        }
  }
  return thresholds
}

type Row = {
  version: string
  base_version: string
  trained_at: Date
  examples: unknown
  thresholds: unknown
  metrics: unknown
  promoted: boolean
  reason: string
  reason_code: string
  started_by: string
  duration_ms: number
  active: boolean
}

const toVersion = (row: Row): ModelVersion => ({
  version: row.version,
  kind: 'site',
  baseVersion: row.base_version,
  trainedAt: new Date(row.trained_at).toISOString(),
  examples: row.examples as ModelVersion['examples'],
  thresholds: row.thresholds as Thresholds,
  metrics: row.metrics as VersionMetrics,
  promoted: row.promoted,
  reason: row.reason,
  reasonCode: row.reason_code,
  startedBy: row.started_by,
  durationMs: row.duration_ms,
  active: row.active,
})

const COLUMNS = [
  'version',
  'base_version',
  'trained_at',
  'examples',
  'thresholds',
  'metrics',
  'promoted',
  'reason',
  'reason_code',
  'started_by',
  'duration_ms',
  'active',
] as const

/**
 * Changes of the active version take this transaction lock first: a promotion and an administrator's
 * activation, or two activations, then follow one another instead of both switching the old one off.
 */
export const lockActiveVersion = (trx: Executor) => sql`select pg_advisory_xact_lock(7410251)`.execute(trx)

/**
 * Stores what a training run made; a promoted version becomes the active one in the same transaction, but
 * only if the active version is still `comparedWith`, the one it was compared against (an administrator may
 * have rolled back while it trained): otherwise it is kept, not promoted, with the reason.
 */
export async function storeVersion(
  db: Executor,
  learned: LearnResult,
  details: {
    startedBy: string
    durationMs: number
    heldShare: number
    now: Date
    comparedWith?: string | null
    /** Runs in the promotion's transaction, with the version it replaced (null: the shipped model). */
    onPromoted?: (trx: Executor, replaced: string | null) => Promise<void>
  },
): Promise<ModelVersion> {
  const { candidate } = learned
  const metrics: VersionMetrics = { heldBack: learned.heldBack, crossValidated: candidate.crossValidated }
  const insert = (trx: Executor, outcome: Pick<LearnResult, 'promote' | 'reason'> = learned) =>
    trx
      .insertInto('screening_models')
      .values({
        version: candidate.version,
        base_version: candidate.baseVersion,
        model: JSON.stringify(candidate),
        examples: JSON.stringify(candidate.examples),
        thresholds: JSON.stringify(thresholdsOf(candidate, details.heldShare)),
        metrics: JSON.stringify(metrics),
        promoted: outcome.promote,
        reason_code: outcome.reason.code,
        reason: outcome.reason.message,
        started_by: details.startedBy,
        duration_ms: details.durationMs,
        trained_at: new Date(candidate.trainedAt),
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow()
  if (!learned.promote) return toVersion(await insert(db))
  const inTransaction = async (trx: Executor) => {
    await lockActiveVersion(trx)
    const active = await activeVersionId(trx)
    if (details.comparedWith !== undefined && active !== details.comparedWith) {
      const message = `Not promoted: the active model changed to ${active ?? 'the shipped model'} while this version trained against ${details.comparedWith ?? 'the shipped model'}`
      return toVersion(await insert(trx, { promote: false, reason: { code: 'active_changed', message } }))
    }
    await trx.updateTable('screening_models').set({ active: false }).where('active', '=', true).execute()
    const row = await insert(trx)
    await details.onPromoted?.(trx, active)
    return toVersion(
      await trx
        .updateTable('screening_models')
        .set({ active: true, activated_at: details.now })
        .where('version', '=', row.version)
        .returning(COLUMNS)
        .executeTakeFirstOrThrow(),
    )
  }
  return db.isTransaction ? inTransaction(db) : (db as Exclude<Executor, Tx>).transaction().execute(inTransaction)
}

/** Versions a listing shows: a nightly training keeps a year's worth, and the desk looks at the recent ones. */
export const LISTED_VERSIONS = 60

/** The newest site versions, newest first, and the active one wherever it falls. */
export async function listVersions(db: Executor, limit = LISTED_VERSIONS): Promise<ModelVersion[]> {
  const rows = await db
    .selectFrom('screening_models')
    .select(COLUMNS)
    .orderBy('trained_at', 'desc')
    .orderBy('version', 'desc')
    .limit(limit)
    .execute()
  if (!rows.some((row) => row.active)) {
    const active = await db.selectFrom('screening_models').select(COLUMNS).where('active', '=', true).executeTakeFirst()
    if (active) rows.push(active)
  }
  return rows.map(toVersion)
}

/** The active version (the shipped model's when no site version is active). */
export async function activeVersion(db: Executor): Promise<ModelVersion> {
  const row = await db.selectFrom('screening_models').select(COLUMNS).where('active', '=', true).executeTakeFirst()
  return row ? toVersion(row) : shippedVersion(true)
}

/** The newest version made, promoted or not (the last training's outcome). */
export async function latestVersion(db: Executor): Promise<ModelVersion | null> {
  const row = await db
    .selectFrom('screening_models')
    .select(COLUMNS)
    .orderBy('trained_at', 'desc')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? toVersion(row) : null
}

/** The id of the active version, or null while the shipped model screens alone: the cheap check every replica makes. */
export async function activeVersionId(db: Executor): Promise<string | null> {
  const row = await db.selectFrom('screening_models').select('version').where('active', '=', true).executeTakeFirst()
  return row?.version ?? null
}

/** The model file of a version (null when there is no such site version). */
export async function versionFile(db: Executor, version: string): Promise<SiteModelFile | null> {
  const row = await db.selectFrom('screening_models').select('model').where('version', '=', version).executeTakeFirst()
  return row ? (row.model as SiteModelFile) : null
}

/**
 * Makes a kept version the active one (roll back or forward); the shipped model's version deactivates every
 * site version. A version stacked on another shipped model than this one is refused: it would not load.
 */
export async function activateVersion(db: Executor, version: string, now: Date): Promise<'activated' | 'missing' | 'other_base'> {
  const run = async (trx: Executor) => {
    await lockActiveVersion(trx)
    if (version === shippedModelInfo.version) {
      await trx.updateTable('screening_models').set({ active: false }).where('active', '=', true).execute()
      return 'activated' as const
    }
    const row = await trx.selectFrom('screening_models').select('base_version').where('version', '=', version).executeTakeFirst()
    if (!row) return 'missing' as const
    if (row.base_version !== shippedModelInfo.version) return 'other_base' as const
    await trx.updateTable('screening_models').set({ active: false }).where('active', '=', true).where('version', '!=', version).execute()
    await trx
      .updateTable('screening_models')
      .set({ active: true, activated_at: sql`coalesce(case when active then activated_at end, ${now})` })
      .where('version', '=', version)
      .execute()
    return 'activated' as const
  }
  return db.isTransaction ? run(db) : (db as Exclude<Executor, Tx>).transaction().execute(run)
}
