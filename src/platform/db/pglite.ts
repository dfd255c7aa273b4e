import { PGlite, type PGliteOptions } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'

/**
 * Every embedded database is opened here, so each has the extensions the migrations expect: moderator
 * search (issue 16) indexes names and emails with pg_trgm, which PGlite ships but loads only when asked.
 */
export function createPglite(dataDir?: string, options: PGliteOptions = {}): Promise<PGlite> {
  return PGlite.create({ ...options, ...(dataDir ? { dataDir } : {}), extensions: { ...options.extensions, pg_trgm } })
}
