// Compiles the Node server (src/node.ts and what it imports from this project) into dist/node.js, so that
// `npm start` runs JavaScript rather than compiling TypeScript on each start. Packages stay where they are
// and are imported from node_modules. Run by `npm install` (`prepare`) and, when a source changed since,
// by `npm start` itself (scripts/start.mjs).
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
export const SERVER = join(dist, 'node.js')
/** What the last build read, and when it started: a source changed after that start makes the build stale. */
const MANIFEST = join(dist, 'node.inputs.json')
/** Read by the build though not imported: the compiler's settings, and this script. */
const BUILD_INPUTS = ['tsconfig.json', 'package.json', 'scripts/build-server.mjs']

/** Whether dist/node.js is missing, or older than one of the files it was built from. */
export function serverIsStale() {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(MANIFEST, 'utf8'))
    statSync(SERVER)
    return inputs.some((input) => statSync(join(root, input)).mtimeMs > builtAt)
  } catch {
    return true // no build yet, or an input is gone
  }
}

/**
 * The widget's and the keyboard script's builders find their sources beside themselves (`import.meta.url`):
 * in the bundle that URL is rewritten to name the source file still, relative to dist/, so a moved checkout
 * keeps working.
 */
const sourceRelativeUrls = {
  name: 'source-relative-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.tsx?$/ }, (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined
      const source = readFileSync(args.path, 'utf8')
      if (!source.includes('import.meta.url')) return undefined
      const fromDist = relative(dist, args.path).split(sep).join('/')
      return {
        contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromDist)}, import.meta.url).href`),
        loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts',
      }
    })
  },
}

export async function buildServer() {
  const esbuild = await import('esbuild')
  const builtAt = Date.now()
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/node.ts'],
    outfile: SERVER,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked', // for `node --enable-source-maps dist/node.js` when a trace should name the TypeScript
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceRelativeUrls],
  })
  mkdirSync(dist, { recursive: true })
  writeFileSync(MANIFEST, JSON.stringify({ builtAt, inputs: [...Object.keys(result.metafile.inputs), ...BUILD_INPUTS] }))
  await esbuild.stop?.()
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now()
  await buildServer()
  console.log(`dist/node.js built in ${Math.round(performance.now() - started)} ms`)
}
