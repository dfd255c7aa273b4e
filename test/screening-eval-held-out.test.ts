// npm run screening:eval -- --learning --held-out DIR: the learning curves on labelled files the shipped model
// never saw, as whoever holds held-out data runs them. A small desk made here plays the newsroom.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { siteDecisions } from '../src/screening/screening.site-fixture.js'

const run = promisify(execFile)
const evalScript = (...args: string[]) =>
  run(join('node_modules', '.bin', 'tsx'), ['test/screening-eval.ts', ...args], { env: { ...process.env, NODE_ENV: 'test' } })

describe('the learning curves on held-out files', () => {
  let dir: string

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nc-held-out-'))
    const rows = siteDecisions({ count: 1600, abusive: 0.35 }).map((e) => JSON.stringify({ text: e.text, label: e.label, lang: 'en' }))
    writeFileSync(join(dir, 'our_desk.jsonl'), `${rows.join('\n')}\n`)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('prints each file’s curve from the shipped model, with what is in use after each training', async () => {
    const { stdout } = await evalScript('--learning', '--held-out', dir)
    expect(stdout).toContain("each held-out file's test rows, scored by the shipped model")
    const lines = stdout.split('\n').filter((line) => line.startsWith('our_desk'))
    expect(lines.map((line) => Number(line.split('|')[0]!.trim().split(/\s+/).at(-1)))).toEqual([0, 500, 1000])
    const columns = (line: string) => line.split('|').map((column) => column.trim().replace(/\s+/g, ' '))
    expect(lines[0]).toMatch(/\| shipped$/)
    // This desk's insults are nonsense to the shipped model: its site model learns them and is promoted.
    expect(lines[1]).toMatch(/\| yes \(promoted, held back [\d.]+→100\.0%\)$/)
    // A candidate that is not promoted leaves the one before in use: its figures, not the candidate's.
    expect(lines[2]).toMatch(/\| no \(not_more_abuse_held, held back 100\.0→100\.0%\)$/)
    expect(columns(lines[2]!)[3]).toBe(columns(lines[1]!)[2])
  }, 120_000)

  it('says what to run instead when --held-out comes without --learning', async () => {
    await expect(evalScript('--held-out', dir)).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining('--held-out goes with --learning'),
    })
  }, 60_000)
})
