import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i)).join('')

/**
 * Letters folded to the form a moderator types, as the screening normaliser folds them: Arabic hamza and
 * alef variants, alef maksura, taa marbuta, Persian yeh and kaf, Eastern digits; and accented Latin
 * letters (upper case too, since lower() leaves them alone under the C locale PGlite runs in).
 */
const ARABIC_FOLDS: [string, string] = [`ٱأإآىیئةکؤ${range(0x0660, 0x0669)}${range(0x06f0, 0x06f9)}`, `اااايييهكو${'0123456789'.repeat(2)}`]
const LATIN_FOLDS: [string, string] = [
  'àáâãäåāçćčèéêëēęìíîïīıñńòóôõöøōùúûüūýÿśšşźżžłđğ' + 'ÀÁÂÃÄÅĀÇĆČÈÉÊËĒĘÌÍÎÏĪİÑŃÒÓÔÕÖØŌÙÚÛÜŪÝŸŚŠŞŹŻŽŁĐĞ',
  'aaaaaaaccceeeeeeiiiiiinnooooooouuuuuyyssszzzldg'.repeat(2),
]

/** Removed: Arabic tashkeel, Quranic marks and tatweel; zero-width and bidi controls, soft hyphen, BOM. */
const DROPPED =
  range(0x0610, 0x061a) +
  range(0x064b, 0x065f) +
  '\u0670' +
  range(0x06d6, 0x06ed) +
  '\u0640' +
  '\u00ad\u034f\u061c\u180e' +
  range(0x200b, 0x200f) +
  range(0x202a, 0x202e) +
  range(0x2060, 0x206f) +
  '\ufeff' +
  range(0xfe00, 0xfe0f)

export async function up(db: Kysely<any>): Promise<void> {
  // Trusted since PostgreSQL 13: the database's owner may create it. PGlite loads it in src/platform/db/pglite.ts.
  await sql`create extension if not exists pg_trgm`.execute(db)

  for (const [from, to] of [ARABIC_FOLDS, LATIN_FOLDS])
    if ([...from].length !== [...to].length) throw new Error(`search folds: ${from} and ${to} differ in length`)
  // One SQL function both the indexes and the queries call, so a typed word and a stored word are folded
  // alike. Immutable (it depends on nothing but its argument), so indexes may use it. translate() costs
  // a scan of its whole list for every character, so each step runs only on text that needs it: most
  // text is plain ASCII and is only lower-cased.
  await sql
    .raw(
      `create function nc_search_text(value text) returns text language plpgsql immutable parallel safe strict as $$
      declare
        folded text := lower(value);
      begin
        if folded !~ '[^\\x01-\\x7f]' then
          return folded;
        end if;
        if folded ~ '[${DROPPED}]' then
          folded := regexp_replace(folded, '[${DROPPED}]', '', 'g');
        end if;
        if folded ~ '[\\u0621-\\u06ff]' then
          folded := translate(folded, '${ARABIC_FOLDS[0]}', '${ARABIC_FOLDS[1]}');
        end if;
        if folded ~ '[\\u00c0-\\u024f]' then
          folded := replace(replace(replace(translate(folded, '${LATIN_FOLDS[0]}', '${LATIN_FOLDS[1]}'), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe');
        end if;
        return folded;
      end
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
