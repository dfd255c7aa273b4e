import { readFileSync } from 'node:fs'
import initSqlJs, { type Database } from 'sql.js'
import { checkArticleId } from './imports.article-id.js'
import { articleIdFromUrl, articleUrl, markupToText, plausibleEmail } from './imports.text.js'
import { type ImportRecord, MalformedFileError, type SourceStatus } from './imports.types.js'

/** Isso's `mode`: 1 published, 2 waiting for a moderator, 4 deleted (kept because others answered it). */
const MODES: Record<number, SourceStatus> = { 1: 'approved', 2: 'pending', 4: 'deleted' }

const NOT_A_DATABASE = "not an Isso database: it should be Isso's SQLite file, with its threads and comments tables"

export interface IssoOptions {
  /** The site's address: Isso keeps pages by path ("/2020/02/idlib/"), and the embed here names them by URL. */
  siteUrl: string | null
}

/** A thread's page: its path on the site when the site's address is known, else the path as Isso kept it. */
function pageOf(uri: string, siteUrl: string | null): { id: string; url: string | null } {
  if (siteUrl && uri.startsWith('/')) {
    const address = new URL(uri, siteUrl).href
    return { id: articleIdFromUrl(address), url: articleUrl(address) }
  }
  return { id: articleIdFromUrl(uri), url: articleUrl(uri) }
}

function open(SQL: Awaited<ReturnType<typeof initSqlJs>>, path: string): Database {
  // A file that cannot be read says so itself; only what is read and is not Isso's is "not a database".
  const bytes = readFileSync(path)
  let db: Database | null = null
  try {
    db = new SQL.Database(bytes)
    // sql.js reads lazily: the first query is what finds out that a file is not a database.
    const tables = db.exec(`select name from sqlite_master where type = 'table' and name in ('threads', 'comments')`)
    if ((tables[0]?.values.length ?? 0) < 2) throw new Error('missing tables')
    return db
  } catch {
    db?.close()
    throw new MalformedFileError(1, NOT_A_DATABASE)
  }
}

/**
 * Reads Isso's own database with sql.js (SQLite compiled to WebAssembly: nothing native to build). The
 * file is loaded whole, as SQLite needs, and its rows are handed on one at a time in the order Isso wrote
 * them, so parents mostly come before their replies. A row's "line" is its id in Isso. Votes
 * (likes, dislikes, voters), addresses, websites and reply notifications stay behind.
 */
export function readIsso(
  path: string,
  options: IssoOptions,
): { records: AsyncGenerator<ImportRecord>; progress: () => { done: number; total: number } } {
  let done = 0
  let total = 0
  async function* records(): AsyncGenerator<ImportRecord> {
    const SQL = await initSqlJs()
    const db = open(SQL, path)
    try {
      total = Number(db.exec('select count(*) from comments')[0]?.values[0]?.[0] ?? 0)
      /** Isso's thread id → our article id (null for a thread whose id is not usable): a few bytes a thread. */
      const articles = new Map<number, string | null>()
      const threads = db.prepare('select id, uri, title from threads order by id')
      try {
        while (threads.step()) {
          const [id, uri, title] = threads.get() as [number, string | null, string | null]
          const page = pageOf(String(uri ?? ''), options.siteUrl)
          const checked = checkArticleId(page.id)
          if ('reason' in checked) {
            articles.set(id, null)
            yield { kind: 'bad', line: id, reason: `thread ${id}: ${checked.reason}` }
            continue
          }
          articles.set(id, checked.id)
          yield {
            kind: 'article',
            id: checked.id,
            sourceId: String(uri),
            url: page.url,
            title: title?.trim() || null,
            createdAt: null,
            closed: false,
            line: id,
          }
        }
      } finally {
        threads.free()
      }

      const comments = db.prepare('select tid, id, parent, created, mode, text, author, email from comments order by id')
      try {
        while (comments.step()) {
          done++
          const [tid, id, parent, created, mode, text, author, email] = comments.get() as [
            number,
            number,
            number | null,
            number | null,
            number,
            string | null,
            string | null,
            string | null,
          ]
          const line = id
          const articleId = articles.get(tid)
          if (articleId === null) continue // its thread was reported once, above
          if (articleId === undefined) {
            yield { kind: 'bad', line, reason: `comment ${id} belongs to thread ${tid}, which is not in the database` }
            continue
          }
          const status = MODES[mode]
          if (!status) {
            yield { kind: 'bad', line, reason: `comment ${id} has an unknown mode ${mode}` }
            continue
          }
          const createdAt = new Date((created ?? Number.NaN) * 1000)
          if (Number.isNaN(createdAt.getTime())) {
            yield { kind: 'bad', line, reason: `comment ${id} has no valid date` }
            continue
          }
          const body = status === 'deleted' ? '' : markupToText(text ?? '')
          if (body === '' && status !== 'deleted') {
            yield { kind: 'bad', line, reason: `comment ${id} is empty` }
            continue
          }
          yield {
            kind: 'comment',
            sourceId: String(id),
            articleId,
            parentSourceId: parent === null ? null : String(parent),
            authorName: author?.trim() || 'Anonymous',
            authorEmail: plausibleEmail(email),
            body,
            createdAt,
            status,
            line,
          }
        }
      } finally {
        comments.free()
      }
    } finally {
      db.close()
    }
  }
  return { records: records(), progress: () => ({ done, total }) }
}
