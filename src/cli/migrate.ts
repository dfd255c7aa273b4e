import { connect } from '../platform/db/connect-node.js'
import { prepareDatabase } from '../database.setup.js'
import { runCli } from './cli-env.js'

await runCli(async (env) => {
  const connection = await connect(env)
  try {
    const applied = await prepareDatabase(connection.db)
    console.log(applied.length ? `[comments] applied: ${applied.join(', ')}` : '[comments] database is up to date')
  } finally {
    await connection.close()
  }
})
