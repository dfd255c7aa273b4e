import type { Db } from '../src/platform/db/database.js'
import { newId } from '../src/platform/lib/ids.js'

const SENTENCES = [
  'The convoy reached the northern villages before dawn, according to residents.',
  'Aid agencies say the crossing must stay open through the winter.',
  'هذا تقرير مهم عن الوضع الإنساني في إدلب.',
  'Families displaced from the south are sheltering in schools and mosques.',
  'The reporting here matches what my cousin described from Saraqeb.',
]

/**
 * Seeds an article with `total` approved comments of which `replies` are replies,
 * written straight to the tables in a few statements (the write path is measured separately).
 */
export async function seedArticle(db: Db, articleId: string, total: number, replies: number) {
  await db
    .insertInto('articles')
    .values({ id: articleId, title: `Bench ${articleId}`, url: `https://news.example/${articleId}` })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  const commenterId = newId()
  await db
    .insertInto('commenters')
    .values({
      id: commenterId,
      email_normalized: `${commenterId}@bench.example`,
      email: `${commenterId}@bench.example`,
      name: 'Bench Reader',
    })
    .execute()
  const start = Date.now() - total * 60_000
  const topLevel: string[] = []
  const rows = []
  for (let i = 0; i < total; i++) {
    const id = newId(start + i * 60_000)
    const isReply = i >= total - replies && topLevel.length > 0
    const root = isReply ? topLevel[(i * 7) % topLevel.length]! : null
    if (!isReply) topLevel.push(id)
    rows.push({
      id,
      article_id: articleId,
      parent_id: root,
      root_id: root,
      commenter_id: commenterId,
      author_name: `Reader ${i}`,
      body: `${SENTENCES[i % SENTENCES.length]} (${i})`,
      status: 'approved' as const,
      screening: JSON.stringify({ verdict: 'publish', reasons: [] }),
      created_at: new Date(start + i * 60_000),
    })
  }
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto('comments')
      .values(rows.slice(i, i + 1000))
      .execute()
  await db.updateTable('articles').set({ approved_count: total }).where('id', '=', articleId).execute()
}

/** Inserts `count` pending comments spread over `articles` articles (the moderation-queue scale test). */
export async function seedPending(db: Db, count: number, articles: number) {
  const commenterId = newId()
  await db
    .insertInto('commenters')
    .values({
      id: commenterId,
      email_normalized: `${commenterId}@bench.example`,
      email: `${commenterId}@bench.example`,
      name: 'Queue Reader',
    })
    .execute()
  for (let a = 0; a < articles; a++) {
    await db
      .insertInto('articles')
      .values({ id: `queue-${a}`, title: `Queue ${a}` })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
  }
  const start = Date.now() - count * 1000
  for (let i = 0; i < count; i += 2000) {
    const rows = []
    for (let j = i; j < Math.min(count, i + 2000); j++) {
      rows.push({
        id: newId(start + j * 1000),
        article_id: `queue-${j % articles}`,
        parent_id: null,
        root_id: null,
        commenter_id: commenterId,
        author_name: `Queued ${j}`,
        body: `${SENTENCES[j % SENTENCES.length]} [${j}]`,
        status: 'pending' as const,
        flagged: j % 5 === 0,
        // Risks spread over 0–1 in two-decimal steps, as the model stores them (many ties, as in life).
        risk: ((j * 37) % 101) / 100,
        screening: JSON.stringify({ verdict: 'hold', reasons: [{ rule: 'moderation_mode', verdict: 'hold', message: 'Pre-moderation' }] }),
        created_at: new Date(start + j * 1000),
      })
    }
    await db.insertInto('comments').values(rows).execute()
  }
}
