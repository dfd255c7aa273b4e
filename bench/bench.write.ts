// The bench's write line (posts as the widget sends them), the subset BENCH_ONLY picks, and the closing
// table of the hot paths beside their goals.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely'
import type { LoadResult } from './autocannon.js'

const picked = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean)

/** Whether a section runs: all of them, or those BENCH_ONLY names (read, write, extra or cold, live, search, overview, import). */
export const only = (section: string) => picked.length === 0 || picked.includes(section)

export interface StatementCounter extends KyselyPlugin {
  count(): number
  reset(): void
}

/** Counts the statements a handle executes: each is one round trip to the database. */
export function statementCounter(): StatementCounter {
  let executed = 0
  return {
    transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => args.node,
    transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => {
      executed++
      return args.result
    },
    count: () => executed,
    reset: () => {
      executed = 0
    },
  }
}

/** Runs bench/write-load.ts in a process of its own: posts with fresh form tokens, as the widget sends them. */
export function writeLoad(options: {
  url: string
  articleId: string
  connections: number
  seconds: number
  tokens: number
  minSecondsToPost: number
  /** Called when the tokens are fetched and posting starts. */
  onPosting?: () => void
}): Promise<LoadResult & { withoutToken: number }> {
  const args = [
    '--import',
    'tsx',
    join(process.cwd(), 'bench', 'write-load.ts'),
    options.url,
    options.articleId,
    String(options.connections),
    String(options.seconds),
    String(options.tokens),
    String(options.minSecondsToPost),
  ]
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => {
      const before = out
      out += d
      if (!before.includes('ready\n') && out.includes('ready\n')) options.onPosting?.()
    })
    child.stderr.on('data', (d) => (err += d))
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`write load failed: ${err}`))
      resolve(JSON.parse(out.trim().split('\n').at(-1)!))
    })
  })
}

// Every line the bench prints is kept, so the closing table can quote each section's own line.
const printed: string[] = []
const print = console.log.bind(console)
console.log = (...args: unknown[]) => {
  printed.push(args.map(String).join(' '))
  print(...args)
}

const field = (prefix: string, name: string): string | null => {
  const line = printed.find((l) => l.startsWith(`${prefix} `))
  return line?.match(new RegExp(`\\b${name}=([^ ]+)`))?.[1] ?? null
}

/** The hot paths beside their goals (issue 23): each figure is read from its section's line above. */
export function goalsTable() {
  const figure = (prefix: string, parts: [string, string][]) => {
    const values = parts.map(([name, label]) => [field(prefix, name), label] as const)
    return values.every(([value]) => value === null) ? 'not run' : values.map(([value, label]) => `${label} ${value ?? '?'}`).join(', ')
  }
  const rows: [string, string, string][] = [
    [
      'write',
      figure('write', [
        ['published_per_s', 'published/s'],
        ['p99_ms', 'p99 ms'],
        ['round_trips_per_post', 'round trips/post'],
      ]) + (printed.some((l) => l.startsWith('write ') && l.includes('MISMATCH')) ? ', SOME 2xx NOT STORED' : ''),
      '≥ 1,500/s, p99 ≤ 50 ms, every 2xx stored',
    ],
    [
      'read',
      figure('read', [
        ['ratio', 'ratio to bare'],
        ['p99_ms', 'p99 ms'],
      ]),
      '≥ 0.7× the bare server, p99 ≤ 25 ms',
    ],
    [
      'import',
      figure('import', [
        ['comments_per_s', 'comments/s'],
        ['peak_rss_mb', 'peak MB'],
      ]),
      '≥ 10,000/s, < 300 MB',
    ],
    [
      'search',
      figure('search', [
        ['rows', 'rows'],
        ['p99_ms', 'p99 ms'],
      ]),
      'p99 ≤ 250 ms',
    ],
    ['cold start', figure('cold_start', [['existing_ms', 'existing database ms']]), '≤ 1,500 ms, one process'],
  ]
  const width = (i: number) => Math.max(...rows.map((r) => r[i]!.length), ['path', 'now', 'goal'][i]!.length)
  const line = (r: readonly string[]) => r.map((cell, i) => cell.padEnd(width(i))).join('  ')
  print('')
  print(line(['path', 'now', 'goal']))
  for (const row of rows) print(line(row))
}
