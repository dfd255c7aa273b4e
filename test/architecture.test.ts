// The shape of the code, checked: folders depend downward only, the widget's files form no loop even
// through their types, the HTTP layer alone knows Hono's Context, and no product file outgrows what a
// reader can hold in their head.
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

const parse = (file: string) => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false)

/**
 * The local files a file imports. By default only run-time imports: `import type` and imports of types
 * only are erased, so they tie nothing at run time. With `types`, those count too.
 */
function localImports(file: string, { types = false } = {}): string[] {
  const specifiers: string[] = []
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      if (types || !typeOnly(node)) specifiers.push(node.moduleSpecifier.text)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments
      if (argument && ts.isStringLiteral(argument)) specifiers.push(argument.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(parse(file))
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

const folderOf = (file: string) => relative(ROOT, dirname(file))

/** Folder → the folders it imports at run time (product folders only). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>()
  for (const file of files) {
    const from = folderOf(file)
    const targets = graph.get(from) ?? new Set<string>()
    graph.set(from, targets)
    for (const target of localImports(file)) {
      const to = folderOf(target)
      if (to !== from && PRODUCT_ROOTS.some((root) => to === root || to.startsWith(`${root}/`))) targets.add(to)
    }
  }
  return graph
}

/** File → the files it imports, types included, for the files under one root. */
function fileGraph(root: string): Map<string, Set<string>> {
  const inRoot = files.filter((file) => relative(ROOT, file).startsWith(`${root}/`))
  return new Map(
    inRoot.map((file) => [
      relative(ROOT, file),
      new Set(
        localImports(file, { types: true })
          .filter((target) => inRoot.includes(target))
          .map((target) => relative(ROOT, target)),
      ),
    ]),
  )
}

/** The HTTP names of Hono: a file that imports one of them serves requests, which only the HTTP layer does. */
const HONO_HTTP_NAMES = new Set(['Context', 'Hono', 'MiddlewareHandler'])

/** The HTTP names a source imports from Hono (rendering with `hono/html` or `hono/jsx` is not serving). */
function honoHttpImports(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false)
  const found: string[] = []
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue
    if (!/^hono(\/|$)/.test(statement.moduleSpecifier.text)) continue
    const bindings = statement.importClause?.namedBindings
    if (bindings && ts.isNamedImports(bindings))
      for (const element of bindings.elements) {
        const name = (element.propertyName ?? element.name).text
        if (HONO_HTTP_NAMES.has(name)) found.push(name)
      }
  }
  return found
}

/** The HTTP layer and the runtime entries (src/*.ts, src/cli/*) may speak HTTP; nothing below them may. */
const mayServeHttp = (path: string) => path.startsWith('src/http/') || path.startsWith('src/cli/') || /^src\/[^/]+\.tsx?$/.test(path)

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
    const graph = folderGraph()
    // The walk reaches the widget's folders too, not only the server's.
    expect([...graph.keys()]).toEqual(expect.arrayContaining(['src/http/shared', 'widget/src', 'widget/src/i18n']))
    expect(loops(graph)).toEqual([])
  })

  it('has no loop between files of widget/src/, counting imports of types', () => {
    const graph = fileGraph('widget/src')
    expect(graph.get('widget/src/widget.ts')).toContain('widget/src/api.ts')
    expect(loops(graph)).toEqual([])
  })

  it('tells an import of Hono that serves HTTP from one that renders (the checker itself)', () => {
    const names = (text: string) => honoHttpImports('example.ts', text)
    expect(names("import type { Context } from 'hono'")).toEqual(['Context'])
    expect(names("import { Hono, type MiddlewareHandler as Handler } from 'hono'")).toEqual(['Hono', 'MiddlewareHandler'])
    expect(names("import type { Context as C } from 'hono/context'")).toEqual(['Context'])
    expect(names("import { html, raw } from 'hono/html'")).toEqual([])
    expect(names("import type { FC } from 'hono/jsx'")).toEqual([])
    expect(names("import type { Context } from './context.js'")).toEqual([])
  })

  it("lets only the HTTP layer and the runtime entries import Hono's Context, Hono or MiddlewareHandler", () => {
    const outside = files
      .map((file) => ({ path: relative(ROOT, file), names: honoHttpImports(file) }))
      .filter((entry) => !mayServeHttp(entry.path) && entry.names.length > 0)
    expect(outside).toEqual([])
  })

  it('keeps the platform below every feature: src/platform/ imports only itself at run time', () => {
    const graph = folderGraph()
    const upward = [...graph].flatMap(([from, targets]) =>
      from.startsWith('src/platform') ? [...targets].filter((to) => !to.startsWith('src/platform')).map((to) => `${from} → ${to}`) : [],
    )
    expect([...graph.keys()]).toEqual(expect.arrayContaining(['src/platform/db', 'src/platform/lib']))
    expect(upward).toEqual([])
  })

  it('keeps every product source file under 350 lines (the model and word lists aside)', () => {
    const long = files
      .map((file) => ({ path: relative(ROOT, file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
      .filter((entry) => entry.lines > 350)
    expect(long).toEqual([])
  })
})
