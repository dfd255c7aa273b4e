import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i)).join('')

/**
 * Letters folded to the form a moderator types, as the screening normaliser folds them: Arabic hamza and
 * alef variants, alef maksura, taa marbuta, Persian yeh and kaf, Eastern digits, and accented Latin
 * letters (upper case too, since lower() leaves them alone under the C locale PGlite runs in).
 */
const FOLDS: [string, string][] = [
  ['ٱأإآ', 'اااا'],
  ['ىیئ', 'ييي'],
  ['ة', 'ه'],
  ['ک', 'ك'],
  ['ؤ', 'و'],
  [range(0x0660, 0x0669) + range(0x06f0, 0x06f9), '0123456789'.repeat(2)],
  ['àáâãäåāÀÁÂÃÄÅĀ', 'aaaaaaaaaaaaaa'],
  ['çćčÇĆČ', 'cccccc'],
  ['èéêëēęÈÉÊËĒĘ', 'eeeeeeeeeeee'],
  ['ìíîïīıÌÍÎÏĪİ', 'iiiiiiiiiiii'],
  ['ñńÑŃ', 'nnnn'],
  ['òóôõöøōÒÓÔÕÖØŌ', 'oooooooooooooo'],
  ['ùúûüūÙÚÛÜŪ', 'uuuuuuuuuu'],
  ['ýÿÝŸ', 'yyyy'],
  ['śšşŚŠŞ', 'ssssss'],
  ['źżžŹŻŽ', 'zzzzzz'],
  ['łŁđĐğĞ', 'llddgg'],
]

/** Removed: Arabic tashkeel, Quranic marks and tatweel; zero-width and bidi controls, soft hyphen, BOM. */
const DROPPED =
  range(0x0610, 0x061a) + range(0x064b, 0x065f) + '\u0670' + range(0x06d6, 0x06ed) + '\u0640' +
  '\u00ad\u034f\u061c\u180e' + range(0x200b, 0x200f) + range(0x202a, 0x202e) + range(0x2060, 0x206f) + '\ufeff' + range(0xfe00, 0xfe0f)

export async function up(db: Kysely<any>): Promise<void> {
  // Trusted since PostgreSQL 13: the database's owner may create it. PGlite loads it in src/db/pglite.ts.
  await sql`create extension if not exists pg_trgm`.execute(db)

  const from = FOLDS.map(([f]) => f).join('') + DROPPED
  const to = FOLDS.map(([, t]) => t).join('')
  if ([...FOLDS.map(([f]) => f).join('')].length !== [...to].length) throw new Error('search folds: lengths differ')
  // One SQL function both the indexes and the queries call, so a typed word and a stored word are
  // folded alike. Immutable (it depends on nothing but its argument), so indexes may use it; plain SQL,
  // so the planner inlines it and matches the index expressions.
  await sql
    .raw(
      `create function nc_search_text(value text) returns text language sql immutable parallel safe strict as $$
        select replace(replace(replace(translate(lower(value), '${from}', '${to}'), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe')
      $$`,
    )
    .execute(db)

  // Words in comments: the 'simple' configuration (no stemming, no stop words) serves Arabic and English
  // alike. An expression index, so no column is added to every comment row the app reads.
  await sql`create index comments_search_body on comments using gin (to_tsvector('simple'::regconfig, nc_search_text(body)))`.execute(db)
  // Fragments of names, emails and article titles: trigrams answer '%fragment%' from an index.
  await sql`create index comments_search_author on comments using gin (nc_search_text(author_name) gin_trgm_ops)`.execute(db)
  await sql`create index commenters_search_email on commenters using gin (email_normalized gin_trgm_ops)`.execute(db)
  await sql`create index articles_search_title on articles using gin (nc_search_text(coalesce(title, '')) gin_trgm_ops)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists articles_search_title`.execute(db)
  await sql`drop index if exists commenters_search_email`.execute(db)
  await sql`drop index if exists comments_search_author`.execute(db)
  await sql`drop index if exists comments_search_body`.execute(db)
  await sql`drop function if exists nc_search_text(text)`.execute(db)
  // The extension stays: another part of the database may have come to use it.
}
