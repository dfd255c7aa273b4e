import type { PublicComment } from '../../src/comments/comments.mapper.js'

// The reader API, as in CONTRACT.md. Errors carry the HTTP status and the server's error body.

// The public comment shape comes from the server itself (type-only: nothing of src/ enters the bundle).
export type Comment = PublicComment

/** A comment this reader wrote, with the receipt that lets them ask where it stands. */
export type OwnComment = Comment & { receipt?: string }

export interface Page {
  article: { id: string; title: string | null; commentsOpen: boolean; commentCount: number }
  comments: Comment[]
  nextCursor: string | null
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly retryAfter = 0,
  ) {
    super(message)
  }
}

export function api(origin: string) {
  const call = async <T>(path: string, init?: RequestInit): Promise<{ status: number; data: T }> => {
    let res: Response
    try {
      // Revalidated on every load (a cheap 304 from the server's cache) so a reload shows a decision at once.
      res = await fetch(origin + path, { cache: 'no-cache', ...init, headers: init?.body ? { 'content-type': 'application/json' } : {} })
    } catch {
      throw new ApiError(0, 'offline', 'network error')
    }
    const data = await res.json().catch(() => ({}))
    if (!res.ok) {
      const e = data.error ?? {}
      throw new ApiError(res.status, e.code ?? 'server_error', e.message ?? res.statusText, e.fields, Number(res.headers.get('retry-after')) || 0)
    }
    return { status: res.status, data }
  }
  const post = <T>(path: string, body: unknown) => call<T>(path, { method: 'POST', body: JSON.stringify(body) })
  const article = (id: string) => `/api/v1/articles/${encodeURIComponent(id)}`
  return {
    list: (id: string, sort: string, cursor?: string | null) =>
      call<Page>(`${article(id)}/comments?sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`).then((r) => r.data),
    replies: (rootId: string, cursor: string) =>
      call<{ replies: Comment[]; nextCursor: string | null }>(`/api/v1/comments/${rootId}/replies?cursor=${cursor}`).then((r) => r.data),
    formToken: (id: string) => call<{ formToken: string }>(`${article(id)}/form-token`).then((r) => r.data.formToken),
    post: (id: string, body: Record<string, unknown>) => post<{ comment: Comment; receipt: string }>(`${article(id)}/comments`, body),
    report: (commentId: string, reason: string) => post(`/api/v1/comments/${commentId}/reports`, { reason }),
    statuses: (own: OwnComment[]) =>
      call<{ statuses: Record<string, string> }>(`/api/v1/comments/status?ids=${own.map((c) => (c.receipt ? `${c.id}.${c.receipt}` : c.id)).join(',')}`).then((r) => r.data.statuses),
    counts: (ids: string[]) =>
      call<{ counts: Record<string, number> }>(`/api/v1/counts?articles=${ids.map(encodeURIComponent).join(',')}`).then((r) => r.data.counts),
  }
}

export type Api = ReturnType<typeof api>
