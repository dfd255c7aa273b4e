// Where public answers are kept: an in-process map on Node, the data centre's Cache API on Workers.
// Runtime-neutral and free of the app's types, so services.ts can name it without a cycle.

export interface CachedResponse {
  stamp: string
  etag: string
  body: string
  checkedAt: number
  /** Absent for JSON, the public reads' usual answer. */
  contentType?: string
}

export interface PublicCache {
  get(key: string): Promise<CachedResponse | undefined>
  /** The same look-up without a promise, where the store is in memory: what lets a hit skip the router. */
  peek?(key: string): CachedResponse | undefined
  /** `articleIds` are the articles the entry shows, so a change to one of them can drop it. */
  set(key: string, entry: CachedResponse, articleIds: string[]): Promise<void>
  /** Drops what this replica knows changed; other replicas catch up through the stamp. */
  forget(articleId: string | null): void
}

/** Node: a bounded in-process map (oldest entries leave first), indexed by article. */
export function memoryCache(maxEntries = 10_000): PublicCache {
  const entries = new Map<string, CachedResponse & { articleIds: string[] }>()
  const byArticle = new Map<string, Set<string>>()
  const remove = (key: string) => {
    const entry = entries.get(key)
    if (!entry) return
    entries.delete(key)
    for (const id of entry.articleIds) byArticle.get(id)?.delete(key)
  }
  return {
    async get(key) {
      return entries.get(key)
    },
    peek: (key) => entries.get(key),
    async set(key, entry, articleIds) {
      remove(key)
      entries.set(key, { ...entry, articleIds })
      for (const id of articleIds) {
        let keys = byArticle.get(id)
        if (!keys) {
          keys = new Set()
          byArticle.set(id, keys)
        }
        keys.add(key)
      }
      if (entries.size > maxEntries) remove(entries.keys().next().value!)
    },
    forget(articleId) {
      if (articleId === null) {
        entries.clear()
        byArticle.clear()
        return
      }
      for (const key of byArticle.get(articleId) ?? []) remove(key)
      byArticle.delete(articleId)
    },
  }
}

/** Workers: the data centre's Cache API, under an internal URL no client can request. */
export function workersCache(cache: Cache): PublicCache {
  const url = (key: string) => `https://public-cache.internal/${encodeURIComponent(key)}`
  return {
    async get(key) {
      const hit = await cache.match(url(key))
      return hit ? ((await hit.json()) as CachedResponse) : undefined
    },
    async set(key, entry) {
      await cache.put(url(key), new Response(JSON.stringify(entry), { headers: { 'cache-control': 'max-age=300' } }))
    },
    // The Cache API cannot be listed by article; entries are rechecked against the stamp after FRESH_MS.
    forget() {},
  }
}
