// Live on Workers: one Durable Object per article holds its readers' WebSockets through the Hibernation
// API, so an article nobody is commenting on costs nothing while its readers sit idle. The Worker that
// made a change posts the readers' message here; the object sends it to every socket and keeps the last
// ones in its storage (memory is lost whenever the object hibernates) for readers that reconnect.
import { networkOf } from '../lib/address.js'
import { hmacSha256, toHex } from '../lib/crypto.js'
import { errorBody } from '../lib/errors.js'
import { ID_PATTERN, randomTokenId } from '../lib/ids.js'
import type { LiveMessage } from '../../live/live.events.js'
import { type NetworkLiveNamespace, acquireTicket, releaseTicket } from './live.networks.js'

/** Sockets one article holds at most; past it new readers get 503 and the widget retries later. */
export const MAX_SOCKETS = 5_000
/**
 * Sockets per network (an IPv6 /64, an IPv4 address) on one article: a reader's tabs, not a script holding
 * every slot. Across articles the network's own object counts them (live.networks.ts).
 */
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
  id: { toString(): string }
  storage: DurableStorage
  acceptWebSocket(socket: WebSocket, tags?: string[]): void
  getWebSockets(tag?: string): WebSocket[]
  getTags(socket: WebSocket): string[]
  setWebSocketAutoResponse(pair: unknown): void
}

/** The bindings the object reads: the per-network counter (optional) and the key for the networks' hashes. */
export interface ArticleLiveEnv {
  LIVE_NETWORKS?: NetworkLiveNamespace
  IP_HASH_SECRET?: string
}

/** The Worker's side: the binding (`env.ARTICLE_LIVE`) and the stub it hands out per article. */
export interface ArticleLiveNamespace {
  idFromName(name: string): unknown
  idFromString(id: string): unknown
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
  Response.json(errorBody(status === 503 ? 'unavailable' : 'rate_limited', message), {
    status,
    headers: { 'retry-after': String(retryAfter) },
  })

export class ArticleLive {
  private kept: Promise<Kept[]> | null = null

  constructor(
    private readonly ctx: ArticleLiveState,
    private readonly env: ArticleLiveEnv = {},
  ) {
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
    // The network's counter asks whether a ticket's socket is still open here.
    if (url.pathname === '/holds') return Response.json({ open: this.ctx.getWebSockets(`t:${url.searchParams.get('ticket')}`).length > 0 })
    return Response.json(errorBody('not_found', 'Not found'), { status: 404 })
  }

  /** Why this article takes no more sockets from a network now, if it does not. */
  private full(network: string | null): Response | null {
    if (this.ctx.getWebSockets().length >= MAX_SOCKETS)
      return refuse(503, 'Too many live readers on this article right now; try again shortly', 5 + Math.floor(Math.random() * 10))
    if (network && this.ctx.getWebSockets(network).length >= MAX_SOCKETS_PER_IP)
      return refuse(429, 'Too many live streams from this address', 30)
    return null
  }

  private async connect(request: Request, lastEventId: string | null): Promise<Response> {
    const network = await networkTag(this.env.IP_HASH_SECRET, request.headers.get('cf-connecting-ip'))
    const early = this.full(network)
    if (early) return early
    const networks = this.env.LIVE_NETWORKS
    const ticket = network && networks ? randomTokenId() : null
    if (ticket && !(await acquireTicket(networks!, network!, ticket, this.ctx.id.toString())))
      return refuse(429, 'Too many live streams from this address', 30)
    // Other readers came in while the counter answered.
    const late = this.full(network)
    if (late) {
      if (ticket) await releaseTicket(networks!, network!, ticket)
      return late
    }
    // Read before accepting: from here to the 101 nothing awaits, so no message can slip between the
    // replay and the live ones, nor arrive twice.
    const kept = lastEventId && ID_PATTERN.test(lastEventId) ? await this.recent() : []
    const { 0: client, 1: server } = new WebSocketPair()
    this.ctx.acceptWebSocket(server, [...(network ? [network] : []), ...(ticket ? [`t:${ticket}`] : [])])
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
    this.kept ??= this.ctx.storage
      .list<LiveMessage>({ prefix: 'm:' })
      .then((stored) => [...stored].map(([key, message]) => ({ seq: parseInt(key.slice(2), 36), message })))
    return this.kept
  }

  /** Readers send nothing but pings, which the runtime answers itself; anything else is ignored. */
  webSocketMessage(_socket: WebSocket, _message: string | ArrayBuffer) {}

  async webSocketClose(socket: WebSocket, code: number, reason: string) {
    // 1005 and 1006 describe a close; they may not be sent in one.
    closeQuietly(socket, code === 1005 || code === 1006 ? 1000 : code, reason)
    await this.handBack(socket)
  }

  async webSocketError(socket: WebSocket) {
    closeQuietly(socket, 1011, 'error')
    await this.handBack(socket)
  }

  /** Gives a closed socket's ticket back to its network's counter (twice is harmless). */
  private async handBack(socket: WebSocket) {
    const networks = this.env.LIVE_NETWORKS
    if (!networks) return
    const tags = this.ctx.getTags(socket)
    const network = tags.find((tag) => tag.startsWith('ip:'))
    const ticket = tags.find((tag) => tag.startsWith('t:'))
    if (network && ticket) await releaseTicket(networks, network, ticket.slice(2))
  }
}

function closeQuietly(socket: WebSocket, code: number, reason: string) {
  try {
    socket.close(code, reason)
  } catch {
    // already closed
  }
}

/**
 * A tag per network (an IPv6 /64, an IPv4 address), as a keyed hash: the runtime keeps tags while the
 * socket lives, and the network's counter object is named by it.
 */
async function networkTag(secret: string | undefined, ip: string | null): Promise<string | null> {
  if (!ip) return null
  const network = networkOf(ip)
  const digest = secret
    ? await hmacSha256(secret, `live:${network}`)
    : new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(network)))
  return `ip:${toHex(digest.slice(0, 8))}`
}
