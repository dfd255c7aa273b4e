import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx')
/** What `npm start` runs: the compiled server, built first when a source changed. */
const startScript = 'scripts/start.mjs'

/** The children of a process, by their command lines (Linux). */
function childrenOf(pid: number): string[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== pid) return []
        return [readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ')]
      } catch {
        return [] // gone meanwhile
      }
    })
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

describe('npm start on the embedded database', () => {
  let dataDir: string
  let server: ChildProcess
  let port: number
  let output = ''

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'nc-start-'))
    port = await freePort()
    server = spawn('npm', ['start'], {
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: '', NODE_ENV: 'development' },
    })
    server.stdout!.on('data', (chunk) => (output += chunk))
    server.stderr!.on('data', (chunk) => (output += chunk))
    const deadline = Date.now() + 90_000
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    throw new Error(`server did not start:\n${output}`)
  })

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r))
      server.kill('SIGTERM')
      await exited
    }
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('prints the demo and moderator URLs', () => {
    expect(output).toContain(`http://localhost:${port}/demo`)
    expect(output).toContain(`http://localhost:${port}/moderate`)
    // Without SMTP_URL mail is printed, and the start says so once.
    expect(output.match(/no SMTP_URL set: mails are printed here/g)).toHaveLength(1)
  })

  it.runIf(existsSync('/proc/self/stat'))('runs the compiled server in one process under npm (issue 23)', () => {
    expect(childrenOf(server.pid!)).toEqual([`node ${startScript}`])
  })

  it('serves the reader API', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/articles/demo/comments`)
    expect(res.status).toBe(200)
  })

  it('gives a second process a clear message instead of opening the data folder', () => {
    const result = spawnSync(tsx, ['src/cli/migrate.ts'], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
      encoding: 'utf8',
    })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/in use by process \d+/)
  })

  it('says in one line, naming the variable, when the port is taken or the database cannot be reached (issue 14)', () => {
    const start = (env: Record<string, string>) => {
      const result = spawnSync('node', [startScript], {
        env: { ...process.env, NODE_ENV: 'development', ...env },
        encoding: 'utf8',
        timeout: 60_000,
      })
      const lines = result.stderr.trim().split('\n').filter(Boolean)
      return { status: result.status, lines }
    }
    const portTaken = start({ PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), 'nc-port-')), DATABASE_URL: '' })
    expect(portTaken.status).toBe(1)
    expect(portTaken.lines).toEqual([`[comments] PORT ${port} is already in use: stop the other server there, or set PORT to a free port`])
    const unreachable = start({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/comments', IP_HASH_SECRET: 'x'.repeat(40) })
    expect(unreachable.status).toBe(1)
    expect(unreachable.lines).toHaveLength(1)
    expect(unreachable.lines[0]).toMatch(/^\[comments\] DATABASE_URL: cannot reach PostgreSQL at 127\.0\.0\.1:1/)
  })
})
