import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely'

type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>

export type ModerationMode = 'pre' | 'post'
/** The values the comments table's status column holds; comments/comments.statuses.ts says what they mean. */
export const COMMENT_STATUSES = ['pending', 'approved', 'rejected'] as const
export type CommentStatus = (typeof COMMENT_STATUSES)[number]
export type CommenterStatus = 'normal' | 'trusted' | 'banned'
/** Why a reader reports a comment, and why a moderator rejects one: the same five, stored in reports and rejections. */
export const COMMENT_REASONS = ['spam', 'abuse', 'off_topic', 'misinformation', 'other'] as const
export type ReportReason = (typeof COMMENT_REASONS)[number]
export type Role = 'admin' | 'moderator'

export interface ScreeningReason {
  rule: string
  verdict: 'publish' | 'hold' | 'reject'
  message: string
  term?: string
  /** The matched text as written, for moderators. */
  match?: string
  /** The matched span in the field, in UTF-16 offsets, for highlighting. */
  start?: number
  end?: number
  field?: 'body' | 'name'
  score?: number
  /** The words that pushed a model's score up, strongest first. */
  spans?: { match: string; start: number; end: number; weight: number }[]
}

export interface ScreeningRecord {
  verdict?: 'publish' | 'hold' | 'reject'
  reasons?: ScreeningReason[]
  [key: string]: unknown
}

export interface ArticleTable {
  id: string
  url: string | null
  title: string | null
  comments_open: Generated<boolean>
  moderation_mode: Generated<'inherit' | ModerationMode>
  approved_count: Generated<number>
  version: Generated<number>
  /** Where an imported article came from, and its id there. */
  source: Generated<string | null>
  source_id: Generated<string | null>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

/** guest: typed an email, nothing proves it; email: proved the mailbox by a link; sso: the publisher vouches. */
export type CommenterKind = 'guest' | 'email' | 'sso'

export interface NotifyPreferences {
  replies: boolean
  approved: boolean
  rejected: boolean
  featured: boolean
}

export interface CommenterTable {
  id: string
  kind: Generated<CommenterKind>
  /** Null only for an SSO reader whose publisher sent no email. */
  email_normalized: string | null
  /** The mailbox behind the address (tags and, for Gmail, dots dropped): what a ban matches. */
  email_canonical: string | null
  email: string | null
  name: string
  sso_subject: string | null
  verified_at: Date | null
  lang: string | null
  notify: ColumnType<NotifyPreferences, string | undefined, string>
  status: Generated<CommenterStatus>
  approved_count: Generated<number>
  rejected_count: Generated<number>
  /** Refused until then; past, it restricts nothing. */
  suspended_until: Date | null
  /** Their comments look published to them and reach nobody else. */
  shadow_banned: Generated<boolean>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface CommentTable {
  id: string
  article_id: string
  parent_id: string | null
  root_id: string | null
  commenter_id: string | null
  author_name: string
  body: string
  status: CommentStatus
  flagged: Generated<boolean>
  featured: Generated<boolean>
  screening: ColumnType<ScreeningRecord, string | ScreeningRecord, string | ScreeningRecord>
  ip_hash: string | null
  idempotency_key: string | null
  open_reports: Generated<number>
  reject_reason: string | null
  deleted: Generated<boolean>
  /** The screening model's risk, 0–1. */
  risk: Generated<number>
  /** The writer was a verified reader when posting. */
  verified: Generated<boolean>
  /** The writer asked to hear about replies and decisions by email. */
  notify: Generated<boolean>
  edited_at: Date | null
  /** Stored rejected because its writer is shadow-banned: its writer is told it is published. */
  shadow: Generated<boolean>
  /** Readers' "respect", one each. */
  respect_count: Generated<number>
  /** When a moderator first approved or rejected it while it waited (set by changeStatus; the overview's waiting time). */
  first_decided_at: Date | null
  /** Where an imported comment came from (disqus, wordpress…), its id there and its parent's id there. */
  source: Generated<string | null>
  source_id: Generated<string | null>
  source_parent_id: Generated<string | null>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface CommentReactionTable {
  comment_id: string
  /** `r:<commenter id>` for a verified reader, `g:<keyed hash of address and browser>` for a guest. */
  reactor: string
  created_at: CreatedAt
}

export interface CommenterNoteTable {
  id: string
  commenter_id: string
  moderator_id: string | null
  moderator_name: string
  body: string
  created_at: CreatedAt
}

export interface CommentRevisionTable {
  id: string
  comment_id: string
  body: string
  screening: ColumnType<ScreeningRecord, string, never>
  created_at: Date
}

export interface ReaderCodeTable {
  code_hash: string
  email: string
  lang: string | null
  /** The hash of the nonce the asking browser keeps: the code is confirmed with that nonce or not at all. */
  nonce_hash: Generated<string | null>
  expires_at: Date
  used_at: Date | null
  created_at: CreatedAt
}

export interface ReaderTokenTable {
  token_hash: string
  commenter_id: string
  created_at: CreatedAt
  /** 30 days after its last use (moved at most once a day), never past ends_at. */
  expires_at: Date
  /** The latest it may live: 180 days after sign-in, or the end of the publisher's token it was traded for. */
  ends_at: Date
  revoked_at: Date | null
}

export interface ReportTable {
  id: string
  comment_id: string
  reason: ReportReason
  note: string | null
  /** Forgotten (null) IP_RETENTION_DAYS after the report was resolved. */
  reporter_hash: string | null
  resolved_at: Date | null
  created_at: CreatedAt
}

export interface ModeratorTable {
  id: string
  username: string
  password_hash: string
  role: Role
  disabled: Generated<boolean>
  email: string | null
  /** Mail when a comment crosses the report threshold or the queue passes its alert size. */
  alerts: Generated<boolean>
  digest: Generated<boolean>
  created_at: CreatedAt
}

export interface ModeratorSessionTable {
  id: string
  user_id: string
  expires_at: Date
}

export interface ModerationActionTable {
  id: string
  comment_id: string | null
  commenter_id: string | null
  article_id: string | null
  actor_id: string | null
  actor_name: string
  action: string
  from_status: string | null
  to_status: string | null
  reason: string | null
  created_at: CreatedAt
}

export interface SettingTable {
  key: string
  value: ColumnType<unknown, string, string>
  updated_at: UpdatedAt
}

export interface RateLimitTable {
  bucket: string
  hits: number
  expires_at: Date
}

export interface ScreeningExampleTable {
  comment_id: string
  text: string
  language: string
  decision: 'approved' | 'rejected'
  reason: string | null
  risk: number
  decided_at: CreatedAt
}

/** What a restriction on an erased commenter leaves behind: a keyed hash of who they were, the restriction, its end. */
export interface KeptRestrictionTable {
  subject_hash: string
  kind: 'ban' | 'suspend' | 'shadow_ban'
  /** Null: until a moderator lifts it. */
  ends_at: Date | null
  created_at: CreatedAt
}

export interface SsoTokenUseTable {
  jti_hash: string
  expires_at: Date
}

export type ImportStatus = 'running' | 'done' | 'failed' | 'interrupted'

export interface ImportTable {
  id: string
  format: string
  source: string
  file: string
  status: ImportStatus
  counts: ColumnType<Record<string, unknown>, string | undefined, string>
  error: string | null
  started_at: CreatedAt
  finished_at: Date | null
}

export interface Database {
  articles: ArticleTable
  commenters: CommenterTable
  comments: CommentTable
  reports: ReportTable
  moderators: ModeratorTable
  moderator_sessions: ModeratorSessionTable
  moderation_actions: ModerationActionTable
  settings: SettingTable
  rate_limits: RateLimitTable
  screening_examples: ScreeningExampleTable
  comment_revisions: CommentRevisionTable
  reader_codes: ReaderCodeTable
  reader_tokens: ReaderTokenTable
  comment_reactions: CommentReactionTable
  commenter_notes: CommenterNoteTable
  imports: ImportTable
  kept_restrictions: KeptRestrictionTable
  sso_token_uses: SsoTokenUseTable
}

export type Db = Kysely<Database>
/** A database of any schema: the migrations and the plumbing that run before, or beside, our tables. */
// biome-ignore lint/suspicious/noExplicitAny: the schema is unknown here by design
export type AnyDb = Kysely<any>
export type Tx = Transaction<Database>
export type Executor = Db | Tx

export type ArticleRow = Selectable<ArticleTable>
export type CommentRow = Selectable<CommentTable>
export type CommenterRow = Selectable<CommenterTable>
export type NewComment = Insertable<CommentTable>
