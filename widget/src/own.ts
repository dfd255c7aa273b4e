import type { Shell } from './shell.js'
import { pending } from './store.js'
import { commentItem, type ThreadContext, threadItem } from './thread.js'
import type { OwnComment } from './types.js'

// The reader's own comments: placed where they belong as soon as they are written, kept on screen while
// they await a decision (across reloads), and, when one is turned down, the reader is told why.

/** Places a comment the reader just wrote (or wrote before a reload) where it belongs, and focuses it. */
export function showOwn(ctx: ThreadContext, shell: Shell, comment: OwnComment, held: boolean, focus = true) {
  const { shadow, list } = shell
  const item = held ? commentItem(ctx, comment, { mine: true }) : threadItem(ctx, ctx.api, comment)
  const thread = comment.parentId
    ? (shadow.getElementById(`nc-${comment.parentId}`)?.closest('ol')?.closest('li') ?? shadow.getElementById(`nc-${comment.parentId}`))
    : null
  // A reply belongs in its thread: while that thread is not on this page, neither is the reply.
  if (comment.parentId && !thread) return
  const target = thread?.querySelector(':scope > ol') ?? list
  list.querySelector(':scope > li.empty')?.remove()
  if (thread) target.append(item)
  else target.prepend(item)
  if (focus) item.focus()
}

export const turnedDown = (ctx: ThreadContext, c: OwnComment, reason?: string) =>
  ctx.announce(
    ctx.t.notPublished(c.body.length > 60 ? `${c.body.slice(0, 60)}…` : c.body, (ctx.t.reasons as Record<string, string>)[reason ?? '']),
  )

/** Shows the reader's comments still awaiting a decision, then asks the server which of them were decided. */
export async function restorePending(ctx: ThreadContext, shell: Shell) {
  const { articleId } = ctx
  const stored = pending.list(articleId)
  // Already in the public list: approved since the last visit, nothing left to wait for.
  const waiting = stored.filter((c) => !shell.shadow.getElementById(`nc-${c.id}`))
  if (waiting.length < stored.length) pending.keep(articleId, (c) => !shell.shadow.getElementById(`nc-${c.id}`))
  if (!waiting.length) return
  for (const c of waiting) showOwn(ctx, shell, c, true, false)
  const answer = await ctx.api.statuses(waiting).catch(() => null)
  if (!answer) return
  const { statuses, reasons } = answer
  pending.keep(articleId, (c) => statuses[c.id] === 'pending')
  for (const c of waiting) {
    if (statuses[c.id] === 'pending') continue
    shell.shadow.getElementById(`nc-${c.id}`)?.remove()
    // No answer means no valid receipt (kept from an older widget): let it go quietly.
    if (statuses[c.id] === 'rejected') turnedDown(ctx, c, reasons[c.id])
  }
}
