import { describe, expect, it } from 'vitest'
import { networkOf } from './address.js'

describe('the network a client address counts as', () => {
  it('is an IPv4 address as it is, also when a dual-stack socket maps it into IPv6', () => {
    expect(networkOf('203.0.113.5')).toBe('203.0.113.5')
    expect(networkOf('::ffff:203.0.113.5')).toBe('203.0.113.5')
    expect(networkOf('::FFFF:198.51.100.7')).toBe('198.51.100.7')
  })

  it('is an IPv6 address by its /64, however it is written', () => {
    expect(networkOf('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64')
    expect(networkOf('2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64')
    expect(networkOf('2001:DB8:1:2:FFFF::9')).toBe('2001:db8:1:2::/64')
    expect(networkOf('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(networkOf('[2001:db8:1:2::1]')).toBe('2001:db8:1:2::/64')
    expect(networkOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(networkOf('2001:db8:1:3::1')).not.toBe(networkOf('2001:db8:1:2::1'))
  })

  it('is one shared "unknown" when the address is not known', () => {
    expect(networkOf(null)).toBe('unknown')
  })
})
