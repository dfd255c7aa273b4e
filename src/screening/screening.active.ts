// The site model this process screens with. Read from PostgreSQL on first use, then its version checked at
// most once a minute (one indexed row): a version promoted or activated elsewhere reaches every replica
// and the Worker within that minute, and the process that made the change uses it at once (`use`).
import type { Executor } from '../platform/db/database.js'
import { type LoadedSiteModel, type SiteModelFile, SiteModelMismatch, loadSiteModel } from './screening.site-model.js'
import { shippedModel } from './screening.shipped-model.js'
import { activeVersionId, versionFile } from './screening.versions.js'

/** How long a replica trusts the version it loaded before asking the database again. */
export const ACTIVE_CHECK_MS = 60_000

export interface ActiveModels {
  /** The active site model, or null while the shipped model screens alone. */
  current(db: Executor, now: Date): Promise<LoadedSiteModel | null>
  /** Switches at once (this process promoted or activated it); null returns to the shipped model. */
  use(file: SiteModelFile | null, now: Date): void
}

function loaded(file: SiteModelFile | null): LoadedSiteModel | null {
  if (!file) return null
  try {
    return loadSiteModel(file, shippedModel())
  } catch (error) {
    // Stacked on another shipped model (a deploy changed it), or a row that no longer loads: the shipped
    // model screens until a retrain. Posting never fails for it, and the version is not read again.
    const why = error instanceof SiteModelMismatch ? error.message : `version ${file.version} does not load: ${(error as Error).message}`
    console.warn(`[comments] screening: ${why}`)
    return null
  }
}

export function activeModels(checkEveryMs = ACTIVE_CHECK_MS): ActiveModels {
  type State = { version: string | null; model: LoadedSiteModel | null }
  let state: State | null = null
  let checkedAt = Number.NEGATIVE_INFINITY
  /** Counts `use` calls: a check that started before one read the database before that change. */
  let generation = 0
  /** Checks started, and the newest applied: an older check that ends later is not applied over it. */
  let started = 0
  let applied = 0
  /** The last version loaded: concurrent checks that all read a new version build its weights once. */
  let lastLoaded: State | null = null

  return {
    async current(db, now) {
      if (state && now.getTime() - checkedAt < checkEveryMs) return state.model
      // Each request checks for itself (one indexed row; a version file only when it changed): a promise
      // shared between requests would tie them to the one that started it, and Workers cancel its I/O with
      // that request.
      const check = ++started
      const startedAt = generation
      const version = await activeVersionId(db)
      let next = state?.version === version ? state : null
      if (!next) {
        const file = version ? await versionFile(db, version) : null
        next = lastLoaded?.version === version ? lastLoaded : { version, model: loaded(file) }
        lastLoaded = next
      }
      // This process switched while the check ran, or a newer check has answered: theirs is newer.
      if ((generation !== startedAt || check < applied) && state) return state.model
      applied = check
      state = next
      checkedAt = now.getTime()
      return state.model
    },
    use(file, now) {
      generation++
      state = { version: file?.version ?? null, model: loaded(file) }
      lastLoaded = state
      checkedAt = now.getTime()
    },
  }
}
