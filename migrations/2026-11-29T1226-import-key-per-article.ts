import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports no application code.
export async function up(db: Kysely<any>): Promise<void> {
  // An imported comment is known by its id within its article: WordPress numbers comments per site, so a
  // merged or multi-site export repeats an id under another post, and (source, source_id) alone took the
  // second comment for the first. Rows imported before keep their article, so a second run of their file
  // still finds them and adds nothing. The same index serves the parent lookups, which name the article.
  await sql`create unique index comments_source_article on comments (source, article_id, source_id)`.execute(db)
  await sql`drop index if exists comments_source`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create unique index comments_source on comments (source, source_id)`.execute(db)
  await sql`drop index if exists comments_source_article`.execute(db)
}
