import type { AnyDb, Db } from '../platform/db/database.js'
import { type Log, errorFields, silentLog } from '../platform/ops/ops.log.js'
import { startOutboxWorker } from '../platform/jobs/jobs.outbox.js'
import type { ActiveModels } from '../screening/screening.active.js'
import type { LearnInput, LearnResult } from '../screening/screening.site-learn.js'
import { learnInThread } from './moderation.learning-thread.js'
import { LEARN_QUEUE, LEARN_TICK_QUEUE, type LearnJob, nightlyTick, trainSiteVersion } from './moderation.learning.js'

export interface LearningWorker {
  stop(): Promise<void>
}

export async function startLearningWorker(
  db: AnyDb,
  options: {
    models: ActiveModels
    now: () => Date
    pollSeconds: number
    log?: Log
    /** Where a training runs: a worker thread, so the server keeps answering meanwhile. */
    learn?: (input: LearnInput) => Promise<LearnResult>
  },
): Promise<LearningWorker> {
  const log = options.log ?? silentLog
  const boss = await startOutboxWorker(db, 'screening training queue', { schedule: true })
  await boss.work<LearnJob>(LEARN_QUEUE, { pollingIntervalSeconds: options.pollSeconds, batchSize: 1 }, async ([job]) => {
    if (!job) return
    let trained: Awaited<ReturnType<typeof trainSiteVersion>>
    try {
      trained = await trainSiteVersion(db as Db, { ...options, learn: options.learn ?? learnInThread, startedBy: job.data.startedBy })
    } catch (error) {
      // pg-boss marks the job failed and says nothing: the workspace sends the admin here to read why.
      log.error({ job: LEARN_QUEUE, id: job.id, ...errorFields(error) }, 'the screening training failed')
      throw error
    }
    const { version, learned } = trained
    // One line per job, as the other workers log theirs: what was trained and whether it replaced the active model.
    log.info({
      job: LEARN_QUEUE,
      id: job.id,
      version: version.version,
      promoted: learned.promote,
      reason: learned.reason.code,
      ms: version.durationMs,
    })
    return { version: version.version, promoted: learned.promote }
  })
  await boss.schedule(LEARN_TICK_QUEUE, '0 * * * *', {}, { tz: 'UTC' })
  await boss.work(LEARN_TICK_QUEUE, { pollingIntervalSeconds: 30 }, () => nightlyTick(db as Db, options.now()))
  return { stop: () => boss.stop({ graceful: true, wait: true, timeout: 5000 }) }
}
