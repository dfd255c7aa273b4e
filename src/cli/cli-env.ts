import { ConfigError, type Env, parseEnv } from '../env.js'
import { DataDirBusyError } from '../db/connect-node.js'

/** Shared by the command-line tools: parse env, run, and turn known failures into one clear line. */
export async function runCli(main: (env: Env) => Promise<number | void>) {
  try {
    const code = await main(parseEnv(process.env, { serving: false }))
    process.exit(code ?? 0)
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DataDirBusyError) {
      console.error(`[comments] ${error.message}`)
    } else {
      console.error('[comments]', error instanceof Error ? error.message : error)
    }
    process.exit(1)
  }
}
