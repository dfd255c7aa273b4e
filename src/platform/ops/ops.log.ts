// Structured logs: one JSON object a line, the same fields on every runtime. Node writes them through pino
// (ops.pino.ts); the Worker and the default here through console.log. Callers pass ids, routes, counts and
// durations: never an email, a token, an address or a comment's text.

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export type LogFields = Record<string, unknown>

/** pino's calling convention (fields first, then the message), so a pino logger is one as it stands. */
export interface Log {
  debug(fields: LogFields, message?: string): void
  info(fields: LogFields, message?: string): void
  warn(fields: LogFields, message?: string): void
  error(fields: LogFields, message?: string): void
}

const RANK: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity }

/** An error as log fields: its name, message and stack, without whatever else it carries (a query's parameters). */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { err: { message: String(error) } }
  return { err: { type: error.name, message: error.message, stack: error.stack } }
}

/**
 * JSON lines through console.log (Workers' logs take them as they are). `write` is for tests; the level
 * numbers and the `time` field are pino's, so one log pipeline reads both runtimes.
 */
export function consoleLog(level: LogLevel, write: (line: string) => void = console.log): Log {
  const at = (name: Exclude<LogLevel, 'silent'>) => {
    const rank = RANK[name]
    if (rank < RANK[level]) return () => undefined
    return (fields: LogFields, message?: string) =>
      write(JSON.stringify({ level: rank, time: Date.now(), ...fields, ...(message === undefined ? {} : { msg: message }) }))
  }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

export const silentLog = consoleLog('silent')
