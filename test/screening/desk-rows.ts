// Rows of public sets as a desk's history: Arabic and English in turn, so both languages get a site model.
// Read by the training-budget scripts (seed-desk.ts, site-budget.ts).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const SETS = ['osact2022.jsonl', 'davidson.jsonl', 'alakrot_youtube.jsonl', 'hatexplain.jsonl']

export function deskRows(dataDir: string): { text: string; label: string }[] {
  const files = SETS.map((file) =>
    readFileSync(join(dataDir, file), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { text: string; label: string }),
  )
  return Array.from({ length: Math.max(...files.map((f) => f.length)) }, (_, i) =>
    files.flatMap((f) => (i < f.length ? [f[i]!] : [])),
  ).flat()
}
