import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
// esbuild is imported when a bundle is built, not with this module: the server imports this file, and
// builds the widget only at the first request for it.
import type { Plugin } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const BROWSERS = ['chrome100', 'firefox100', 'safari15']

/**
 * styles.ts keeps its stylesheet one rule a line, for people; the bundle gets it minified as CSS (the
 * line breaks alone are some 30 bytes gzipped of a tight budget).
 */
const minifiedStyles: Plugin = {
  name: 'minified-styles',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]widget[\\/]src[\\/]styles\.ts$/ }, async ({ path }) => {
      const source = readFileSync(path, 'utf8')
      const stylesheet = /export const CSS = `([^`]*)`/.exec(source)
      if (!stylesheet) throw new Error('widget/src/styles.ts: expected `export const CSS = `…`` holding the stylesheet')
      const { transform } = await import('esbuild')
      const { code } = await transform(stylesheet[1]!, { loader: 'css', minify: true, target: BROWSERS })
      return { contents: source.replace(stylesheet[0], `export const CSS = ${JSON.stringify(code.trim())}`), loader: 'ts' }
    })
  },
}

export interface WidgetBundle {
  code: string
  gzipBytes: number
}

/** One minified IIFE with the CSS and both languages inside: what `/embed.js` serves. */
export async function buildWidget(): Promise<WidgetBundle> {
  const { build } = await import('esbuild')
  const result = await build({
    entryPoints: [join(here, 'src/entry.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020', ...BROWSERS],
    write: false,
    legalComments: 'none',
    charset: 'utf8', // Arabic as UTF-8, not \u escapes: smaller, and the server says charset=utf-8
    logLevel: 'silent',
    plugins: [minifiedStyles],
  })
  const code = result.outputFiles[0]!.text
  return { code, gzipBytes: gzipSync(code, { level: 9 }).length }
}

/** Writes widget/dist/embed.js (for publishers who host it themselves) and embed.txt (imported as text by the Worker). */
export async function writeWidget(): Promise<WidgetBundle> {
  const bundle = await buildWidget()
  const dist = join(here, 'dist')
  mkdirSync(dist, { recursive: true })
  writeFileSync(join(dist, 'embed.js'), bundle.code)
  writeFileSync(join(dist, 'embed.txt'), bundle.code)
  return bundle
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bundle = await writeWidget()
  console.log(`widget/dist/embed.js: ${bundle.code.length} bytes, ${bundle.gzipBytes} gzipped`)
}
