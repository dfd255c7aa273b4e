// How long `npm start` takes to answer on the embedded database, and what its processes hold:
//   npx tsx bench/cold-start.ts            (RUNS=5 starts on the existing database, after one fresh start)
// `coldStart()` is what `npm run bench` prints as its cold_start line.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface ColdStart {
  /** The first start: it creates the database, migrates it and creates the first administrator. */
  freshMs: number
  /** The median of `runs` starts on the database the first one left. */
  existingMs: number
  existingRunsMs: number[]
  /** Resident memory of every process `npm start` ran, at its first answer (Linux; 0 elsewhere). */
  rssMb: number
  processes: number
  /** CPU time every process of the start used, to its first answer: what a loaded machine does not inflate. */
  cpuMs: number
}

const TICKS_PER_MS = 100 / 1000 // USER_HZ, 100 on Linux

/** The process and its descendants, with their resident memory and the CPU they used, read from /proc. */
function processTree(root: number): { pids: number[]; rssKb: number; cpuMs: number } {
  const parents = new Map<number, number>()
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
        parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    return { pids: [root], rssKb: 0, cpuMs: 0 }
  }
  const pids = [root]
  for (let i = 0; i < pids.length; i++) for (const [pid, parent] of parents) if (parent === pids[i]) pids.push(pid)
  let rssKb = 0
  let cpuMs = 0
  for (const pid of pids) {
    try {
      rssKb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      cpuMs += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_MS // utime and stime
    } catch {
      // gone meanwhile
    }
  }
  return { pids, rssKb, cpuMs }
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())))

/** Alive and not a zombie (a container's first process may never reap what it inherits). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat[stat.lastIndexOf(')') + 2] !== 'Z'
  } catch {
    return false
  }
}

/** One `npm start` (in `cwd`), timed from the spawn to the first answer of /health; then stopped. */
async function startOnce(
  cwd: string,
  dataDir: string,
  command: readonly string[],
): Promise<{ ms: number; rssKb: number; processes: number; cpuMs: number }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const started = performance.now()
  let tree: number[] = []
  const child = spawn(command[0]!, command.slice(1), {
    cwd,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port) },
    stdio: 'ignore',
  })
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`)
      if (performance.now() - started > 60_000) throw new Error('the server did not answer within 60 s')
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const ms = performance.now() - started
    const { pids, rssKb, cpuMs } = processTree(child.pid!)
    tree = pids
    return { ms, rssKb, processes: pids.length, cpuMs }
  } finally {
    // Each process of the start is told to stop (a shell between npm and the server would not pass the signal
    // on); the server closes the database and releases its lock, and the next start waits for all to be gone.
    for (const pid of [...tree].reverse()) {
      try {
        process.kill(pid, 'SIGTERM')
      } catch {
        // gone already
      }
    }
    child.kill('SIGTERM')
    await exited(child)
    while (tree.some(alive)) await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** `command` is what starts the server (`npm start` by default; the bench compares others with it). */
export async function coldStart({
  runs = 5,
  cwd = process.cwd(),
  command = ['npm', 'start', '--silent'] as readonly string[],
} = {}): Promise<ColdStart> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nc-cold-'))
  try {
    const fresh = await startOnce(cwd, dataDir, command)
    const existing: Awaited<ReturnType<typeof startOnce>>[] = []
    for (let run = 0; run < runs; run++) existing.push(await startOnce(cwd, dataDir, command))
    const sorted = [...existing].sort((a, b) => a.ms - b.ms)
    const median = sorted[Math.floor(sorted.length / 2)]!
    return {
      freshMs: fresh.ms,
      existingMs: median.ms,
      existingRunsMs: existing.map((run) => run.ms),
      rssMb: median.rssKb / 1024,
      processes: median.processes,
      cpuMs: [...existing].sort((a, b) => a.cpuMs - b.cpuMs)[Math.floor(existing.length / 2)]!.cpuMs,
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export const formatColdStart = (result: ColdStart) =>
  `cold_start existing_ms=${Math.round(result.existingMs)} (median of ${result.existingRunsMs.length}; goal ≤1500) fresh_ms=${Math.round(result.freshMs)} cpu_ms=${Math.round(result.cpuMs)} rss_mb=${Math.round(result.rssMb)} processes=${result.processes} (npm start on the embedded database, to the first /health answer; memory of every process it ran)`

if (import.meta.url === `file://${process.argv[1]}`) {
  const command = process.argv.length > 2 ? process.argv.slice(2) : undefined
  console.log(formatColdStart(await coldStart({ runs: Number(process.env.RUNS ?? 5), command })))
}
