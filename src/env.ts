import { z } from 'zod'
import type { AppConfig } from './platform/lib/config.js'
import { IP_RETENTION_DEFAULT_DAYS, IP_RETENTION_MIN_DAYS } from './moderation/moderation.retention.js'
import { LOG_LEVELS } from './platform/ops/ops.log.js'

const origin = z
  .string()
  .trim()
  .transform((value, ctx) => {
    try {
      const url = new URL(value)
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme')
      return url.origin
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not an http(s) origin` })
      return z.NEVER
    }
  })

const proxyHops = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const text = String(value).trim().toLowerCase()
  if (['', '0', 'false', 'no'].includes(text)) return 0
  if (['true', 'yes'].includes(text)) return 1
  const hops = Number(text)
  if (Number.isInteger(hops) && hops >= 1 && hops <= 10) return hops
  ctx.addIssue({ code: 'custom', message: 'must be false, true, or the number of proxies in front (1–10)' })
  return z.NEVER
})

/** Every setting the server reads from its environment, parsed once at start-up. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  /**
   * The address the Node server binds to: unset, every interface (as before); `127.0.0.1` (or `::1`) behind a
   * proxy on the same machine, so nothing reaches the server around the proxy.
   */
  HOST: z
    .string()
    .trim()
    .pipe(z.union([z.ipv4(), z.ipv6(), z.hostname()], { error: 'must be an IP address or a host name, such as 127.0.0.1' }))
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').filter((part) => part.trim() !== ''))
    .pipe(z.array(origin)),
  /** The server's own public URL (for printed links, cookies and CORS); defaults to http://localhost:PORT. */
  PUBLIC_URL: origin.optional(),
  /** Key for the keyed hash of reader IPs; generated into DATA_DIR on the embedded default. */
  IP_HASH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * How many proxies of yours stand in front (0 = none: X-Forwarded-For is ignored). `true` means one.
   * The client is the entry that many places from the right: proxies append, and the left is the client's to write.
   */
  TRUST_PROXY: proxyHops.default(0),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PERSPECTIVE_API_KEY: z.string().min(1).optional(),
  AKISMET_API_KEY: z.string().min(1).optional(),
  SCREENING_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(2000),
  /** smtp://user:pass@host:port or smtps://…; unset, mails are printed to the console instead. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().trim().min(3).default('Comments <comments@localhost>'),
  /** Workers: an HTTP mail API (JSON POST) and its key, when no send_email binding is used. */
  MAIL_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  MAIL_API_KEY: z.string().min(1).optional(),
  /** Seconds between the outbox's looks for work, and before a dead sender's mail is retried (tests shorten both). */
  MAIL_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
  MAIL_EXPIRE_SECONDS: z.coerce.number().int().min(2).max(3600).default(300),
  /** Seconds before a webhook delivery whose sender died mid-request is sent again (requests time out at half, 10 s at most). */
  WEBHOOK_EXPIRE_SECONDS: z.coerce.number().int().min(4).max(3600).default(60),
  /**
   * Days a comment keeps its address hash, and a resolved report its reporter's; the nightly retention job
   * clears them after. At least BANNED_ADDRESS_DAYS: a ban holds the addresses used in its last 30 days.
   */
  IP_RETENTION_DAYS: z.coerce.number().int().min(IP_RETENTION_MIN_DAYS).max(3650).default(IP_RETENTION_DEFAULT_DAYS),
  /** Live streams one Node process holds at most (past it: 503 with Retry-After), and per client address. */
  LIVE_MAX_STREAMS: z.coerce.number().int().min(1).max(1_000_000).default(20_000),
  LIVE_MAX_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** On SIGTERM: how long in-flight requests, jobs and live streams get before the process exits anyway. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(10),
  /** Serves GET /metrics (Node) to callers sending `Authorization: Bearer METRICS_TOKEN`; unset, /metrics is 404. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Unset: info (warn under NODE_ENV=test). */
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  /** json: one JSON object a line (for a log pipeline); pretty: short readable lines for a terminal. */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
})

export type Env = z.infer<typeof envSchema>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Parses the environment; a bad value throws one line naming the variable. */
/** `serving: false` for the command-line tools, which never hash an IP and so need no secret. */
export function parseEnv(source: Record<string, string | undefined>, { serving = true }: { serving?: boolean } = {}): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''))
  const result = envSchema.safeParse(cleaned)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const name = String(issue.path[0] ?? 'environment')
    throw new ConfigError(`Invalid configuration: ${name}: ${issue.message}`)
  }
  const env = result.data
  const production = env.NODE_ENV === 'production' || env.DATABASE_URL !== undefined
  if (serving && production && env.IP_HASH_SECRET === undefined && env.NODE_ENV !== 'test') {
    throw new ConfigError(
      'Invalid configuration: IP_HASH_SECRET: required with DATABASE_URL or NODE_ENV=production (32+ random characters)',
    )
  }
  return env
}

/**
 * The usual ways a start fails, as one line that names the problem and the variable to change; null for
 * anything else (then the whole error is worth printing).
 */
export function startupProblem(error: unknown, source: Record<string, string | undefined>): string | null {
  const { code, message } = (error ?? {}) as { code?: string; message?: string }
  const where = (() => {
    try {
      const url = new URL(source.DATABASE_URL ?? '')
      return `${url.hostname}:${url.port || 5432}${url.pathname}`
    } catch {
      return 'the configured server'
    }
  })()
  const user = (() => {
    try {
      return decodeURIComponent(new URL(source.DATABASE_URL ?? '').username) || 'the default user'
    } catch {
      return 'the configured user'
    }
  })()
  switch (code) {
    case 'EADDRINUSE':
      return `PORT ${source.PORT ?? 8787} is already in use: stop the other server there, or set PORT to a free port`
    case 'EADDRNOTAVAIL':
      return `HOST ${source.HOST ?? ''} is not an address of this machine: use one it has (127.0.0.1 for loopback), or leave HOST unset`
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return `DATABASE_URL: cannot reach PostgreSQL at ${where} (${code}); is it running, and is the address right?`
    case '28P01':
      return `DATABASE_URL: PostgreSQL refused the password for ${user}`
    case '28000':
      return `DATABASE_URL: PostgreSQL refused ${user}: ${message ?? 'no such role, or not allowed from here'}`
    case '3D000':
      return `DATABASE_URL: ${message ?? 'the database does not exist'}; create it first (createdb), then start again`
    case '42501':
      return `DATABASE_URL: ${user} may not create the tables (${message}); give it the rights on the database, or run npm run migrate as its owner`
    default:
      return null
  }
}

/** The configuration both runtimes build from their parsed environment (Node: process env; Workers: bindings). */
export function appConfig(env: Env, ipHashSecret: string): AppConfig {
  return {
    publicOrigins: env.PUBLIC_ORIGINS,
    publicUrl: env.PUBLIC_URL ?? null,
    mailOrigin: env.PUBLIC_URL ?? (env.NODE_ENV === 'production' ? null : `http://localhost:${env.PORT}`),
    ipHashSecret,
    production: env.NODE_ENV === 'production',
    screeningTimeoutMs: env.SCREENING_TIMEOUT_MS,
    perspectiveApiKey: env.PERSPECTIVE_API_KEY ?? null,
    akismetApiKey: env.AKISMET_API_KEY ?? null,
    mailExpireSeconds: env.MAIL_EXPIRE_SECONDS,
    webhookExpireSeconds: env.WEBHOOK_EXPIRE_SECONDS,
    liveTransport: 'sse',
    liveLimits: { maxStreams: env.LIVE_MAX_STREAMS, maxPerIp: env.LIVE_MAX_PER_IP },
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'warn' : 'info'),
  }
}
