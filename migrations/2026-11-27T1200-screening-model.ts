import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.

/** The word lists installs had by default until this migration (copied here so they never change). */
const OLD_BANNED_WORDS = [
  'fuck',
  'fucking',
  'motherfucker',
  'cunt',
  'faggot',
  'nigger',
  'kill yourself',
  'kys',
  'go die',
  'شرموط',
  'شرموطه',
  'عرص',
  'منيوك',
  'كس امك',
  'ابن الشرموطه',
]
const OLD_SUSPECT_WORDS = [
  'idiot',
  'stupid',
  'moron',
  'retard',
  'scum',
  'bitch',
  'ass',
  'asshole',
  'bastard',
  'shit',
  'غبي',
  'حمار',
  'خنزير',
  'حقير',
  'كلب',
  'تافه',
  'زبالة',
]
export async function up(db: Kysely<any>): Promise<void> {
  // New installs default to post-moderation with screening, no first-comment hold and the longer word
  // lists. An install that already exists keeps the behaviour it had: the old defaults are written into
  // its settings, and any value it had chosen itself wins over them.
  const existing = await sql<{ n: number }>`
    select (select count(*) from settings) + (select count(*) from moderators) + (select count(*) from comments) as n`.execute(db)
  if (Number(existing.rows[0]?.n ?? 0) > 0) {
    const before = JSON.stringify({
      moderationMode: 'pre',
      premodNewCommenters: 1,
      bannedWords: OLD_BANNED_WORDS,
      suspectWords: OLD_SUSPECT_WORDS,
    })
    await sql`
      insert into settings (key, value) values ('site', ${before}::jsonb)
      on conflict (key) do update set value = ${before}::jsonb || settings.value, updated_at = now()`.execute(db)
  }

  // The model's risk (0–1) of every screened comment: the pending queue is worked riskiest first.
  await db.schema
    .alterTable('comments')
    .addColumn('risk', 'real', (c) => c.notNull().defaultTo(0))
    .execute()
  // Not partial: the queue's status is a bound parameter, and a generic plan cannot use an index whose
  // predicate names a constant (it sorted all 100k pending rows instead).
  await sql`create index comments_queue_risk on comments (status, risk desc, id)`.execute(db)
  await sql`create index comments_queue_risk_article on comments (article_id, status, risk desc, id)`.execute(db)

  // Bans follow the mailbox, not its spelling ("troll+x@", "tr.oll@gmail.com"), and, for a while, the address.
  await db.schema.alterTable('commenters').addColumn('email_canonical', 'text').execute()
  await sql`
    update commenters set email_canonical =
      case when split_part(email_normalized, '@', 2) in ('gmail.com', 'googlemail.com')
        then replace(regexp_replace(split_part(email_normalized, '@', 1), '[+].*$', ''), '.', '') || '@gmail.com'
        else regexp_replace(split_part(email_normalized, '@', 1), '[+].*$', '') || '@' || split_part(email_normalized, '@', 2)
      end`.execute(db)
  await sql`create index commenters_canonical on commenters (email_canonical)`.execute(db)
  await sql`create index comments_ip_hash on comments (ip_hash, created_at)`.execute(db)

  // Moderators' approvals and rejections, kept as labelled text for retraining the model on this site.
  await db.schema
    .createTable('screening_examples')
    .addColumn('comment_id', 'text', (c) => c.primaryKey().references('comments.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('approved', 'rejected')`))
    .addColumn('reason', 'text')
    .addColumn('risk', 'real', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('screening_examples').ifExists().execute()
  await sql`drop index if exists comments_ip_hash`.execute(db)
  await sql`drop index if exists commenters_canonical`.execute(db)
  await db.schema.alterTable('commenters').dropColumn('email_canonical').execute()
  await sql`drop index if exists comments_queue_risk_article`.execute(db)
  await sql`drop index if exists comments_queue_risk`.execute(db)
  await db.schema.alterTable('comments').dropColumn('risk').execute()
}
