// Who writes a new comment, what it answers to, and where it may go: the checks of the write path that
// come before screening. Each refusal comes before anything is created.
import { normalizeEmail } from '../commenters/commenters.repository.js'
import type { Language } from '../platform/i18n/i18n.js'
import type { CommentRow, CommenterRow, Db } from '../platform/db/database.js'
import { AppError } from '../platform/lib/errors.js'
import type { SiteSettings } from '../settings/settings.schema.js'
import { toPublicComment, type PublicComment } from './comments.mapper.js'
import { refusalNotice, waitingNotice } from '../platform/i18n/i18n.reader.js'
import type { CommentInput } from './comments.schema.js'

export interface PostOutcome {
  httpStatus: 201 | 202
  comment: PublicComment
  /** For a comment that waits: why, in the writer's language. */
  notice?: string
}

/** Who is posting: a verified reader (bearer token), or a guest with the name and email they typed. */
export type Writer = { reader: CommenterRow; name: string; email: string | null } | { reader: null; name: string; email: string }

export function writerOf(reader: CommenterRow | null, input: CommentInput, settings: SiteSettings, verifyFirst: string): Writer {
  if (reader) return { reader, name: reader.name, email: reader.email }
  if (settings.requireVerifiedReaders) throw new AppError(403, 'verification_required', verifyFirst)
  if (input.name === undefined || input.email === undefined) {
    throw new AppError(422, 'validation_failed', 'Some fields need attention', missingGuestFields(input))
  }
  return { reader: null, name: input.name, email: input.email }
}

/** A guest's name and email, where the body lacks them (a verified reader's token stands for both). */
export function missingGuestFields(body: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {}
  const missing = (value: unknown) => typeof value !== 'string' || value.trim() === ''
  if (missing(body.name)) fields.name = 'Name is required'
  if (missing(body.email)) fields.email = 'Email is required'
  return fields
}

/** What the API answers for a stored comment, in the writer's language; an idempotent replay answers the same. */
export function outcomeOf(row: CommentRow, lang: Language): PostOutcome {
  // A shadow-banned writer is answered as if published: that is the point of it.
  if (row.shadow) return { httpStatus: 201, comment: toPublicComment(row, 'approved') }
  if (row.status === 'rejected') {
    const message = refusalNotice(lang, row.screening.reasons)
    throw new AppError(422, 'rejected_content', message, { body: message })
  }
  if (row.status === 'approved') return { httpStatus: 201, comment: toPublicComment(row, row.status) }
  return { httpStatus: 202, comment: toPublicComment(row, row.status), notice: waitingNotice(lang, row.screening.reasons) }
}

export async function findByIdempotencyKey(db: Db, articleId: string, key: string) {
  return db
    .selectFrom('comments')
    .leftJoin('commenters', 'commenters.id', 'comments.commenter_id')
    .selectAll('comments')
    .select(['commenters.email_normalized as writer_email', 'commenters.kind as writer_kind'])
    .where('comments.article_id', '=', articleId)
    .where('comments.idempotency_key', '=', key)
    .executeTakeFirst()
}

/** A retry gets the first answer again, but only its own writer: a key is no way to read another's comment. */
export function replayOf(
  previous: CommentRow & { writer_email: string | null; writer_kind: string | null },
  writer: Writer,
  lang: Language,
): PostOutcome {
  const { writer_email: writerEmail, writer_kind: writerKind, ...row } = previous
  const sameWriter = writer.reader
    ? row.commenter_id === writer.reader.id
    : writerKind === 'guest' && writerEmail === normalizeEmail(writer.email)
  if (!sameWriter) {
    throw new AppError(409, 'idempotency_conflict', 'This idempotency key was already used for another comment; send a new one')
  }
  return outcomeOf(row, lang)
}

type ThreadMember = { status: string; shadow: boolean; commenter_id: string | null } | null

/**
 * The thread a reply joins (its first comment's id), from its parent and that parent's root as the checks
 * read them. A reply goes only where readers can see it: under an approved comment of an approved thread;
 * or, for a shadow-banned writer (`shadowWriterId`: their commenter id while the ban lasts), under their
 * own comments that only they see. A reply after the ban is lifted would be public under a parent nobody sees.
 */
export function threadOfReply(
  articleId: string,
  parent: (NonNullable<ThreadMember> & { id: string; root_id: string | null; article_id: string }) | null,
  root: ThreadMember,
  shadowWriterId: string | null,
): string {
  const visible = (member: ThreadMember) =>
    member?.status === 'approved' || (member?.shadow === true && member.commenter_id !== null && member.commenter_id === shadowWriterId)
  if (!parent || parent.article_id !== articleId || !visible(parent) || !visible(parent.root_id ? root : parent)) {
    throw new AppError(422, 'validation_failed', 'Some fields need attention', {
      parentId: 'The comment you reply to does not exist on this article',
    })
  }
  return parent.root_id ?? parent.id
}
