import type { Comment, OwnComment, Page, Reader } from './types.js'

// The reader API, as in CONTRACT.md. Errors carry the HTTP status and the server's error body.

// Fields assigned in the constructor, not declared as class fields: the target predates class fields, and
// lowering them would bring a helper into the bundle for this one class.
export class ApiError extends Error {
  declare readonly status: number
  declare readonly code: string
  declare readonly fields: Record<string, string>
  declare readonly retryAfter: number

  constructor(status: number, code: string, message: string, fields: Record<string, string> = {}, retryAfter = 0) {
    super(message)
    Object.assign(this, { status, code, fields, retryAfter })
  }
}

/** The reader's token, when signed in: sent only on the calls that act as them. */
export function api(origin: string, token: () => string | undefined = () => undefined) {
  const call = async <T>(path: string, init?: RequestInit, signed = false): Promise<{ status: number; data: T }> => {
    let res: Response
    const headers: Record<string, string> = init?.body ? { 'content-type': 'application/json' } : {}
    const bearer = signed && token()
    if (bearer) headers.authorization = `Bearer ${bearer}`
    try {
      // Revalidated on every load (a cheap 304 from the server's cache) so a reload shows a decision at once.
      res = await fetch(origin + path, { cache: 'no-cache', ...init, headers })
    } catch {
      throw new ApiError(0, 'offline', '')
    }
    const data = await res.json().catch(() => ({}))
    if (!res.ok) {
      const e = data.error ?? {}
      throw new ApiError(
        res.status,
        e.code ?? 'server_error',
        e.message ?? res.statusText,
        e.fields,
        Number(res.headers.get('retry-after')) || 0,
      )
    }
    return { status: res.status, data }
  }
  const get = <T>(path: string) => call<T>(path).then((r) => r.data)
  const send = <T>(method: string, path: string, body?: unknown) =>
    call<T>(path, { method, body: body === undefined ? undefined : JSON.stringify(body) }, true)
  const post = <T>(path: string, body: unknown) => send<T>('POST', path, body)
  type Signed = { readerToken: string; reader: Reader }
  const signedIn = (r: { data: Signed }) => ({ data: { token: r.data.readerToken, reader: r.data.reader } })
  const article = (id: string) => `/api/v1/articles/${encodeURIComponent(id)}`
  return {
    list: (id: string, sort: string, cursor?: string | null, view = 'all') =>
      get<Page>(`${article(id)}/comments?sort=${sort}&view=${view}${cursor ? `&cursor=${cursor}` : ''}`),
    replies: (rootId: string, cursor: string) =>
      get<{ replies: Comment[]; nextCursor: string | null }>(`/api/v1/comments/${rootId}/replies?cursor=${cursor}`),
    formToken: (id: string) => get<{ formToken: string }>(`${article(id)}/form-token`).then((d) => d.formToken),
    post: (id: string, body: Record<string, unknown>) =>
      post<{ comment: Comment; receipt: string; notice?: string }>(`${article(id)}/comments`, body),
    respect: (id: string, respected: boolean, browser: string) =>
      send<{ respect: number }>('POST', `/api/v1/comments/${id}/respect`, { respected, browser }),
    report: (commentId: string, reason: string) => post(`/api/v1/comments/${commentId}/reports`, { reason }),
    statuses: (own: OwnComment[]) =>
      get<{ statuses: Record<string, string>; reasons: Record<string, string> }>(
        `/api/v1/comments/status?ids=${own.map((c) => (c.receipt ? `${c.id}.${c.receipt}` : c.id)).join(',')}`,
      ),
    edit: (id: string, body: string) => send<{ comment: Comment }>('PATCH', `/api/v1/comments/${id}`, { body }),
    remove: (id: string) => send<{ tombstone: boolean }>('DELETE', `/api/v1/comments/${id}`),
    readers: {
      verify: (body: Record<string, unknown>) => post('/api/v1/readers/verify', body),
      confirm: (code: string, kept: { name?: string; nonce?: string }) =>
        post<Signed>('/api/v1/readers/verify/confirm', { code, ...kept }).then(signedIn),
      sso: (ssoToken: string, lang: string) => post<Signed>('/api/v1/readers/sso', { token: ssoToken, lang }).then(signedIn),
      signOut: () => post('/api/v1/readers/signout', {}),
      account: (articleUrl: string) =>
        post<{ path: string }>('/api/v1/readers/me/account-link', { articleUrl }).then((r) => origin + r.data.path),
    },
    counts: (ids: string[]) =>
      get<{ counts: Record<string, number> }>(`/api/v1/counts?articles=${ids.map(encodeURIComponent).join(',')}`).then((d) => d.counts),
  }
}

export type Api = ReturnType<typeof api>
