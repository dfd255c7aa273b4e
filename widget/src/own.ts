import type { Shell } from './shell.js'
import { pending } from './store.js'
import { commentItem, type ThreadContext, threadItem } from './thread.js'
import type { OwnComment } from './types.js'

// The reader's own comments: placed where they belong as soon as they are written, kept on screen (across
// reloads) while they wait, and while only their writer sees them published (a shadow-ban must not show
// itself), and, when one is turned down, the reader is told why.

/** Places a comment the reader just wrote (or wrote before a reload) where it belongs, once: by its id. */
export function showOwn(ctx: ThreadContext, shell: Shell, comment: OwnComment, held: boolean, focus = true) {
  const { shadow, list } = shell
  const item = held ? commentItem(ctx, comment, { mine: true }) : threadItem(ctx, ctx.api, comment)
  item.classList.add('own')
  const thread = comment.parentId
    ? (shadow.getElementById(`nc-${comment.parentId}`)?.closest('ol')?.closest('li') ?? shadow.getElementById(`nc-${comment.parentId}`))
    : null
  // A reply belongs in its thread: while that thread is not on this page, neither is the reply.
  if (comment.parentId && !thread) return
  shadow.getElementById(item.id)?.remove()
  list.querySelector(':scope > li.empty')?.remove()
  if (thread) thread.querySelector(':scope > ol')!.append(item)
  else list.prepend(item)
  if (focus) item.focus()
}

export const turnedDown = (ctx: ThreadContext, c: OwnComment, reason?: string) =>
  ctx.announce(
    ctx.t.notPublished(c.body.length > 60 ? `${c.body.slice(0, 60)}…` : c.body, (ctx.t.reasons as Record<string, string>)[reason ?? '']),
  )

/** Shows the reader's own comments the public list does not hold, then asks the server where each stands. */
export async function restorePending(ctx: ThreadContext, shell: Shell) {
  const { articleId } = ctx
  // In the public list (not placed there by showOwn): everyone sees it, nothing left to keep.
  pending.keep(articleId, (c) => !shell.shadow.getElementById(`nc-${c.id}`)?.matches(':not(.own)'))
  const own = pending.list(articleId)
  if (!own.length) return
  for (const c of own) showOwn(ctx, shell, c, c.status !== 'approved', false)
  const answer = await ctx.api.statuses(own).catch(() => null)
  if (!answer) return
  const { statuses, reasons } = answer
  // Waiting, or published (to its writer alone, when shadow-banned): it stays, as the server now says it is.
  pending.keep(articleId, (c) => {
    c.status = statuses[c.id] as 'pending'
    return /^(pe|ap)/.test(c.status ?? '')
  })
  for (const c of own) {
    const status = statuses[c.id]
    if (status === 'pending' || status === 'approved') {
      if (status !== c.status) showOwn(ctx, shell, c, status === 'pending', false)
      continue
    }
    shell.shadow.getElementById(`nc-${c.id}`)?.remove()
    // No answer means no valid receipt (kept from an older widget): let it go quietly.
    if (status === 'rejected') turnedDown(ctx, c, reasons[c.id])
  }
}
