import { basename } from 'node:path'
import type { Db } from '../platform/db/database.js'
import { restoreBackup } from './imports.backup.js'
import { parseCommento } from './imports.commento.js'
import { parseDisqus } from './imports.disqus.js'
import { headText, openText } from './imports.file.js'
import { readIsso } from './imports.isso.js'
import { parseJsonl } from './imports.jsonl.js'
import { parseRemark42 } from './imports.remark42.js'
import { markAbandonedImports, recordImportEnd, recordImportStart, touchImport } from './imports.repository.js'
import { formatHint, sniffFormat } from './imports.sniff.js'
import { emptySummary, type ImportOptions, type ImportSummary, runImport } from './imports.writer.js'
import { type Format, type ImportRecord, RefusedError, type TextChunks } from './imports.types.js'
import { parseWordpress } from './imports.wordpress.js'

export { FORMATS, type Format } from './imports.types.js'

const LINE_PARSERS: Record<'disqus' | 'wordpress' | 'jsonl' | 'remark42', (chunks: TextChunks) => AsyncIterable<ImportRecord>> = {
  disqus: parseDisqus,
  wordpress: parseWordpress,
  jsonl: parseJsonl,
  remark42: parseRemark42,
}

/** What a source hands the writer, and how far through it the reading is (bytes, or rows for a database). */
interface Source {
  records: AsyncIterable<ImportRecord>
  progress: () => { done: number; total: number }
}

function openSource(format: Exclude<Format, 'backup'>, path: string, siteUrl: string | null): Source {
  if (format === 'isso') return readIsso(path, { siteUrl })
  const file = openText(path)
  const records = format === 'commento' ? parseCommento(file.chunks, () => openText(path).chunks) : LINE_PARSERS[format](file.chunks)
  return { records, progress: () => ({ done: file.bytesRead(), total: file.size }) }
}

export interface FileImportOptions extends Omit<ImportOptions, 'source'> {
  source?: string
  /** Restore a backup over a database that already has comments. */
  force?: boolean
  /** The site's address, for sources that keep only paths (Isso): "/2020/idlib/" becomes its URL there. */
  siteUrl?: string | null
  /** How far the reading is: bytes of the file, or rows of a database. */
  onProgress?: (done: number, total: number) => void
}

export type FileImportResult = { ok: true; summary: ImportSummary } | { ok: false; summary: ImportSummary; error: string }

/** A file in which nothing at all could be read: a run that "succeeds" at that only hides the mistake. */
class NothingToImport extends Error {
  override name = 'NothingToImport'
}

const readNothing = (s: ImportSummary) =>
  s.stoppedAt === 'end' && s.articles.read === 0 && s.comments.read === 0 && Object.keys(s.skipped).length === 0

/**
 * One import of one file, recorded in the imports table (a dry run writes nothing, not even that): the row
 * says "running" from the start, so a run that died shows as such; it ends done, failed or interrupted.
 */
export async function importFile(db: Db, format: Format, path: string, options: FileImportOptions = {}): Promise<FileImportResult> {
  const source = options.source ?? format
  const backup = format === 'backup' ? openText(path) : null
  const input = format === 'backup' ? null : openSource(format, path, options.siteUrl ?? null)
  const progress = backup ? () => ({ done: backup.bytesRead(), total: backup.size }) : input!.progress
  // A run killed hard before (no end recorded, silent for minutes) is marked interrupted first.
  if (!options.dryRun) await markAbandonedImports(db, new Date())
  const runId = options.dryRun ? null : await recordImportStart(db, { format, source, file: basename(path) })
  const summary: ImportSummary = emptySummary()
  let beat = Date.now()
  const onBatch = async (s: ImportSummary) => {
    options.onBatch?.(s)
    const { done, total } = progress()
    options.onProgress?.(done, total)
    if (runId && Date.now() - beat > 15_000) {
      beat = Date.now()
      await touchImport(db, runId, countsOf(s))
    }
  }
  try {
    if (backup) {
      await restoreBackup(db, backup.chunks, () => openText(path).chunks, { ...options, summary, onBatch })
    } else {
      await runImport(db, input!.records, { ...options, source, summary, onBatch })
      if (readNothing(summary)) {
        throw new NothingToImport(
          `nothing to import: no comment or article could be read from the file${summary.bad > 0 ? ` (${summary.bad} bad rows)` : ''}`,
        )
      }
    }
    const { total } = progress()
    options.onProgress?.(total, total)
    if (runId)
      await recordImportEnd(db, runId, { status: summary.stoppedAt === 'interrupted' ? 'interrupted' : 'done', counts: countsOf(summary) })
    return { ok: true, summary }
  } catch (error) {
    const message = withHint(error, format, path)
    if (runId) await recordImportEnd(db, runId, { status: 'failed', counts: countsOf(summary), error: message })
    return { ok: false, summary, error: message }
  }
}

/** The failure, and which command to run instead when the file is recognisably in another format. */
function withHint(error: unknown, format: Format, path: string): string {
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof RefusedError) return message
  let hint: string | null = null
  try {
    hint = formatHint(format, sniffFormat(headText(path)))
  } catch {
    // A file that cannot be read again says nothing more.
  }
  return hint ? `${message}; ${hint}` : message
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
