import type { OwnComment } from './types.js'

// localStorage can be missing or throw (private modes, blocked storage): the widget then just forgets.

function read<T>(key: string, fallback: T): T {
  try {
    return JSON.parse(localStorage.getItem(key) ?? '') as T
  } catch {
    return fallback
  }
}

function write(key: string, value: unknown) {
  try {
    if (value === null) localStorage.removeItem(key)
    else localStorage.setItem(key, JSON.stringify(value))
  } catch {
    // storage unavailable: nothing to keep
  }
}

export const store = { read, write }

const pendingKey = (articleId: string) => `nc:pending:${articleId}`

/** Comments this reader wrote that still await a decision, so they survive a reload. */
export const pending = {
  list: (articleId: string) => read<OwnComment[]>(pendingKey(articleId), []),
  add: (articleId: string, comment: OwnComment) => write(pendingKey(articleId), [...pending.list(articleId), comment].slice(-20)),
  /** Keeps only the comments still awaiting a decision, as `waits` tells. */
  keep: (articleId: string, waits: (comment: OwnComment) => boolean) => {
    const left = pending.list(articleId).filter(waits)
    write(pendingKey(articleId), left.length ? left : null)
  },
}

export interface Identity {
  name: string
  email: string
}

/** Name and email, only when the reader ticked "remember me". */
export const identity = {
  get: () => read<Identity | null>('nc:identity', null),
  set: (value: Identity | null) => write('nc:identity', value),
}
