import { basename } from 'node:path'
import type { Db } from '../db/database.js'
import { restoreBackup } from './imports.backup.js'
import { parseDisqus } from './imports.disqus.js'
import { openText } from './imports.file.js'
import { parseJsonl } from './imports.jsonl.js'
import { recordImportEnd, recordImportStart } from './imports.repository.js'
import { emptySummary, type ImportOptions, type ImportSummary, runImport } from './imports.writer.js'
import type { ImportRecord, TextChunks } from './imports.types.js'
import { parseWordpress } from './imports.wordpress.js'

export const FORMATS = ['disqus', 'wordpress', 'jsonl', 'backup'] as const
export type Format = (typeof FORMATS)[number]

const PARSERS: Record<Exclude<Format, 'backup'>, (chunks: TextChunks) => AsyncIterable<ImportRecord>> = {
  disqus: parseDisqus,
  wordpress: parseWordpress,
  jsonl: parseJsonl,
}

export interface FileImportOptions extends Omit<ImportOptions, 'source'> {
  source?: string
  /** Restore a backup over a database that already has comments. */
  force?: boolean
  onBytes?: (read: number, size: number) => void
}

export type FileImportResult =
  | { ok: true; summary: ImportSummary }
  | { ok: false; summary: ImportSummary; error: string }

/**
 * One import of one file, recorded in the imports table (unless a dry run): the table row says
 * "running" from the start, so a run that died shows as such; it ends done, failed or interrupted.
 */
export async function importFile(db: Db, format: Format, path: string, options: FileImportOptions = {}): Promise<FileImportResult> {
  const source = options.source ?? format
  const file = openText(path)
  const runId = options.dryRun ? null : await recordImportStart(db, { format, source, file: basename(path) })
  const summary: ImportSummary = emptySummary()
  const onBatch = (s: ImportSummary) => {
    options.onBatch?.(s)
    options.onBytes?.(file.bytesRead(), file.size)
  }
  try {
    if (format === 'backup') {
      await restoreBackup(db, file.chunks, () => openText(path).chunks, { ...options, summary, onBatch })
    } else {
      await runImport(db, PARSERS[format](file.chunks), { ...options, source, summary, onBatch })
    }
    options.onBytes?.(file.size, file.size)
    if (runId) await recordImportEnd(db, runId, { status: summary.stoppedAt === 'interrupted' ? 'interrupted' : 'done', counts: countsOf(summary) })
    return { ok: true, summary }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (runId) await recordImportEnd(db, runId, { status: 'failed', counts: countsOf(summary), error: message })
    return { ok: false, summary, error: message }
  }
}

/** What the moderators' page shows of a run. */
export function countsOf(s: ImportSummary): Record<string, unknown> {
  return {
    articles: s.articles.added,
    comments: s.comments.added,
    alreadyPresent: s.comments.alreadyPresent,
    byStatus: s.comments.byStatus,
    commenters: s.commenters.added,
    orphans: s.orphans,
    bad: s.bad,
    skipped: s.skipped,
  }
}
