import { describe, expect, it } from 'vitest'
import { respectAddress } from './comments.reactions.js'

describe('the address a guest respects from', () => {
  it('is an IPv4 address as it is, also when a dual-stack socket maps it into IPv6', () => {
    expect(respectAddress('203.0.113.5')).toBe('203.0.113.5')
    expect(respectAddress('::ffff:203.0.113.5')).toBe('203.0.113.5')
    expect(respectAddress('::FFFF:198.51.100.7')).toBe('198.51.100.7')
  })

  it('is an IPv6 address by its /64, however it is written', () => {
    expect(respectAddress('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64')
    expect(respectAddress('2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64')
    expect(respectAddress('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(respectAddress('2001:db8:1:3::1')).not.toBe(respectAddress('2001:db8:1:2::1'))
  })

  it('is one shared "unknown" when the address is not known', () => {
    expect(respectAddress(null)).toBe('unknown')
  })
})
