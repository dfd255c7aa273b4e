// Following an article live while it is on screen: Server-Sent Events (Node), a WebSocket (Workers with a
// Durable Object), or, with neither, a revalidation of the cached list every 20 s. Nothing runs while the
// comments are off screen or the tab is hidden, and a refused stream backs off with jitter.
import type { Comment } from './types.js'

/** What a live message carries: the article's count, and the comment it is about (or only its id). */
export interface LiveData {
  count?: number
  id?: string
  comment?: Comment
}

export interface LiveHandlers {
  message(event: string, data: LiveData): void
  /** Ask the server whether anything changed (polling, a reset, and on connecting: what came before). */
  poll(): void
}

export function followLive(host: HTMLElement, origin: string, articleId: string, transport: string | null | undefined, on: LiveHandlers) {
  const path = `/api/v1/articles/${encodeURIComponent(articleId)}/`
  let onScreen = false
  let source: { close(): void } | null = null
  let timer = 0
  let failures = 0
  let lastId = ''

  const receive = (event: string, raw: string, id?: string) => {
    failures = 0
    lastId = id ?? ''
    // A gap the server cannot fill: check the list quietly rather than redraw it under the reader.
    if (event === 'reset') on.poll()
    else on.message(event, JSON.parse(raw))
  }
  // A first connection starts from nothing: whatever came between the list and now is checked once.
  const opened = () => {
    failures = 0
    if (!lastId) on.poll()
  }
  const retryLater = () => {
    stop()
    // 1 s, 2 s, 4 s … up to a minute, each with jitter, so a restarted server is not met by every reader at once.
    timer = window.setTimeout(
      () => {
        timer = 0
        update()
      },
      Math.min(60_000, 1000 * 2 ** failures++) * (0.5 + Math.random()),
    )
  }
  const stop = () => {
    source?.close()
    source = null
    // One list of timers in browsers: this clears the interval too.
    clearTimeout(timer)
  }
  const start = () => {
    if (transport === 'sse') {
      const es = new EventSource(`${origin + path}stream${lastId ? `?lastEventId=${lastId}` : ''}`)
      for (const name of ['comment', 'edited', 'hidden', 'reset'])
        es.addEventListener(name, (e) => receive(name, (e as MessageEvent).data, (e as MessageEvent).lastEventId))
      es.onopen = opened
      // A refusal (503 at the limit) closes the stream for good: come back later. Other errors it retries itself.
      es.onerror = () => es.readyState === EventSource.CLOSED && retryLater()
      source = es
    } else if (transport === 'websocket') {
      const ws = new WebSocket(`${origin.replace(/^http/, 'ws') + path}live${lastId ? `?lastEventId=${lastId}` : ''}`)
      ws.onmessage = (e) => {
        if (e.data === 'pong') return // the answer to our keep-alive
        const m = JSON.parse(e.data)
        receive(m.event, JSON.stringify(m.data), m.id)
      }
      ws.onopen = opened
      ws.onclose = () => source === ws && retryLater()
      // Idle sockets are closed by proxies; the Durable Object answers this without waking.
      const ping = setInterval(() => ws.readyState === 1 && ws.send('ping'), 30_000)
      ws.addEventListener('close', () => clearInterval(ping))
      source = ws
    } else {
      timer = window.setInterval(on.poll, 20_000)
    }
  }
  const update = () => {
    const want = onScreen && document.visibilityState === 'visible'
    if (want && !source && !timer) start()
    else if (!want) {
      stop()
      timer = 0
    }
  }
  new IntersectionObserver((entries) => {
    onScreen = entries.some((e) => e.isIntersecting)
    update()
  }).observe(host)
  document.addEventListener('visibilitychange', update)
}
