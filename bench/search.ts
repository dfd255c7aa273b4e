// Moderator search at scale (issue 16): a million comments in words of English and Arabic, by a hundred
// thousand commenters over two thousand articles, made by one INSERT … SELECT generate_series, in a schema
// of their own (dropped afterwards) so the database the bench runs on keeps none of them. Prints
//   search rows=1000000 p50_ms=… p99_ms=…
// Alone: `npx tsx bench/search.ts` (DATABASE_URL for PostgreSQL; SEARCH_ROWS to change the count).
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import type { Database, Db } from '../src/platform/db/database.js'
import { type SearchQuery, searchComments, searchQuerySchema } from '../src/moderation/moderation.search.js'

const ENGLISH = `the of and to a in is that for it on was with as this be by are at not have from but they his
government people minister said would report water city police year their aid convoy north border election
vote budget tax school hospital doctor children war peace village road bridge flood rain storm fire army
court judge law parliament president market price fuel bread farmers workers strike union protest truth lie
story reporter newspaper article comment thank question answer figure official statement ministry council
mayor street family mother father home house rent winter summer morning night today tomorrow yesterday
refugees camp food medicine electricity internet phone journalist photo video evidence corruption money bank`.split(/\s+/)

const ARABIC = `في من على إلى أن عن مع هذا التي الذي كان قال بين بعد قبل كل الحكومة الوزير الشعب المدينة الشرطة
القافلة المساعدات الحدود الانتخابات الميزانية الضرائب المدرسة المستشفى الأطفال الحرب السلام القرية الطريق
الجسر الفيضان المطر العاصفة الجيش المحكمة القانون البرلمان الرئيس السوق الأسعار الوقود الخبز المزارعين
العمال الإضراب الاحتجاج الحقيقة الكذب الصحفي المقال التعليق شكرا السؤال الجواب الوزارة البلدية العائلة
الأم البيت الإيجار الشتاء الصيف الصباح الليل اليوم غدا أمس اللاجئين المخيم الطعام الدواء الكهرباء حلب
دمشق إدلب بيروت عمان القاهرة غزة الموصل`.split(/\s+/)

/** Syllables of rare words (places, surnames): 8,000 of them, each in a few dozen comments. */
const SYLLABLES = 'ka ro mi ten bal sur dor fen gal hin jor kel lam nar pol quin rav sel tor vin'.split(' ')

const FIRST =
  'James Mary Ahmed Fatima Mohammed Layla Omar Sara John Anna Khaled Huda Peter Nour David Rania Youssef Emma Ali Mariam Daniel Amal Hassan Lucy'.split(
    ' ',
  )
const LAST =
  'Smith Haddad Khoury Brown Nasser Jones Saleh Taylor Mansour Wilson Azzam Davies Hamdan Evans Karimi Thomas Rahman Roberts Aziz Walker'.split(
    ' ',
  )
const FIRST_AR = 'أحمد فاطمة محمد ليلى عمر سارة خالد هدى نور رانيا يوسف علي مريم أمل حسن'.split(' ')
const LAST_AR = 'حداد خوري ناصر صالح منصور عزام حمدان كريمي رحمن عزيز'.split(' ')
const DOMAINS = 'gmail.com yahoo.com hotmail.com outlook.com example.org mail.sy newsdesk.net'.split(' ')

const arr = (words: string[]) => sql.raw(`(array[${words.map((w) => `'${w}'`).join(',')}]::text[])`)

/** The tables search reads, empty and without indexes, in `schema`; the app's indexes come after the rows. */
export async function createTables(db: Db, schema: string) {
  await sql.raw(`create schema ${schema}`).execute(db)
  for (const table of ['articles', 'commenters', 'comments']) {
    await sql
      .raw(`create table ${schema}.${table} (like public.${table} including defaults including constraints including generated)`)
      .execute(db)
  }
}

export async function copyIndexes(db: Db, schema: string) {
  const { rows } = await sql<{ indexdef: string }>`
    select indexdef from pg_indexes where schemaname = 'public' and tablename in ('articles', 'commenters', 'comments')`.execute(db)
  for (const { indexdef } of rows) {
    await sql.raw(indexdef.replace(/ ON public\./, ` ON ${schema}.`).replace(/INDEX (\S+) ON/, `INDEX ${schema}_$1 ON`)).execute(db)
  }
}

export async function seed(db: Db, schema: string, rows: number) {
  const articles = 2000
  const commenters = Math.max(100, Math.round(rows / 10))
  await sql`
    insert into ${sql.table(`${schema}.articles`)} (id, title, url)
    select 'article-' || i, initcap(${arr(ENGLISH)}[1 + (i * 7) % ${ENGLISH.length}] || ' ' || ${arr(ENGLISH)}[1 + (i * 13) % ${ENGLISH.length}]) || ' in ' || ${arr(SYLLABLES)}[1 + i % 20] || ${arr(SYLLABLES)}[1 + (i / 20) % 20],
           'https://news.example/' || i
    from generate_series(1, ${articles}) i`.execute(db)
  // A third of commenters write in Arabic under Arabic names; emails are Latin either way.
  await sql`
    insert into ${sql.table(`${schema}.commenters`)} (id, kind, name, email, email_normalized, email_canonical)
    select 'p' || i, 'guest', name, email, email, email from (
      select i,
        case when i % 3 = 0 then ${arr(FIRST_AR)}[1 + i % ${FIRST_AR.length}] || ' ' || ${arr(LAST_AR)}[1 + (i / 7) % ${LAST_AR.length}]
             else ${arr(FIRST)}[1 + i % ${FIRST.length}] || ' ' || ${arr(LAST)}[1 + (i / 7) % ${LAST.length}] end as name,
        lower(${arr(FIRST)}[1 + (i * 3) % ${FIRST.length}]) || '.' || lower(${arr(LAST)}[1 + (i / 5) % ${LAST.length}]) || i || '@' || ${arr(DOMAINS)}[1 + i % ${DOMAINS.length}] as email
      from generate_series(1, ${commenters}) i) p`.execute(db)
  // Words by a skewed draw (random()^2: a few words in most comments, most words in few), a rare word
  // in a third of comments, and Arabic comments sometimes written with tatweel and tashkeel.
  await sql`
    insert into ${sql.table(`${schema}.comments`)} (id, article_id, commenter_id, author_name, body, status, flagged, featured, open_reports, risk, created_at, updated_at)
    select lpad(i::text, 26, '0'), 'article-' || (1 + (i::bigint * 7919) % ${articles}), 'p' || p, p_name, body,
      case when i % 10 < 7 then 'approved' when i % 10 < 9 then 'pending' else 'rejected' end,
      i % 10 in (7, 8) and i % 7 = 0, i % 10 < 7 and i % 97 = 0, case when i % 10 < 7 and i % 53 = 0 then 1 else 0 end,
      random(), now() - make_interval(secs => ${rows} - i), now()
    from (
      select i, 1 + (i::bigint * 104729) % ${commenters} as p,
        (select string_agg(case when arabic and w > 0 then replace(${arr(ARABIC)}[1 + floor(power(random(), 2) * ${ARABIC.length})::int], 'ل', case when random() < 0.05 then 'لـ' else 'ل' end)
                                else ${arr(ENGLISH)}[1 + floor(power(random(), 2) * ${ENGLISH.length})::int] end, ' ')
           || case when random() < 0.33 then ' ' || ${arr(SYLLABLES)}[1 + floor(random() * 20)::int] || ${arr(SYLLABLES)}[1 + floor(random() * 20)::int] || ${arr(SYLLABLES)}[1 + floor(random() * 20)::int] else '' end
         from generate_series(1, 6 + (i % 19)) w) as body
      from (select i, (i % 3 = 0) as arabic from generate_series(1, ${rows}) i) g
    ) c
    join (select id as p_id, name as p_name from ${sql.table(`${schema}.commenters`)}) n on n.p_id = 'p' || c.p`.execute(db)
}

/** Searches of every kind a moderator makes: common, middling and rare words, phrases, names, emails. */
export function searches(): SearchQuery[] {
  const rare = (n: number) => SYLLABLES[n % 20]! + SYLLABLES[(n * 7) % 20]! + SYLLABLES[(n * 13) % 20]!
  const kinds: Record<string, unknown>[] = []
  for (let n = 0; n < 20; n++) {
    kinds.push(
      { q: ENGLISH[(n * 11) % ENGLISH.length] }, // any English word, common or not
      { q: ARABIC[(n * 7) % ARABIC.length]!.replace('ا', 'أ') }, // an Arabic word, typed with a different alef
      { q: rare(n) },
      { q: `"${ENGLISH[30 + n]} ${ENGLISH[31 + n]}"` }, // a phrase of two words of middling frequency
      { q: LAST[n % LAST.length]!.slice(1, 5).toLowerCase() }, // a fragment of a name
      { q: FIRST[n % FIRST.length]!.slice(0, 3).toLowerCase() }, // the start of a common first name ("ali")
      { q: `${LAST[n % LAST.length]!.toLowerCase()}${n * 37}@` }, // a fragment of an email
      { q: DOMAINS[n % DOMAINS.length]!.split('.')[0] }, // a fragment most emails share
      { q: ENGLISH[(n * 5) % ENGLISH.length], queue: 'pending' },
      { q: rare(n + 3), queue: 'rejected' },
      { q: FIRST_AR[n % FIRST_AR.length], queue: 'approved' },
    )
  }
  return kinds.map((k) => searchQuerySchema.parse(k))
}

export async function searchBenchmark(options: {
  db: Db
  kind: 'postgres' | 'pglite'
  databaseUrl?: string | undefined
  rows?: number
}): Promise<void> {
  const rows = options.rows ?? Number(process.env.SEARCH_ROWS ?? (options.kind === 'postgres' ? 1_000_000 : 200_000))
  const schema = `bench_search_${Date.now().toString(36)}`
  const started = performance.now()
  await createTables(options.db, schema)
  // On PostgreSQL the searches run over a pool whose every connection reads this schema first; PGlite
  // has one session, which is switched to it.
  let search: Db = options.db
  try {
    await seed(options.db, schema, rows)
    await sql`set maintenance_work_mem = '256MB'`.execute(options.db).catch(() => {})
    await copyIndexes(options.db, schema)
    // Vacuumed as autovacuum keeps a site's tables: a table never vacuumed has no visibility map, and
    // walking its newest comments reads every row's page to learn whether the row is visible.
    await sql.raw(`vacuum analyze ${schema}.articles, ${schema}.commenters, ${schema}.comments`).execute(options.db)
    const prepared = ((performance.now() - started) / 1000).toFixed(0)
    if (options.kind === 'postgres' && options.databaseUrl) {
      search = new Kysely<Database>({
        dialect: new PostgresDialect({
          pool: new pg.Pool({ connectionString: options.databaseUrl, max: 1, options: `-c search_path=${schema},public` }),
        }),
      })
    } else {
      await sql.raw(`set search_path to ${schema}, public`).execute(options.db)
    }
    const queries = searches()
    for (const query of queries.slice(0, 20)) await searchComments(search, query) // warm the caches
    const times: number[] = []
    const slowest: [number, string][] = []
    for (const query of queries) {
      const start = performance.now()
      const page = await searchComments(search, query)
      // A second page, as a moderator scrolling would ask for, for the half that has one.
      if (page.nextCursor && times.length % 2 === 0) await searchComments(search, { ...query, cursor: page.nextCursor })
      const ms = performance.now() - start
      times.push(ms)
      slowest.push([ms, JSON.stringify({ q: query.q, queue: query.queue })])
    }
    // The known weak spot, measured apart: a phrase of two words found in most comments but rarely side by
    // side. The planner expects many matches and walks the newest comments, re-reading each one's words.
    const worst = performance.now()
    await searchComments(search, searchQuerySchema.parse({ q: `"${ENGLISH[4]} ${ENGLISH[7]}"` }))
    const worstMs = (performance.now() - worst).toFixed(0)
    times.sort((a, b) => a - b)
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1)
    const note = options.kind === 'pglite' && rows < 1_000_000 ? ' (PGlite: fewer rows; run with DATABASE_URL for the million)' : ''
    console.log(
      `search rows=${rows} p50_ms=${at(0.5)} p99_ms=${at(0.99)} max_ms=${times.at(-1)!.toFixed(1)} searches=${times.length} seed_s=${prepared}${note} | phrase of two common words: ${worstMs} ms`,
    )
    if (process.env.SEARCH_VERBOSE)
      for (const [ms, q] of slowest.sort((a, b) => b[0] - a[0]).slice(0, 10)) console.log(`  ${ms.toFixed(1)} ms ${q}`)
  } finally {
    if (search !== options.db) await search.destroy()
    else await sql`reset search_path`.execute(options.db)
    await sql.raw(`drop schema ${schema} cascade`).execute(options.db)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { openBenchDb } = await import('./bench.setup.js')
  const connection = await openBenchDb()
  try {
    await searchBenchmark({ db: connection.db, kind: connection.kind, databaseUrl: process.env.DATABASE_URL })
  } finally {
    await connection.close()
    await connection.cleanup()
  }
}
