// How a decision on one comment is named to the moderator who made it: the same words on the page the
// server draws and in the note the queue's script shows after deciding in place.

/** The first words of a comment, on one line, cut at a word where it is long. */
export function excerpt(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim()
  if (line.length <= max) return line
  const cut = line.slice(0, max)
  const space = cut.lastIndexOf(' ')
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?]+$/, '')}…`
}

const DONE_WORDS = { approved: 'Approved', rejected: 'Rejected', undone: 'Undone:' } as const
export type DoneWord = keyof typeof DONE_WORDS

/**
 * "Approved “You are a pig and a traitor…” by Sam.", in parts: the excerpt and the name are a reader's
 * words, in any direction, so each page sets them apart (<bdi>) rather than joining them into one string.
 */
export function decisionParts(done: DoneWord, comment: { body: string; authorName: string }) {
  return { verb: DONE_WORDS[done], excerpt: excerpt(comment.body), author: comment.authorName }
}
