// Node's logger: pino, JSON lines on stdout; LOG_FORMAT=pretty turns each line into a short readable one
// for a terminal (no extra dependency: the fields are few and flat).
import { pino } from 'pino'
import type { Log, LogLevel } from './ops.log.js'

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }

/** One JSON line as a terminal line: time, level, message or request, then the other fields. */
export function prettyLine(line: string): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line)
  } catch {
    return line
  }
  const { time, level, msg, pid: _pid, hostname: _hostname, method, route, status, ms, err, ...rest } = entry
  const clock = new Date(Number(time)).toISOString().slice(11, 23)
  const head = [clock, (LEVEL_NAMES[Number(level)] ?? String(level)).padEnd(5)]
  if (method) head.push(`${method} ${route} ${status} ${ms}ms`)
  if (msg) head.push(String(msg))
  const tail = Object.entries(rest).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
  const stack = err && typeof err === 'object' && 'stack' in err ? `\n${(err as { stack: string }).stack}` : ''
  return `${[...head, ...tail].join(' ')}${stack}\n`
}

/**
 * Fields that must never be written, whatever a caller passes by mistake. Top-level only: pino's wildcard
 * paths (`*.email`) cost about 8 µs a line, which the hot read path would feel, and the lines here are flat.
 */
const NEVER_LOGGED = ['email', 'body', 'token', 'password', 'authorization', 'cookie']

/** `write` is for tests; without it, lines go to stdout synchronously (never lost to an exit). */
export function pinoLog(level: LogLevel, format: 'json' | 'pretty', write?: (line: string) => void): Log {
  const stream =
    format === 'pretty'
      ? { write: (line: string) => (write ?? ((text: string) => process.stdout.write(text)))(prettyLine(line)) }
      : write
        ? { write }
        : pino.destination({ dest: 1, sync: true })
  return pino({ level, base: { pid: process.pid }, redact: { paths: NEVER_LOGGED, censor: '[redacted]' } }, stream)
}
