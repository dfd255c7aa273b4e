import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.
export async function up(db: Kysely<any>): Promise<void> {
  // Editors' picks are few among many published comments: their queue reads this small index, newest first.
  await sql`create index comments_featured on comments (id) where status = 'approved' and featured`.execute(db)
  await sql`create index comments_featured_article on comments (article_id, id) where status = 'approved' and featured`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists comments_featured_article`.execute(db)
  await sql`drop index if exists comments_featured`.execute(db)
}
