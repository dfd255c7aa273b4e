import { benchScreening } from './screening.js'
import type { Db } from '../src/db/database.js'
import type { LoadResult } from './autocannon.js'

export interface BenchContext {
  db: Db
  app: { request(path: string, init?: RequestInit): Response | Promise<Response> }
  serverUrl: string
  articleId: string
  seconds: number
  warmup: number
  readResult: LoadResult
}

/** Measurements beyond the read and write paths; each prints its own line. */
export async function extraBenchmarks(_context: BenchContext): Promise<void> {
  const screening = benchScreening()
  console.log(`screening p50_us=${screening.p50us} p99_us=${screening.p99us} (built-in rules, 2,000-entry banned and suspect lists, ${screening.comments} comments)`)
}
