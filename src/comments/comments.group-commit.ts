// Group commit: posts that arrive while earlier ones are being stored wait for them, then go to the
// database together, as one statement. A lone post goes at once (no timer, no added wait); under load
// each statement carries every post that arrived meanwhile, so the statements per post fall as the load
// rises. Nothing is answered before its statement returned, that is before the comment is stored.
import type { CommentRow, Executor } from '../platform/db/database.js'
import { type ScreenedComment, insertScreenedComments } from './comments.store.js'

/** How many statements of stored posts may be on their way at once, per database handle. */
export const STORE_IN_FLIGHT = 2
/** The most posts one statement carries. */
export const STORE_BATCH = 100

interface Waiting {
  comment: ScreenedComment
  resolve: (row: CommentRow | null) => void
  reject: (error: unknown) => void
}

interface Queue {
  waiting: Waiting[]
  inFlight: number
}

const queues = new WeakMap<object, Queue>()

/** Stores one screened comment, together with whatever else is waiting; null when its idempotency key lost a race. */
export function storeComment(db: Executor, comment: ScreenedComment): Promise<CommentRow | null> {
  let queue = queues.get(db)
  if (!queue) {
    queue = { waiting: [], inFlight: 0 }
    queues.set(db, queue)
  }
  const q = queue
  return new Promise((resolve, reject) => {
    q.waiting.push({ comment, resolve, reject })
    flush(db, q)
  })
}

function flush(db: Executor, queue: Queue) {
  while (queue.inFlight < STORE_IN_FLIGHT && queue.waiting.length > 0) {
    const batch = sameWriterApart(queue.waiting.splice(0, STORE_BATCH))
    queue.inFlight++
    void store(db, batch).finally(() => {
      queue.inFlight--
      flush(db, queue)
    })
  }
}

async function store(db: Executor, batch: Waiting[]): Promise<void> {
  try {
    const rows = await insertScreenedComments(
      db,
      batch.map((w) => w.comment),
    )
    for (const [i, w] of batch.entries()) w.resolve(rows[i]!)
  } catch (error) {
    if (batch.length === 1) return batch[0]!.reject(error)
    // One post's failure (its parent erased meanwhile, say) must not fail the others: each goes alone.
    await Promise.all(batch.map((w) => store(db, [w])))
  }
}

/**
 * A guest's posts in one statement must name one commenter: the one the checks found for any of them, else
 * the id the first one would create the guest with.
 */
function sameWriterApart(batch: Waiting[]): Waiting[] {
  const chosen = new Map<string, { id: string; isNew: boolean }>()
  for (const { comment } of batch) {
    if (!comment.guest) continue
    const soFar = chosen.get(comment.guest.email_normalized)
    if (!soFar || (soFar.isNew && !comment.guest.isNew))
      chosen.set(comment.guest.email_normalized, { id: comment.commenter_id, isNew: comment.guest.isNew })
  }
  return batch.map((w) => {
    const guest = w.comment.guest
    const pick = guest && chosen.get(guest.email_normalized)
    if (!guest || !pick || (pick.id === w.comment.commenter_id && pick.isNew === guest.isNew)) return w
    return { ...w, comment: { ...w.comment, commenter_id: pick.id, guest: { ...guest, isNew: pick.isNew } } }
  })
}
