// Live on Workers: one Durable Object per article holds its readers' WebSockets through the Hibernation
// API, so an article nobody is commenting on costs nothing while its readers sit idle. The Worker that
// made a change posts the readers' message here; the object sends it to every socket and keeps the last
// ones in its storage (memory is lost whenever the object hibernates) for readers that reconnect.
import { errorBody } from '../lib/errors.js'
import { ID_PATTERN } from '../lib/ids.js'
import type { LiveMessage } from './live.events.js'

/** Sockets one article holds at most; past it new readers get 503 and the widget retries later. */
export const MAX_SOCKETS = 5_000
/** Sockets per address on one article: a reader's tabs, not a script holding every slot. */
export const MAX_SOCKETS_PER_IP = 20
/** Messages kept for `?lastEventId=`; a reader further behind is told to reload (`reset`). */
export const KEPT_MESSAGES = 100

// The parts of Cloudflare's runtime this module uses, typed here rather than pulling in workers-types.
declare const WebSocketPair: new () => { 0: WebSocket; 1: WebSocket }
declare const WebSocketRequestResponsePair: new (request: string, response: string) => unknown

interface DurableStorage {
  put(key: string, value: unknown): Promise<void>
  delete(keys: string[]): Promise<number>
  list<T>(options: { prefix: string }): Promise<Map<string, T>>
}

export interface ArticleLiveState {
  storage: DurableStorage
  acceptWebSocket(socket: WebSocket, tags?: string[]): void
  getWebSockets(tag?: string): WebSocket[]
  setWebSocketAutoResponse(pair: unknown): void
}

/** The Worker's side: the binding (`env.ARTICLE_LIVE`) and the stub it hands out per article. */
export interface ArticleLiveNamespace {
  idFromName(name: string): unknown
  get(id: unknown): { fetch(input: string | Request, init?: RequestInit): Promise<Response> }
}

export const articleLive = (namespace: ArticleLiveNamespace, articleId: string) => namespace.get(namespace.idFromName(articleId))

interface Kept {
  seq: number
  message: LiveMessage
}

// Keys sort in arrival order, which is the order every socket saw; ids from different Workers'
// clocks need not.
const keyOf = (seq: number) => `m:${seq.toString(36).padStart(10, '0')}`

const refuse = (status: 503 | 429, message: string, retryAfter: number) =>
  Response.json(errorBody(status === 503 ? 'unavailable' : 'rate_limited', message), { status, headers: { 'retry-after': String(retryAfter) } })

export class ArticleLive {
  private kept: Promise<Kept[]> | null = null

  constructor(private readonly ctx: ArticleLiveState) {
    // Readers' keep-alive pings are answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'))
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url)
    if (request.headers.get('upgrade')?.toLowerCase() === 'websocket') return this.connect(request, url.searchParams.get('lastEventId'))
    if (request.method === 'POST' && url.pathname === '/publish') {
      await this.publish((await request.json()) as LiveMessage)
      return new Response(null, { status: 204 })
    }
    return Response.json(errorBody('not_found', 'Not found'), { status: 404 })
  }

  private async connect(request: Request, lastEventId: string | null): Promise<Response> {
    if (this.ctx.getWebSockets().length >= MAX_SOCKETS) return refuse(503, 'Too many live readers on this article right now; try again shortly', 5 + Math.floor(Math.random() * 10))
    const ipTag = await peerTag(request.headers.get('cf-connecting-ip'))
    if (ipTag && this.ctx.getWebSockets(ipTag).length >= MAX_SOCKETS_PER_IP) return refuse(429, 'Too many live streams from this address', 30)
    // Read before accepting: from here to the 101 nothing awaits, so no message can slip between the
    // replay and the live ones, nor arrive twice.
    const kept = lastEventId && ID_PATTERN.test(lastEventId) ? await this.recent() : []
    const { 0: client, 1: server } = new WebSocketPair()
    this.ctx.acceptWebSocket(server, ipTag ? [ipTag] : [])
    if (lastEventId && kept.length > 0) {
      const at = kept.findIndex((k) => k.message.id === lastEventId)
      // Older than what is kept (or not ours): a gap must never pass for "nothing happened".
      if (at < 0) server.send(JSON.stringify({ id: kept[kept.length - 1]!.message.id, event: 'reset', data: {} } satisfies LiveMessage))
      else for (const { message } of kept.slice(at + 1)) server.send(JSON.stringify(message))
    }
    return new Response(null, { status: 101, webSocket: client } as ResponseInit)
  }

  private async publish(message: LiveMessage) {
    const kept = await this.recent()
    const seq = (kept[kept.length - 1]?.seq ?? 0) + 1
    kept.push({ seq, message })
    const dropped = kept.length > KEPT_MESSAGES ? kept.splice(0, kept.length - KEPT_MESSAGES) : []
    const text = JSON.stringify(message)
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(text)
      } catch {
        closeQuietly(socket, 1011, 'send failed')
      }
    }
    await this.ctx.storage.put(keyOf(seq), message)
    if (dropped.length > 0) await this.ctx.storage.delete(dropped.map((k) => keyOf(k.seq)))
  }

  /** The kept messages, read from storage once per wake-up. */
  private recent(): Promise<Kept[]> {
    this.kept ??= this.ctx.storage.list<LiveMessage>({ prefix: 'm:' }).then((stored) => [...stored].map(([key, message]) => ({ seq: parseInt(key.slice(2), 36), message })))
    return this.kept
  }

  /** Readers send nothing but pings, which the runtime answers itself; anything else is ignored. */
  webSocketMessage(_socket: WebSocket, _message: string | ArrayBuffer) {}

  webSocketClose(socket: WebSocket, code: number, reason: string) {
    // 1005 and 1006 describe a close; they may not be sent in one.
    closeQuietly(socket, code === 1005 || code === 1006 ? 1000 : code, reason)
  }

  webSocketError(socket: WebSocket) {
    closeQuietly(socket, 1011, 'error')
  }
}

function closeQuietly(socket: WebSocket, code: number, reason: string) {
  try {
    socket.close(code, reason)
  } catch {
    // already closed
  }
}

/** A tag per address (hashed; the runtime keeps tags while the socket lives) for the per-IP limit. */
async function peerTag(ip: string | null): Promise<string | null> {
  if (!ip) return null
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(ip)))
  return `ip:${[...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}
