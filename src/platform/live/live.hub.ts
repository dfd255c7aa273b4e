// One process's live streams: who listens to what, the recent messages for resuming, and the limits.
// Runtime-neutral: the Node SSE routes and the tests drive it; a Durable Object plays its part on Workers.
import type { LiveMessage } from '../../live/live.events.js'

export interface LiveSink {
  /** Sends one message; false when the consumer is too slow and was dropped. */
  send(message: LiveMessage): boolean
  close(): void
}

export interface LiveLimits {
  /** Open streams one process holds at most; past it new ones get 503 with Retry-After. */
  maxStreams: number
  /** Open streams per client address (held in memory only, never stored): a reader with many tabs, not a script with thousands. */
  maxPerIp: number
  /** How many recent messages are kept for Last-Event-ID, and for how long. */
  replayMessages: number
  replaySeconds: number
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = { maxStreams: 20_000, maxPerIp: 20, replayMessages: 5_000, replaySeconds: 300 }

export type Refusal = { reason: 'process_full' | 'ip_full'; retryAfter: number }

interface Stored {
  channel: string
  message: LiveMessage
  at: number
}

export class LiveHub {
  private readonly channels = new Map<string, Set<LiveSink>>()
  private readonly perIp = new Map<string, number>()
  private readonly recent: Stored[] = []
  /** When each channel's last stream left: its messages are kept a while for one that reconnects. */
  private readonly leftAt = new Map<string, number>()
  private open = 0

  constructor(readonly limits: LiveLimits = DEFAULT_LIVE_LIMITS) {}

  get openStreams() {
    return this.open
  }

  /** Whether a channel's messages are wanted: someone listens, or listened recently and may resume. */
  listening(channel: string): boolean {
    if ((this.channels.get(channel)?.size ?? 0) > 0) return true
    const left = this.leftAt.get(channel)
    return left !== undefined && Date.now() - left < this.limits.replaySeconds * 1000
  }

  /** Admits a stream, or says why not. Call `leave` once it closes. */
  admit(ipKey: string): Refusal | null {
    if (this.open >= this.limits.maxStreams) return { reason: 'process_full', retryAfter: 5 + Math.floor(Math.random() * 10) }
    if ((this.perIp.get(ipKey) ?? 0) >= this.limits.maxPerIp) return { reason: 'ip_full', retryAfter: 30 }
    this.open++
    this.perIp.set(ipKey, (this.perIp.get(ipKey) ?? 0) + 1)
    return null
  }

  /**
   * Adds a sink to a channel. With `lastEventId`, first replays what it missed; when that is older than
   * what is kept, it is told to start over (a `reset`), since a gap must never pass for "nothing happened".
   */
  join(channel: string, sink: LiveSink, lastEventId: string | null) {
    this.prune()
    let sinks = this.channels.get(channel)
    if (!sinks) {
      sinks = new Set()
      this.channels.set(channel, sinks)
    }
    sinks.add(sink)
    if (!lastEventId) return
    // Replay from the message the stream last had, in the order this process received them. A message it
    // does not hold (a restart, another replica that was not watching, too long ago) means a gap it cannot
    // fill, which is never passed off as quiet.
    const at = this.recent.findIndex((kept) => kept.channel === channel && kept.message.id === lastEventId)
    if (at < 0) return void sink.send({ id: '', event: 'reset', data: {} })
    for (const { channel: c, message } of this.recent.slice(at + 1)) if (c === channel) sink.send(message)
  }

  leave(channel: string, sink: LiveSink, ipKey: string) {
    const sinks = this.channels.get(channel)
    if (sinks?.delete(sink) && sinks.size === 0) {
      this.channels.delete(channel)
      this.leftAt.set(channel, Date.now())
    }
    this.open = Math.max(0, this.open - 1)
    const count = (this.perIp.get(ipKey) ?? 1) - 1
    if (count <= 0) this.perIp.delete(ipKey)
    else this.perIp.set(ipKey, count)
  }

  /** Sends to every sink of a channel and keeps the message for resuming; slow sinks are dropped. */
  deliver(channel: string, message: LiveMessage) {
    this.recent.push({ channel, message, at: Date.now() })
    this.prune()
    for (const sink of this.channels.get(channel) ?? []) if (!sink.send(message)) sink.close()
  }

  private prune() {
    const horizon = Date.now() - this.limits.replaySeconds * 1000
    let drop = 0
    while (drop < this.recent.length && (this.recent.length - drop > this.limits.replayMessages || this.recent[drop]!.at < horizon)) drop++
    if (drop > 0) this.recent.splice(0, drop)
    for (const [channel, left] of this.leftAt) if (left < horizon) this.leftAt.delete(channel)
  }
}
