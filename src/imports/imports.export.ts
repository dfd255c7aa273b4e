import { sql } from 'kysely'
import type { Db } from '../platform/db/database.js'
import { siteSettingsSchema } from '../settings/settings.schema.js'
import { escapeMarkup } from '../platform/lib/markup.js'
import { textToHtml } from './imports.text.js'

export const EXPORT_FORMAT = 'newsroom-comments'
export const EXPORT_VERSION = 1

/**
 * The tables a backup holds, in the order a restore needs them (a row after what it refers to). Readers'
 * respects travel as each comment's count (respect_count): who gave them stays behind.
 */
export const EXPORTED_TABLES = [
  { type: 'setting', table: 'settings', key: 'key' },
  { type: 'article', table: 'articles', key: 'id' },
  { type: 'commenter', table: 'commenters', key: 'id' },
  { type: 'note', table: 'commenter_notes', key: 'id' },
  { type: 'comment', table: 'comments', key: 'id' },
  { type: 'report', table: 'reports', key: 'id' },
  { type: 'action', table: 'moderation_actions', key: 'id' },
] as const

export type Write = (text: string) => Promise<void>

const PAGE = 1000

/** Pages through a table by its key (never one giant select): memory stays flat however big the site. */
async function* keysetPages(db: Db, table: string, key: string): AsyncGenerator<Record<string, unknown>[]> {
  let after: string | null = null
  for (;;) {
    const { rows }: { rows: Record<string, unknown>[] } = await sql<Record<string, unknown>>`
      select * from ${sql.table(table)} ${after === null ? sql`` : sql`where ${sql.ref(key)} > ${after}`}
      order by ${sql.ref(key)} limit ${PAGE}`.execute(db)
    if (rows.length === 0) return
    yield rows
    if (rows.length < PAGE) return
    after = String(rows[rows.length - 1]![key])
  }
}

/**
 * The site rules without what would let a reader of the file act as the site: the SSO secret, the webhook
 * secret, and the classifier address's query string (where a key usually travels).
 */
function withoutSecrets(row: Record<string, unknown>): Record<string, unknown> {
  if (row.key !== 'site') return row
  const parsed = siteSettingsSchema.safeParse(row.value)
  const value: Record<string, unknown> = parsed.success ? { ...parsed.data } : { ...(row.value as object) }
  value.ssoSecret = null
  value.webhookSecret = null
  if (typeof value.externalClassifierUrl === 'string') {
    try {
      const url = new URL(value.externalClassifierUrl)
      value.externalClassifierUrl = `${url.origin}${url.pathname}`
    } catch {
      value.externalClassifierUrl = null
    }
  }
  return { ...row, value }
}

export interface ExportCounts {
  [type: string]: number
}

/** The whole site as JSON lines: a header, then one line per row, each with its `type`. */
export async function exportJsonl(db: Db, write: Write, now = new Date()): Promise<ExportCounts> {
  await write(`${JSON.stringify({ type: 'export', format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: now.toISOString() })}\n`)
  const counts: ExportCounts = {}
  for (const { type, table, key } of EXPORTED_TABLES) {
    counts[type] = 0
    for await (const rows of keysetPages(db, table, key)) {
      let text = ''
      for (const row of rows) {
        const clean = type === 'setting' ? withoutSecrets(row) : row
        // Derived columns (a comment's search words, a commenter's folded name) are made again by the
        // database that restores.
        if (type === 'comment') delete clean.search_words
        if (type === 'commenter') delete clean.search_name
        text += `${JSON.stringify({ type, ...clean })}\n`
      }
      counts[type] += rows.length
      await write(text)
    }
  }
  return counts
}

/** Text in an element or attribute; the control characters XML 1.0 cannot hold at all are dropped. */
const xml = (text: string) => escapeMarkup(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''))
/** CDATA cannot hold "]]>": split it across two sections. */
const cdata = (text: string) => `<![CDATA[${text.replace(/\]\]>/g, ']]]]><![CDATA[>')}]]>`
const iso = (value: unknown) => new Date(value as string).toISOString().replace(/\.\d{3}Z$/, 'Z')

/**
 * A Disqus import file, so a site can leave: every article as a <thread>, every comment as a <post>
 * with its parent. Pending comments are left out (Disqus has no such state); rejected ones go as spam,
 * tombstones as deleted. Emails go with their comments: they are the site's to move.
 */
export async function exportDisqus(db: Db, write: Write, forum = 'comments'): Promise<ExportCounts> {
  await write(
    '<?xml version="1.0" encoding="utf-8"?>\n' +
      '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'xsi:schemaLocation="http://disqus.com/api/schemas/1.0/disqus.xsd http://disqus.com/api/schemas/1.0/disqus-internals.xsd">\n' +
      `  <category dsq:id="1"><forum>${xml(forum)}</forum><title>General</title><isDefault>true</isDefault></category>\n`,
  )
  const counts: ExportCounts = { thread: 0, post: 0 }
  for await (const rows of keysetPages(db, 'articles', 'id')) {
    let text = ''
    for (const a of rows) {
      text +=
        `  <thread dsq:id="${xml(String(a.id))}">\n` +
        `    <id>${xml(String(a.id))}</id>\n    <forum>${xml(forum)}</forum>\n    <category dsq:id="1"/>\n` +
        `    <link>${xml(String(a.url ?? ''))}</link>\n    <title>${xml(String(a.title ?? ''))}</title>\n    <message/>\n` +
        `    <createdAt>${iso(a.created_at)}</createdAt>\n    <isClosed>${a.comments_open ? 'false' : 'true'}</isClosed>\n    <isDeleted>false</isDeleted>\n  </thread>\n`
    }
    counts.thread! += rows.length
    await write(text)
  }
  let after: string | null = null
  for (;;) {
    const rows: {
      id: string
      article_id: string
      parent_id: string | null
      author_name: string
      body: string
      status: string
      deleted: boolean
      created_at: Date
      email: string | null
    }[] = await db
      .selectFrom('comments as c')
      .leftJoin('commenters as m', 'm.id', 'c.commenter_id')
      .select(['c.id', 'c.article_id', 'c.parent_id', 'c.author_name', 'c.body', 'c.status', 'c.deleted', 'c.created_at', 'm.email'])
      .where('c.status', '<>', 'pending')
      .$if(after !== null, (q) => q.where('c.id', '>', after!))
      .orderBy('c.id')
      .limit(PAGE)
      .execute()
    if (rows.length === 0) break
    let text = ''
    for (const c of rows) {
      text +=
        `  <post dsq:id="${xml(c.id)}">\n    <id/>\n    <message>${cdata(textToHtml(c.body))}</message>\n` +
        `    <createdAt>${iso(c.created_at)}</createdAt>\n    <isDeleted>${c.deleted}</isDeleted>\n    <isSpam>${c.status === 'rejected' && !c.deleted}</isSpam>\n` +
        `    <author>\n      <email>${xml(c.email ?? '')}</email>\n      <name>${xml(c.author_name)}</name>\n      <isAnonymous>true</isAnonymous>\n    </author>\n` +
        `    <thread dsq:id="${xml(c.article_id)}"/>\n` +
        (c.parent_id ? `    <parent dsq:id="${xml(c.parent_id)}"/>\n` : '') +
        '  </post>\n'
    }
    counts.post! += rows.length
    await write(text)
    after = rows[rows.length - 1]!.id
    if (rows.length < PAGE) break
  }
  await write('</disqus>\n')
  return counts
}
