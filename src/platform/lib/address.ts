/**
 * The network a client address counts as, for every per-address limit and for the address hash kept
 * with a comment: an IPv6 address by its /64 (a household or a phone is given a whole /64 and may rotate
 * through it at will, so counting its addresses apart would count one reader 2^64 times), an IPv4 address
 * as it is, also when a dual-stack socket reports it IPv4-mapped (::ffff:203.0.113.5).
 */
export function networkOf(ip: string | null): string {
  if (!ip) return 'unknown'
  // A zone (fe80::1%eth0) or brackets ([2001:db8::1]) name the same address.
  const address = ip
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .split('%')[0]!
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address)?.[1]
  if (v4) return v4
  if (!address.includes(':')) return address
  const [head = '', tail = ''] = address.toLowerCase().split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = address.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`
}
