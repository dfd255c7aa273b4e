// The shape of the code, checked: folders depend downward only, the HTTP layer alone knows Hono's
// Context, and no product file outgrows what a reader can hold in their head.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '..')
const PRODUCT_ROOTS = ['src', 'widget/src']

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$|\.d\.ts$/.test(name) ? [path] : []
  })
}

const files = PRODUCT_ROOTS.flatMap((root) => sourceFiles(join(ROOT, root)))

/** The run-time imports of a file: `import type` and imports of types only are erased, so they tie nothing. */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false)
  const specifiers: string[] = []
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      if (!typeOnly(node)) specifiers.push(node.moduleSpecifier.text)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments
      if (argument && ts.isStringLiteral(argument)) specifiers.push(argument.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => resolveLocal(file, s))
    .filter((s): s is string => s !== null)
}

function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true
    const clause = node.exportClause
    return !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly)
  }
  const clause = node.importClause
  if (!clause) return false // a side-effect import runs the module
  if (clause.isTypeOnly) return true
  if (clause.name) return false
  const bindings = clause.namedBindings
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly)
}

function resolveLocal(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier).replace(/\.js$/, '')
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate
    } catch {}
  }
  return null
}

/** Hono's templates (`html`, JSX) escape what they are given: mails render with them outside the HTTP layer. */
const HONO_TEMPLATES = /^hono\/(?:html|jsx(?:\/[^'"]*)?|utils\/html)$/

const folderOf = (file: string) => relative(ROOT, dirname(file))

/** Folder → the folders it imports at run time (product folders only). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>()
  for (const file of files) {
    const from = folderOf(file)
    const targets = graph.get(from) ?? new Set<string>()
    graph.set(from, targets)
    for (const target of runtimeImports(file)) {
      const to = folderOf(target)
      if (to !== from && PRODUCT_ROOTS.some((root) => to === root || to.startsWith(`${root}/`))) targets.add(to)
    }
  }
  return graph
}

/** Every cycle's folders, found by Tarjan's strongly connected components. */
function loops(graph: Map<string, Set<string>>): string[][] {
  let index = 0
  const indices = new Map<string, number>()
  const lowlinks = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const connect = (node: string) => {
    indices.set(node, index)
    lowlinks.set(node, index++)
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        connect(next)
        lowlinks.set(node, Math.min(lowlinks.get(node)!, lowlinks.get(next)!))
      } else if (onStack.has(next)) lowlinks.set(node, Math.min(lowlinks.get(node)!, indices.get(next)!))
    }
    if (lowlinks.get(node) === indices.get(node)) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== node)
      if (component.length > 1) found.push(component.sort())
    }
  }
  for (const node of graph.keys()) if (!indices.has(node)) connect(node)
  return found
}

describe('architecture', () => {
  it('finds a loop when one is there (the checker itself)', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ])
    expect(loops(graph)).toEqual([['a', 'b', 'c']])
  })

  it('has no loop between folders of src/ and widget/src/ (run-time imports)', () => {
    expect(loops(folderGraph())).toEqual([])
  })

  it("lets only the HTTP layer and the runtime entries import Hono's router and Context (its templates render anywhere)", () => {
    const outside = files.filter((file) => {
      const path = relative(ROOT, file)
      if (path.startsWith('src/http/') || /^src\/[^/]+\.tsx?$/.test(path)) return false
      const modules = [...readFileSync(file, 'utf8').matchAll(/from ['"](hono(?:\/[^'"]*)?)['"]/g)].map((m) => m[1]!)
      return modules.some((module) => !HONO_TEMPLATES.test(module))
    })
    expect(outside.map((file) => relative(ROOT, file))).toEqual([])
  })

  it('keeps every product source file under 350 lines (the model and word lists aside)', () => {
    const long = files
      .map((file) => ({ path: relative(ROOT, file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
      .filter((entry) => entry.lines > 350)
    expect(long).toEqual([])
  })
})
