import { spawn } from 'node:child_process'
import { join } from 'node:path'

export interface LoadResult {
  rps: number
  p50: number
  p99: number
  requests: number
  non2xx: number
  errors: number
  ok2xx: number
}

/** autocannon's own result, the parts the bench reads. */
export interface AutocannonResult {
  requests: { average: number; total: number }
  latency: { p50: number; p99: number }
  non2xx: number
  errors: number
  '2xx': number
}

/** The figures the bench prints, from autocannon's result (its CLI's JSON, or its API's callback). */
export const loadResultOf = (r: AutocannonResult): LoadResult => ({
  rps: r.requests.average,
  p50: r.latency.p50,
  p99: r.latency.p99,
  requests: r.requests.total,
  non2xx: r.non2xx,
  errors: r.errors,
  ok2xx: r['2xx'],
})

export interface LoadOptions {
  url: string
  connections: number
  seconds: number
  method?: 'GET' | 'POST'
  body?: string
  headers?: Record<string, string>
  /** Replace `[<id>]` in the body with a fresh id per request. */
  uniqueIds?: boolean
}

/** Runs autocannon in its own process so the load generator does not share the server's event loop. */
export function load(options: LoadOptions): Promise<LoadResult> {
  const args = ['-c', String(options.connections), '-d', String(options.seconds), '-j']
  if (options.method) args.push('-m', options.method)
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}=${value}`)
  if (options.body) args.push('-b', options.body)
  if (options.uniqueIds) args.push('-I')
  args.push(options.url)
  return new Promise((resolve, reject) => {
    const child = spawn(join(process.cwd(), 'node_modules', '.bin', 'autocannon'), args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon failed: ${err}`))
      resolve(loadResultOf(JSON.parse(out)))
    })
  })
}
