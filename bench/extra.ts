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

/** Measurements added by later features (screening, scale, widget); each prints its own line. */
export async function extraBenchmarks(_context: BenchContext): Promise<void> {}
