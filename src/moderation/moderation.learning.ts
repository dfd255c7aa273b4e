// The desk teaches the screening: a pg-boss job trains a site model from the moderators' decisions (and the
// implicit approvals), stacked on the shipped model, compares it with the active model on the newest
// decisions held back, stores it as a version and promotes it only if it is better. Started by the
// nightly schedule (a site setting), an admin (the API, the workspace's "Retrain now") or the CLI.
import { sql } from 'kysely'
import type { Db, Executor, Tx } from '../platform/db/database.js'
import { OUTBOX_SCHEMA, type QueueDefinition, bossClient } from '../platform/jobs/jobs.outbox.js'
import { randomToken } from '../platform/lib/crypto.js'
import { AppError, notFound } from '../platform/lib/errors.js'
import { type Actor, writeAudit } from '../audit/audit.log.js'
import type { Done } from '../events/events.js'
import type { ActiveModels } from '../screening/screening.active.js'
import { shippedModel, shippedModelInfo } from '../screening/screening.shipped-model.js'
import { type LearnInput, type LearnResult, learnSiteModel } from '../screening/screening.site-learn.js'
import {
  type ModelVersion,
  activateVersion,
  activeVersion,
  activeVersionId,
  latestVersion,
  lockActiveVersion,
  listVersions,
  storeVersion,
  versionFile,
} from '../screening/screening.versions.js'
import { getSiteSettings } from '../settings/settings.repository.js'
import { loadExamples } from './moderation.learning-examples.js'

export const LEARN_QUEUE = 'screening-learn'
/** An hourly tick: at the site's learning hour it queues the night's training. */
export const LEARN_TICK_QUEUE = 'screening-learn-tick'

/** A training that has not finished in this long died with its process: pg-boss marks it failed. */
const LEARN_EXPIRE_SECONDS = 15 * 60

export const LEARNING_QUEUES: QueueDefinition[] = [
  // One waiting and one running at most; a failed training is not retried (an admin sees it and asks again).
  { name: LEARN_QUEUE, policy: 'stately', retryLimit: 0, expireInSeconds: LEARN_EXPIRE_SECONDS, retentionMinutes: 7 * 24 * 60 },
  { name: LEARN_TICK_QUEUE, retryLimit: 0, expireInSeconds: 300 },
]

export interface LearnJob {
  /** A moderator's username, `schedule` or `cli`. */
  startedBy: string
}

export type TrainingState = 'idle' | 'queued' | 'running' | 'failed'

/** Where the training stands: the newest unfinished job, else whether the newest job failed. */
export async function trainingState(db: Executor): Promise<TrainingState> {
  const { rows } = await sql<{ state: string }>`
    select state from ${sql.table(`${OUTBOX_SCHEMA}.job`)} where name = ${LEARN_QUEUE}
    order by (state in ('created', 'retry', 'active')) desc, created_on desc limit 1`.execute(db)
  const state = rows[0]?.state
  if (state === 'active') return 'running'
  if (state === 'created' || state === 'retry') return 'queued'
  return state === 'failed' ? 'failed' : 'idle'
}

/** Queues a training; 409 while one waits or runs. */
export async function requestTraining(db: Db, job: LearnJob): Promise<void> {
  const state = await trainingState(db)
  const busy = state === 'queued' || state === 'running'
  // The queue's policy refuses a second waiting job too, should two requests race past the check.
  const id = busy ? null : await bossClient(db).send(LEARN_QUEUE, job as unknown as object)
  if (!id) throw new AppError(409, 'conflict', 'A training is already queued or running; wait for it to finish')
}

/** A version's name: when it was trained, and a few random letters so two runs in one second differ. */
const versionName = (at: Date) => `site-${at.toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomToken(3).toLowerCase().slice(0, 4)}`

export interface Trained {
  version: ModelVersion
  learned: LearnResult
}

/**
 * One training: the examples as they stand, the candidate and its comparison, the version stored (and
 * promoted when better). A promoted version is used by this process at once; the others check within a minute.
 */
export async function trainSiteVersion(
  db: Db,
  input: LearnJob & {
    now: () => Date
    models?: ActiveModels | undefined
    /** Where the training runs: here by default; the Node server hands it to a worker thread. */
    learn?: ((input: LearnInput) => Promise<LearnResult>) | undefined
  },
): Promise<Trained> {
  const started = input.now()
  const clock = performance.now()
  const settings = await getSiteSettings(db)
  const examples = await loadExamples(db, started)
  const activeId = await activeVersionId(db)
  const learn = input.learn ?? (async (i: LearnInput) => learnSiteModel(i))
  const learned = await learn({
    examples,
    shipped: shippedModel(),
    version: versionName(started),
    trainedAt: started.toISOString(),
    active: activeId ? await versionFile(db, activeId) : null,
    options: { cleanPublishTarget: settings.learningCleanPublishTarget },
    holdAt: settings.modelHoldThreshold,
  })
  const version = await storeVersion(db, learned, {
    startedBy: input.startedBy,
    durationMs: Math.round(performance.now() - clock),
    heldShare: Math.round((1 - settings.learningCleanPublishTarget) * 1000) / 1000,
    now: input.now(),
    comparedWith: activeId,
    // A promotion changes what screens every comment: in the history, as an administrator's activation is.
    onPromoted: (trx, replaced) =>
      writeAudit(trx as Tx, {
        actor: { id: null, name: `screening training (${input.startedBy})` },
        action: 'screening_model',
        from: replaced ?? 'shipped',
        to: learned.candidate.version,
        reason: learned.reason.message,
      }),
  })
  if (version.promoted) input.models?.use(learned.candidate, input.now())
  // The store may have refused a promotion the comparison allowed (the active model changed meanwhile).
  const outcome: LearnResult =
    version.promoted === learned.promote
      ? learned
      : { ...learned, promote: false, reason: { code: 'active_changed', message: version.reason ?? '' } }
  return { version, learned: outcome }
}

/**
 * Works one queued training, if any: the CLI, the tests and any process without a running worker. Null
 * when nothing was queued. A training that throws is marked failed and the error goes on.
 */
export async function workQueuedTraining(db: Db, options: { now: () => Date; models?: ActiveModels }): Promise<Trained | null> {
  const boss = bossClient(db)
  const [job] = (await boss.fetch<LearnJob>(LEARN_QUEUE, { batchSize: 1 })) ?? []
  if (!job) return null
  try {
    const trained = await trainSiteVersion(db, { ...options, startedBy: job.data.startedBy })
    await boss.complete(LEARN_QUEUE, job.id, { version: trained.version.version, promoted: trained.learned.promote })
    return trained
  } catch (error) {
    await boss.fail(LEARN_QUEUE, job.id, { message: (error as Error).message })
    throw error
  }
}

/** The hourly tick: at the site's learning hour (UTC) it queues the night's training, unless one waits or runs. */
export async function nightlyTick(db: Db, now: Date): Promise<boolean> {
  const settings = await getSiteSettings(db)
  if (settings.learningHourUtc === null || settings.learningHourUtc !== now.getUTCHours()) return false
  // A Node replica and the Worker both tick: the second finds this hour's training done, queued (409), or
  // failed (a failed training is not retried: an administrator sees it and asks again).
  const latest = await latestVersion(db)
  const hour = (t: Date) => Math.floor(t.getTime() / 3_600_000)
  if (latest?.trainedAt && hour(new Date(latest.trainedAt)) === hour(now)) return false
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from ${sql.table(`${OUTBOX_SCHEMA}.job`)}
    where name = ${LEARN_QUEUE} and data->>'startedBy' = 'schedule' and created_on > now() - interval '1 hour'`.execute(db)
  if (rows[0]!.n > 0) return false
  try {
    await requestTraining(db, { startedBy: 'schedule' })
    return true
  } catch (error) {
    if (error instanceof AppError && error.status === 409) return false
    throw error
  }
}

/**
 * Makes a kept version (or the shipped model, by its version) the active one: a roll back or forward,
 * audited. This process uses it at once; every other replica and the Worker within a minute.
 */
export async function activateModel(
  db: Db,
  version: string,
  actor: Actor,
  options: { now: () => Date; models?: ActiveModels | undefined },
): Promise<Done<ModelVersion>> {
  const now = options.now()
  const outcome = await db.transaction().execute(async (trx) => {
    // Locked before the version it replaces is read, so the history names the right one.
    await lockActiveVersion(trx)
    const before = await activeVersionId(trx)
    const activated = await activateVersion(trx, version, now)
    if (activated !== 'activated') return activated
    await writeAudit(trx, {
      actor,
      action: 'screening_model',
      from: before ?? 'shipped',
      to: version === shippedModelInfo.version ? 'shipped' : version,
    })
    return activated
  })
  if (outcome === 'missing') throw notFound('Screening model version')
  if (outcome === 'other_base')
    throw new AppError(
      409,
      'conflict',
      'This version was trained on another shipped model than the one running now, so it cannot screen; retrain to build one on this model',
    )
  options.models?.use(version === shippedModelInfo.version ? null : await versionFile(db, version), now)
  return { value: await activeVersion(db), events: [] }
}

export interface ModelsOverview {
  active: ModelVersion
  training: {
    state: TrainingState
    last: { promoted: boolean; reason: string; reasonCode: string; metrics: ModelVersion['metrics'] } | null
  }
  versions: ModelVersion[]
}

/** GET …/screening/models: the active version, where training stands, and the versions kept (listVersions). */
export async function modelsOverview(db: Db): Promise<ModelsOverview> {
  const [active, state, last, versions] = await Promise.all([activeVersion(db), trainingState(db), latestVersion(db), listVersions(db)])
  return {
    active,
    training: {
      state,
      last: last && {
        promoted: last.promoted ?? false,
        reason: last.reason ?? '',
        reasonCode: last.reasonCode ?? '',
        metrics: last.metrics,
      },
    },
    versions,
  }
}
