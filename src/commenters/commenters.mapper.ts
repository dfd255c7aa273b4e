import type { CommenterKind, CommenterRow, CommenterStatus } from '../platform/db/database.js'

/** A commenter as moderators see them: never shown to readers (it carries the email). */
export interface CommenterView {
  id: string
  name: string
  email: string | null
  /** Whether the identity is proven (a verified email or the publisher's sign-in), and how. */
  verified: boolean
  kind: CommenterKind
  status: CommenterStatus
  approvedCount: number
  rejectedCount: number
  /** Posts are refused until then (moderators only; null when not suspended or the suspension ran out). */
  suspendedUntil: string | null
  shadowBanned: boolean
  createdAt: string
}

/** The part of a commenter a queue item carries. */
export type CommenterSummary = Omit<CommenterView, 'createdAt' | 'suspendedUntil' | 'shadowBanned'>

export function toCommenterView(row: CommenterRow): CommenterView {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    verified: row.kind !== 'guest',
    kind: row.kind,
    status: row.status,
    approvedCount: row.approved_count,
    rejectedCount: row.rejected_count,
    suspendedUntil: row.suspended_until && new Date(row.suspended_until) > new Date() ? new Date(row.suspended_until).toISOString() : null,
    shadowBanned: row.shadow_banned,
    createdAt: new Date(row.created_at).toISOString(),
  }
}
