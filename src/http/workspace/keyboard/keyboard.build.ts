// Bundles the workspace's keyboard script, as widget/build.ts bundles the widget: in memory on Node (at the
// first request for it), and into keyboard/dist/keys.txt for the Worker, which imports it as text
// (`npm run build:keys`; wrangler.toml runs it before every bundle).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

/** One minified IIFE: what /moderate/assets/keys.<hash>.js serves. */
export async function buildKeyboard(): Promise<string> {
  const { build } = await import('esbuild') // when a bundle is built, not when the server starts
  const result = await build({
    entryPoints: [join(here, 'keyboard.entry.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    write: false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

/**
 * Writes keyboard/dist/keys.txt, imported as text by the Worker; only when it changed, because `wrangler
 * dev` watches src/ and rebuilds on every write there (the same bytes again would rebuild forever).
 */
export async function writeKeyboard(): Promise<string> {
  const code = await buildKeyboard()
  const dist = join(here, 'dist')
  const file = join(dist, 'keys.txt')
  if (existsSync(file) && readFileSync(file, 'utf8') === code) return code
  mkdirSync(dist, { recursive: true })
  writeFileSync(file, code)
  return code
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const code = await writeKeyboard()
  console.log(`src/http/workspace/keyboard/dist/keys.txt: ${code.length} bytes`)
}
