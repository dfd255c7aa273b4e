import { type Api, ApiError } from './api.js'
import { store } from './store.js'
import type { Reader } from './types.js'

// The signed-in reader of this page: a token from an email link or from the publisher's own sign-in,
// kept in the page's localStorage (no third-party cookies) and sent as a bearer header.

interface Session {
  token: string
  reader: Reader
  /** Ids of comments this reader posted here: theirs to edit and delete. */
  mine: { id: string; at: number }[]
}

const KEY = 'nc:reader'
/**
 * Kept when asking for a link: the name typed (the browser that opens the link names the new reader) and
 * a random nonce the server binds the code to, so the code is useless to any other browser that sees it.
 */
export const VERIFY_KEY = 'nc:verify'
let session = store.read<Session | null>(KEY, null)

export const readerSession = {
  get: () => session,
  token: () => session?.token,
  set(next: Session | null) {
    session = next
    store.write(KEY, next)
  },
  remember(id: string) {
    if (session) readerSession.set({ ...session, mine: [...session.mine, { id, at: Date.now() }].slice(-50) })
  },
  owns: (id: string) => session?.mine.find((m) => m.id === id),
}

let signingIn: ReturnType<typeof signIn> | undefined
/**
 * Signs in from what the page holds: an email link's `#comments-verify=CODE` (then removed from the
 * address bar), or the publisher's token in `data-sso-token` / `window.commentsSso`. Once per page, however
 * many widgets it has: a publisher's token that carries an id is traded once. Returns what to say.
 */
export const signInFromPage = (api: Api, container: HTMLElement, lang: string) => (signingIn ??= signIn(api, container, lang))

async function signIn(api: Api, container: HTMLElement, lang: string): Promise<'verified' | 'failed' | null> {
  const code = /[#&]comments-verify=([\w-]+)/.exec(location.hash)?.[1]
  const sso = container.dataset.ssoToken ?? (window as { commentsSso?: string }).commentsSso
  try {
    if (code) {
      history.replaceState(null, '', location.href.split('#')[0])
      const { data } = await api.readers.confirm(code, store.read<{ name?: string; nonce?: string }>(VERIFY_KEY, {}))
      store.write(VERIFY_KEY, null)
      readerSession.set({ ...data, mine: [] })
      return 'verified'
    }
    // The publisher's page says who is signed in, on every view: another account, or none, ends ours.
    if (sso) {
      const { data } = await api.readers.sso(sso, lang)
      readerSession.set({ ...data, mine: session?.reader.id === data.reader.id ? session.mine : [] })
    } else if (session?.reader.via === 'sso') readerSession.set(null)
  } catch (error) {
    // A publisher's token we refuse signs nobody in, not even whoever was signed in before.
    if (sso && !code) readerSession.set(null)
    if (error instanceof ApiError && error.status > 0) return 'failed'
  }
  return null
}
