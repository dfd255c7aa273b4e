/**
 * The normalised URL when it is http(s); anything else (javascript:, data:, garbage) is never linked,
 * mailed or stored as an address a reader may open.
 */
export function httpUrl(url: string): string | null {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null
  } catch {
    return null
  }
}
