// No module of src/ imports itself back through others, type imports included (the folders' layering is
// checked by architecture.test.ts).
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(process.cwd(), 'src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : []
  })
}

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of sourceFiles(ROOT)) {
    const targets: string[] = []
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = normalize(join(dirname(file), match[1]!)).replace(/\.js$/, '')
      const resolved = [`${target}.ts`, `${target}.tsx`].find((candidate) => {
        try {
          return statSync(candidate).isFile()
        } catch {
          return false
        }
      })
      if (resolved) targets.push(relative(ROOT, resolved))
    }
    graph.set(relative(ROOT, file), targets)
  }
  return graph
}

describe('the import graph of src/', () => {
  const graph = importGraph()

  it('has no cycles, type imports included', () => {
    const cycles: string[] = []
    const state = new Map<string, 'open' | 'done'>()
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === 'done') return
      if (state.get(node) === 'open') {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' → '))
        return
      }
      state.set(node, 'open')
      for (const next of graph.get(node) ?? []) visit(next, [...path, node])
      state.set(node, 'done')
    }
    for (const node of graph.keys()) visit(node, [])
    expect(graph.size).toBeGreaterThan(50)
    expect(cycles).toEqual([])
  })
})
