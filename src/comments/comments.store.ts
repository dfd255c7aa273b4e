// Storing newly screened comments: any number in one statement, each with its audit row, the counters it
// moves, a first-time guest or article it brings, and its live notice. Atomic without a transaction, and
// one round trip however many posts arrived together (see comments.group-commit.ts).
import { sql } from 'kysely'
import { SYSTEM } from '../audit/audit.log.js'
import type { CommentRow, Executor } from '../platform/db/database.js'
import { newId } from '../platform/lib/ids.js'
import { LIVE_CHANNEL } from '../platform/live/live.bus.js'
import type { Decision } from '../screening/screening.types.js'
import { visibleRow } from './comments.visibility.js'

/** A comment as the write path hands it over, screened. */
export type ScreenedComment = Pick<
  CommentRow,
  | 'id'
  | 'article_id'
  | 'parent_id'
  | 'root_id'
  | 'author_name'
  | 'body'
  | 'status'
  | 'flagged'
  | 'risk'
  | 'ip_hash'
  | 'idempotency_key'
  | 'created_at'
> & {
  /** A guest seen for the first time gets this id, unless the same email was stored meanwhile. */
  commenter_id: string
  /** The site model version that scored it; null for the shipped model. */
  model_version: string | null
  screening: Pick<Decision, 'verdict' | 'reasons'>
  verified: boolean
  notify: boolean
  /** Stored rejected for a shadow-banned writer, who is told it is published. */
  shadow: boolean
  /** Why screening decided so, in words, for the history's reason column (null when it simply published). */
  audit_reason: string | null
  /** The live notice's id when the statement sends it on the bus; null when the runtime announces it. */
  notice_id: string | null
  /**
   * A guest's email; `isNew` when the checks did not find them: then the statement creates them (or, if
   * stored meanwhile, finds them) and sets their tallies.
   */
  guest: { email: string; email_normalized: string; email_canonical: string; isNew: boolean } | null
  /** An article the checks did not find, or one missing its title or address: created or completed by the same statement, with the page the post names. */
  new_article: { url: string | null; title: string | null } | null
}

/**
 * Stores the comments; answers, in the same order, each stored row, or null where a comment with the
 * same idempotency key won the race. Counters move only for comments stored: the article's visible count
 * and version, and the commenter's tallies (a first-time guest's are set as it is created).
 */
export async function insertScreenedComments(db: Executor, comments: readonly ScreenedComment[]): Promise<(CommentRow | null)[]> {
  const input = comments.map((c) => ({
    ...c,
    audit_id: newId(),
    reject_reason: c.shadow ? 'shadow_ban' : null,
    guest: undefined,
    guest_email: c.guest?.isNew ? c.guest.email : null,
    guest_normalized: c.guest?.isNew ? c.guest.email_normalized : null,
    guest_canonical: c.guest?.isNew ? c.guest.email_canonical : null,
    article_new: c.new_article !== null,
    article_url: c.new_article?.url ?? null,
    article_title: c.new_article?.title ?? null,
  }))
  const { rows } = await sql<CommentRow>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as x(
        id text, article_id text, parent_id text, root_id text, commenter_id text, author_name text, body text, status text,
        flagged boolean, risk real, model_version text, screening jsonb, ip_hash text, idempotency_key text, verified boolean, notify boolean,
        shadow boolean, reject_reason text, created_at timestamptz, audit_id text, audit_reason text, notice_id text,
        guest_email text, guest_normalized text, guest_canonical text, article_new boolean, article_url text, article_title text)
    ), guests as (
      insert into commenters (id, kind, email_normalized, email_canonical, email, name, approved_count, rejected_count)
      select distinct on (guest_normalized) commenter_id, 'guest', guest_normalized, guest_canonical, guest_email, author_name,
        count(*) filter (where status = 'approved') over w, count(*) filter (where status = 'rejected') over w
      from input where guest_normalized is not null
      window w as (partition by guest_normalized)
      order by guest_normalized, id
      on conflict (email_normalized) where kind = 'guest' do update
        set approved_count = commenters.approved_count + excluded.approved_count,
            rejected_count = commenters.rejected_count + excluded.rejected_count,
            email_canonical = excluded.email_canonical, updated_at = now()
      returning id, email_normalized
    ), inserted as (
      insert into comments (id, article_id, parent_id, root_id, commenter_id, author_name, body, status, flagged, risk, model_version, screening, ip_hash, idempotency_key, verified, notify, shadow, reject_reason, created_at, updated_at)
      select x.id, x.article_id, x.parent_id, x.root_id, coalesce(g.id, x.commenter_id), x.author_name, x.body, x.status, x.flagged, x.risk,
        x.model_version, x.screening, x.ip_hash, x.idempotency_key, x.verified, x.notify, x.shadow, x.reject_reason, x.created_at, x.created_at
      from input x left join guests g on g.email_normalized = x.guest_normalized
      order by x.id
      on conflict (article_id, idempotency_key) do nothing
      returning *
    ), audited as (
      insert into moderation_actions (id, comment_id, commenter_id, article_id, actor_id, actor_name, action, from_status, to_status, reason)
      select x.audit_id, c.id, c.commenter_id, c.article_id, ${SYSTEM.id}, ${SYSTEM.name}, 'screened', null, c.status, x.audit_reason
      from inserted c join input x on x.id = c.id
    ), counted_articles as (
      insert into articles (id, url, title, approved_count, version)
      select c.article_id, max(x.article_url), max(x.article_title),
        count(*) filter (where ${visibleRow('c', 'r')}), sign(count(*) filter (where ${visibleRow('c', 'r')}))
      from inserted c join input x on x.id = c.id left join comments r on r.id = c.root_id
      group by c.article_id
      having bool_or(x.article_new) or count(*) filter (where ${visibleRow('c', 'r')}) > 0
      on conflict (id) do update
        set approved_count = articles.approved_count + excluded.approved_count, version = articles.version + 1, updated_at = now(),
          title = coalesce(articles.title, excluded.title), url = coalesce(articles.url, excluded.url)
        where excluded.approved_count > 0
          or (articles.title is null and excluded.title is not null) or (articles.url is null and excluded.url is not null)
    ), counted_commenters as (
      update commenters m
      set approved_count = m.approved_count + d.approved, rejected_count = m.rejected_count + d.rejected
      from (
        select c.commenter_id, count(*) filter (where c.status = 'approved') as approved, count(*) filter (where c.status = 'rejected') as rejected
        from inserted c join input x on x.id = c.id
        where x.guest_normalized is null and c.status <> 'pending'
        group by c.commenter_id
      ) d
      where m.id = d.commenter_id
    )
    select c.*, n.sent is not null as announced
    from inserted c join input x on x.id = c.id
    left join lateral (
      select 1 as sent from pg_notify(${LIVE_CHANNEL}, json_build_object(
        'id', x.notice_id, 'type', case when c.status = 'approved' then 'published' else 'held' end,
        'articleId', c.article_id, 'commentId', c.id)::text)
      where x.notice_id is not null and not c.shadow and c.status <> 'rejected'
    ) n on true`.execute(db)
  const byId = new Map(rows.map((row) => [row.id, row]))
  return comments.map((c) => byId.get(c.id) ?? null)
}
