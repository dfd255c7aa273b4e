// npm run screening:learn: trains a site screening model from this site's decisions, against DATABASE_URL
// (or the embedded data folder), as the training job does: a training an admin queued is worked here,
// else one is queued and worked. The version is stored and promoted only if it is better; running
// servers and Workers switch to a promoted version within a minute. For Workers-only installs, run it
// nightly from any machine's cron.
import { type Trained, requestTraining, trainingState, workQueuedTraining } from '../moderation/moderation.learning.js'
import { openMigrated } from './cli-db.js'
import { runCli } from './cli-env.js'

const pct = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : `${(x * 100).toFixed(1)}%`)

function report({ version, learned }: Trained) {
  console.log(`[comments] ${version.version}: ${learned.promote ? 'promoted' : 'kept, not promoted'}`)
  console.log(`[comments]   ${learned.reason.message}`)
  for (const [language, counts] of Object.entries(version.examples ?? {})) {
    console.log(
      `[comments]   ${language}: ${counts.abusive} abusive, ${counts.clean} clean (${counts.implicit} of them implicit approvals)`,
    )
  }
  const { before, after } = learned.heldBack
  if (before && after) {
    console.log(
      `[comments]   held back: abuse held ${pct(before.all.recall)} → ${pct(after.all.recall)}, clean published ${pct(before.all.cleanPublished)} → ${pct(after.all.cleanPublished)}`,
    )
  }
  const peak = process.resourceUsage().maxRSS / 1024
  console.log(`[comments]   trained in ${((version.durationMs ?? 0) / 1000).toFixed(1)} s; process peak ${peak.toFixed(0)} MB`)
}

await runCli(async (env) => {
  const { db, close } = await openMigrated(env)
  try {
    if ((await trainingState(db)) === 'running') {
      console.error('[comments] a training is running elsewhere; try again when it has finished')
      return 1
    }
    if ((await trainingState(db)) !== 'queued') await requestTraining(db, { startedBy: 'cli' })
    const trained = await workQueuedTraining(db, { now: () => new Date() })
    if (!trained) {
      console.error('[comments] another process took the queued training')
      return 1
    }
    report(trained)
  } finally {
    await close()
  }
})
