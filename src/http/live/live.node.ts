// Live on Node: Server-Sent Events written straight to the socket (a few KB a stream; a Web stream per
// connection would cost several times that), fed by LISTEN/NOTIFY so a change on any replica reaches
// the streams of all.
import type { ServerResponse } from 'node:http'
import type { HttpBindings } from '@hono/node-server'
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response'
import type { Context } from 'hono'
import type { Connection } from '../../platform/db/connect-node.js'
import { networkOf } from '../../platform/lib/address.js'
import { AppError } from '../../platform/lib/errors.js'
import { type LiveMessage, type LiveNotice, MODERATOR_CHANNEL, articleChannel } from '../../live/live.events.js'
import { DEFAULT_LIVE_LIMITS, LiveHub, type LiveLimits, type LiveSink } from '../../platform/live/live.hub.js'
import { moderatorMessage, readerMessage } from '../../live/live.messages.js'
import type { Unlisten } from '../../platform/live/live.bus.js'
import type { AppEnv } from '../shared/context.js'
import { followSettings, forgetCachedSettings } from '../../settings/settings.repository.js'

/** A consumer this far behind is dropped: it reconnects with Last-Event-ID and catches up. */
const MAX_BUFFERED_BYTES = 64 * 1024
const HEARTBEAT_MS = 25_000

export class NodeLive {
  readonly hub: LiveHub
  private listening: Promise<Unlisten> | null = null
  private heartbeat: NodeJS.Timeout | null = null
  private readonly sinks = new Set<SseSink>()
  private draining = false

  constructor(
    private readonly connection: Connection,
    limits: LiveLimits = DEFAULT_LIVE_LIMITS,
  ) {
    this.hub = new LiveHub(limits)
  }

  /** Listening starts with the first stream: a process nobody watches live holds no extra connection. */
  private listen() {
    this.listening ??= this.connection
      .listen(
        (notice) => {
          // Heard at once, outside the streams' queue: the next post must not read the old settings.
          if (notice.type === 'settings') forgetCachedSettings(this.connection.db)
          else this.inOrder(notice)
        },
        () => {
          forgetCachedSettings(this.connection.db)
          this.resetAll()
        },
      )
      .catch((error) => {
        // The next stream tries again rather than every stream failing until a restart.
        this.listening = null
        throw error
      })
    return this.listening
  }

  private unfollow: (() => void) | null = null

  /**
   * Listens from now on, streams or not, so this replica can keep the site's settings until a change is
   * heard (from any replica) instead of reading them for every post.
   */
  async followSettings() {
    if (this.unfollow) return
    await this.listen()
    this.unfollow ??= followSettings(this.connection.db)
  }

  /**
   * Messages are built one notice at a time, in the order the bus delivered them: a comment's `hidden`
   * never overtakes its `comment`, and every stream (and the replay) sees one order.
   */
  private queue: Promise<void> = Promise.resolve()
  private inOrder(notice: LiveNotice) {
    this.queue = this.queue.then(() => this.receive(notice)).catch((error) => console.error('[comments] live:', error))
  }

  private async receive(notice: LiveNotice) {
    const db = this.connection.db
    const readers = notice.articleId ? articleChannel(notice.articleId) : null
    if (readers && this.hub.listening(readers)) {
      const message = await readerMessage(db, notice)
      if (message) this.hub.deliver(readers, message)
    }
    if (this.hub.listening(MODERATOR_CHANNEL) && notice.type !== 'edited')
      this.hub.deliver(MODERATOR_CHANNEL, await moderatorMessage(db, notice))
  }

  /** Notices may have been missed: every stream is told to reload rather than trust a gap. */
  private resetAll() {
    // No id: a reset is no place to resume from.
    const reset: LiveMessage = { id: '', event: 'reset', data: {} }
    for (const sink of this.sinks) sink.send(reset)
  }

  /**
   * Opens an SSE stream on the raw Node response. The response is written here, not by Hono, hence
   * RESPONSE_ALREADY_SENT; the closures keep the socket, not the request context.
   */
  async stream(c: Context<AppEnv>, channel: string, corsOrigin: string | null) {
    const res = (c.env as HttpBindings | undefined)?.outgoing as ServerResponse | undefined
    // app.request() in tests, or a fetch handler without Node's socket: nothing to stream on.
    if (!res) throw new AppError(503, 'unavailable', 'Live streams are served by the Node server only', undefined, { 'Retry-After': '60' })
    if (this.draining) throw new AppError(503, 'unavailable', 'This server is stopping; try again', undefined, { 'Retry-After': '2' })
    // Listening first: from admission to the close handler below nothing waits, so a reader who leaves
    // early cannot keep their slot.
    await this.listen()
    if (res.destroyed) return RESPONSE_ALREADY_SENT
    // Held in memory only, by network: a /64's many addresses are one reader's.
    const ipKey = networkOf(c.var.services.clientIp(c))
    const refusal = this.hub.admit(ipKey)
    if (refusal) {
      throw new AppError(
        refusal.reason === 'process_full' ? 503 : 429,
        refusal.reason === 'process_full' ? 'unavailable' : 'rate_limited',
        refusal.reason === 'process_full'
          ? 'Too many live readers right now; try again shortly'
          : 'Too many live streams from this address',
        undefined,
        { 'Retry-After': String(refusal.retryAfter) },
      )
    }
    const lastEventId = c.req.header('last-event-id') ?? c.req.query('lastEventId') ?? null
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no', // nginx: pass events through at once
      ...(corsOrigin ? { 'access-control-allow-origin': corsOrigin, vary: 'Origin' } : {}),
    })
    // Reconnections spread over 4–8 s, so a restarted server is not met by every reader in the same second.
    res.write(`retry: ${4000 + Math.floor(Math.random() * 4000)}\n\n`)
    const leave = () => {
      if (!this.sinks.delete(sink)) return
      clearTimeout(expiry)
      this.hub.leave(channel, sink, ipKey)
    }
    const sink = sseSink(res, leave)
    this.sinks.add(sink)
    this.startHeartbeat()
    res.on('close', leave)
    // A session may end (signed out, disabled): moderators' streams close now and then, and the browser
    // reconnects through the session check with its Last-Event-ID.
    const expiry = setTimeout(() => sink.close(), channel === MODERATOR_CHANNEL ? 15 * 60_000 : 24 * 3600_000)
    expiry.unref()
    this.hub.join(channel, sink, lastEventId && /^[0-9a-z]{26}$/.test(lastEventId) ? lastEventId : null)
    return RESPONSE_ALREADY_SENT
  }

  /** One timer for every stream, not one each: comments keep idle proxies from closing them. */
  private startHeartbeat() {
    this.heartbeat ??= setInterval(() => {
      for (const sink of this.sinks) if (!sink.ping()) sink.close()
    }, HEARTBEAT_MS).unref()
  }

  /** Streams open in this process (the live_streams_open gauge). */
  get openStreams() {
    return this.sinks.size
  }

  /**
   * Why this process cannot serve live streams now, or null: it is stopping, or its LISTEN connection is
   * not open (opened here if no stream opened it yet, so /ready checks the real thing).
   */
  async notReady(timeoutMs = 3000): Promise<string | null> {
    if (this.draining) return 'The server is stopping'
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs)
    })
    try {
      const unlisten = await Promise.race([this.listen(), late])
      return unlisten && (unlisten.open?.() ?? true) ? null : 'The LISTEN connection for live streams is not open'
    } catch {
      return 'The LISTEN connection for live streams is not open'
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * A stopping server's goodbye: new streams are refused, and each open one is told to come back in a
   * second or two (a `retry:` line, then the end of the response), when a load balancer sends it to a
   * replica still serving. Resuming there with Last-Event-ID misses nothing.
   */
  async drain(): Promise<void> {
    this.draining = true
    const ends = [...this.sinks].map((sink) => sink.goodbye(1000 + Math.floor(Math.random() * 2000)))
    await Promise.all(ends)
  }

  async stop() {
    this.unfollow?.()
    this.draining = true
    if (this.heartbeat) clearInterval(this.heartbeat)
    for (const sink of this.sinks) sink.close()
    const unlisten = await this.listening?.catch(() => null)
    await unlisten?.()
  }
}

/** `goodbye` resolves once the last bytes are handed to the socket (or the socket is gone). */
type SseSink = LiveSink & { ping(): boolean; goodbye(retryMs: number): Promise<void> }

/** One message is framed once however many streams it goes to. */
const frames = new WeakMap<LiveMessage, string>()
const frameOf = (m: LiveMessage) => {
  let frame = frames.get(m)
  if (frame === undefined) {
    frame = `id: ${m.id}\nevent: ${m.event}\ndata: ${JSON.stringify(m.data)}\n\n`
    frames.set(m, frame)
  }
  return frame
}

function sseSink(res: ServerResponse, onClose: () => void): SseSink {
  const write = (text: string) => {
    if (res.writableEnded || res.destroyed) return false
    if (res.writableLength > MAX_BUFFERED_BYTES) return false
    res.write(text)
    return true
  }
  return {
    send: (m) => write(frameOf(m)),
    ping: () => write(':\n\n'),
    close: () => {
      res.destroy()
      onClose()
    },
    goodbye: (retryMs) =>
      new Promise<void>((resolve) => {
        onClose()
        if (res.writableEnded || res.destroyed) return resolve()
        res.once('close', resolve)
        res.end(`retry: ${retryMs}\n\n`, resolve)
      }),
  }
}
