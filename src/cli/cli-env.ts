import { ConfigError, type Env, parseEnv } from '../env.js'

/** Shared by the command-line tools: parse env, run, and turn known failures into one clear line. */
/** `main` may answer an exit code; anything else is success. */
export async function runCli(main: (env: Env) => Promise<unknown>) {
  try {
    const code = await main(parseEnv(process.env, { serving: false }))
    process.exit(typeof code === 'number' ? code : 0)
  } catch (error) {
    // By name: importing DataDirBusyError would load PGlite into every tool, used or not.
    if (error instanceof ConfigError || (error instanceof Error && error.name === 'DataDirBusyError')) {
      console.error(`[comments] ${error.message}`)
    } else {
      console.error('[comments]', error instanceof Error ? error.message : error)
    }
    process.exit(1)
  }
}
