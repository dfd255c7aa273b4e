import { articleIdSchema } from '../comments/comments.schema.js'

/** An article id as the API would accept it (length, no control characters, NFC), or why not. */
export function checkArticleId(candidate: string): { id: string } | { reason: string } {
  const parsed = articleIdSchema.safeParse(candidate)
  return parsed.success
    ? { id: parsed.data }
    : { reason: `article id ${JSON.stringify(candidate.slice(0, 80))} is not usable: ${parsed.error.issues[0]?.message ?? 'invalid'}` }
}
