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
    // Stacked on another shipped model (a deploy changed it): the shipped model screens until a retrain.
    if (error instanceof SiteModelMismatch) {
      console.warn(`[comments] screening: ${error.message}`)
      return null
    }
    throw error
  }
}

export function activeModels(checkEveryMs = ACTIVE_CHECK_MS): ActiveModels {
  let state: { version: string | null; model: LoadedSiteModel | null } | null = null
  let checkedAt = Number.NEGATIVE_INFINITY
  let checking: Promise<LoadedSiteModel | null> | null = null

  async function check(db: Executor, now: Date): Promise<LoadedSiteModel | null> {
    const version = await activeVersionId(db)
    if (!state || state.version !== version) state = { version, model: loaded(version ? await versionFile(db, version) : null) }
    checkedAt = now.getTime()
    return state.model
  }

  return {
    async current(db, now) {
      if (state && now.getTime() - checkedAt < checkEveryMs) return state.model
      // Concurrent requests share one check.
      checking ??= check(db, now).finally(() => {
        checking = null
      })
      return checking
    },
    use(file, now) {
      state = { version: file?.version ?? null, model: loaded(file) }
      checkedAt = now.getTime()
    },
  }
}
