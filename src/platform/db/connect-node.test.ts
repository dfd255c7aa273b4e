import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DataDirBusyError, lockDataDir } from './connect-node.js'

describe('the embedded data folder lock', () => {
  const dirs: string[] = []
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-lock-'))
    dirs.push(dir)
    return dir
  }
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('refuses a second owner with a message that says what to do', () => {
    const dir = freshDir()
    // Another live process holds the lock: simulate with the parent process's pid.
    writeFileSync(join(dir, 'server.lock'), String(process.ppid))
    expect(() => lockDataDir(dir)).toThrow(DataDirBusyError)
    expect(() => lockDataDir(dir)).toThrow(/in use by process \d+ .*Stop that process/)
  })

  it('takes over a lock left by a process that died, and releases it', () => {
    const dir = freshDir()
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString()
    writeFileSync(join(dir, 'server.lock'), dead)
    const release = lockDataDir(dir)
    expect(existsSync(join(dir, 'server.lock'))).toBe(true)
    release()
    expect(existsSync(join(dir, 'server.lock'))).toBe(false)
  })
})
