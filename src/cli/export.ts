import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { parseArgs } from 'node:util'
import { openMigrated } from './cli-db.js'
import { exportDisqus, exportJsonl } from '../imports/imports.export.js'
import { runCli } from './cli-env.js'

const USAGE = `Usage: npm run export -- FILE                   the whole site as JSON lines (restore with: npm run import -- backup FILE)
       npm run export -- --format disqus FILE     a Disqus import file, to move the comments elsewhere`

await runCli(async (env) => {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { format: { type: 'string', default: 'jsonl' } } })
  const [file] = positionals
  if (!file || (values.format !== 'jsonl' && values.format !== 'disqus')) {
    console.error(USAGE)
    return 2
  }
  const connection = await openMigrated(env)
  const out = createWriteStream(file, { encoding: 'utf8' })
  // Waits when the file is behind, so a large site never piles up in memory.
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain')
  }
  try {
    const counts = values.format === 'disqus' ? await exportDisqus(connection.db, write) : await exportJsonl(connection.db, write)
    out.end()
    await once(out, 'finish')
    console.log(
      `[comments] wrote ${file}: ${Object.entries(counts)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    )
    return 0
  } finally {
    await connection.close()
  }
})
