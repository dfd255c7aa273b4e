import { describe, expect, it } from 'vitest'
import { newId } from '../lib/ids.js'
import type { LiveMessage } from '../../live/live.events.js'
import { LiveHub } from './live.hub.js'

const sink = (accept = true) => {
  const got: LiveMessage[] = []
  let closed = false
  return {
    got,
    closed: () => closed,
    send: (m: LiveMessage) => accept && got.push(m) > 0,
    close: () => {
      closed = true
    },
  }
}
const message = (event = 'comment'): LiveMessage => ({ id: newId(), event, data: {} })
const limits = { maxStreams: 3, maxPerIp: 2, replayMessages: 3, replaySeconds: 60 }

describe('the live hub', () => {
  it('replays what a returning stream missed, and says reset for a gap it did not watch', async () => {
    const hub = new LiveHub(limits)
    const first = sink()
    hub.join('a', first, null)
    const seen = message()
    hub.deliver('a', seen)
    hub.leave('a', first, 'ip')
    const missed = message()
    hub.deliver('a', missed) // nobody connected, but the channel was watched a moment ago
    const back = sink()
    hub.join('a', back, seen.id)
    expect(back.got).toEqual([missed])

    // Another channel this process never watched: a resume cannot be trusted.
    const elsewhere = sink()
    hub.join('b', elsewhere, seen.id)
    expect(elsewhere.got.map((m) => m.event)).toEqual(['reset'])
  })

  it('keeps only the last messages, and a resume from before them is a reset', () => {
    const hub = new LiveHub(limits)
    hub.join('a', sink(), null)
    const early = message()
    hub.deliver('a', early)
    for (let i = 0; i < 3; i++) hub.deliver('a', message())
    const late = sink()
    hub.join('a', late, early.id)
    expect(late.got.map((m) => m.event)).toEqual(['reset'])
  })

  it('drops a consumer that cannot keep up, and caps streams per address and per process', () => {
    const hub = new LiveHub(limits)
    const slow = sink(false)
    hub.join('a', slow, null)
    hub.deliver('a', message())
    expect(slow.closed()).toBe(true)
    expect(hub.admit('ip1')).toBeNull()
    expect(hub.admit('ip1')).toBeNull()
    expect(hub.admit('ip1')).toMatchObject({ reason: 'ip_full' })
    expect(hub.admit('ip2')).toBeNull()
    expect(hub.admit('ip3')).toMatchObject({ reason: 'process_full' })
    expect(hub.openStreams).toBe(3)
  })
})
