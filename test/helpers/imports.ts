// What the import tests share: their fixtures, the public list as a reader gets it, and table counts.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import initSqlJs from 'sql.js'
import { expect } from 'vitest'
import type { TestApp } from './test-app.js'

export const fixture = (name: string) => join(process.cwd(), 'test/fixtures/imports', name)

export interface PublicComment {
  id: string
  body: string
  authorName: string
  parentId: string | null
  createdAt: string
  deleted: boolean
  links?: { href: string }[]
  replies: { body: string; authorName: string; parentId: string | null; deleted: boolean; links?: { href: string }[] }[]
}

/** A fresh replica each time: the app's public cache may answer from memory for a moment after a write. */
export async function publicList(t: TestApp, articleId: string) {
  const response = await t.replica().request(`/api/v1/articles/${encodeURIComponent(articleId)}/comments?sort=oldest&limit=100`)
  expect(response.status).toBe(200)
  return (await response.json()) as {
    article: { id: string; url: string | null; title: string | null; commentsOpen: boolean; commentCount: number }
    comments: PublicComment[]
  }
}

export async function tableCounts(t: TestApp) {
  const count = async (table: 'comments' | 'articles' | 'commenters') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return { comments: await count('comments'), articles: await count('articles'), commenters: await count('commenters') }
}

/** Isso's database, built from the SQL script in the fixtures with the same sql.js the importer reads it with. */
export async function buildIssoDatabase(path: string, script = fixture('levant.isso.sql')) {
  const SQL = await initSqlJs()
  const db = new SQL.Database()
  try {
    db.exec(readFileSync(script, 'utf8'))
    writeFileSync(path, db.export())
  } finally {
    db.close()
  }
}

/** Bytes that are no format at all, the same on every run (xorshift from a fixed seed). */
export function randomBytes(length: number, seed = 0x2545f491): Buffer {
  const out = Buffer.alloc(length)
  let x = seed >>> 0
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    out[i] = x & 0xff
  }
  return out
}
