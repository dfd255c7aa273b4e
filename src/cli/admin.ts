import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { createModerator, setModeratorDisabled, setModeratorPassword, listModerators } from '../auth/auth.users.js'
import { openAndMigrate } from '../node.setup.js'
import { runCli } from './cli-env.js'

const USAGE = `Usage:
  npm run admin -- create-user NAME --role admin|moderator
  npm run admin -- set-password NAME
  npm run admin -- disable NAME
  npm run admin -- enable NAME
  npm run admin -- list
The password comes from the PASSWORD environment variable, or is asked for on the terminal.`

/** Asks for a password without echoing it. */
async function promptPassword(): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('No PASSWORD set and no terminal to ask on: set PASSWORD=…')
  let muted = false
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk)
      done()
    },
  })
  const rl = createInterface({ input: process.stdin, output, terminal: true })
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      rl.question(question, (answer) => {
        process.stdout.write('\n')
        resolve(answer)
      })
      muted = true
    })
  try {
    const first = await ask('Password: ')
    muted = false
    const second = await ask('Repeat password: ')
    if (first !== second) throw new Error('The passwords do not match')
    return first
  } finally {
    rl.close()
  }
}

await runCli(async (env) => {
  const [command, name, ...rest] = process.argv.slice(2)
  if (!command || (command !== 'list' && !name)) {
    console.error(USAGE)
    return 2
  }
  const connection = await openAndMigrate(env)
  try {
    const db = connection.db
    switch (command) {
      case 'create-user': {
        const roleIndex = rest.indexOf('--role')
        const role = roleIndex >= 0 ? rest[roleIndex + 1] : undefined
        if (role !== 'admin' && role !== 'moderator') {
          console.error(`--role must be admin or moderator\n${USAGE}`)
          return 2
        }
        const user = await createModerator(db, name!, process.env.PASSWORD ?? (await promptPassword()), role)
        console.log(`[comments] created ${user.role} "${user.username}"`)
        return 0
      }
      case 'set-password':
        await setModeratorPassword(db, name!, process.env.PASSWORD ?? (await promptPassword()))
        console.log(`[comments] password changed for "${name}"; their sessions were ended`)
        return 0
      case 'disable':
      case 'enable':
        await setModeratorDisabled(db, name!, command === 'disable')
        console.log(`[comments] ${command}d "${name}"`)
        return 0
      case 'list':
        for (const user of await listModerators(db)) console.log(`${user.username}\t${user.role}${user.disabled ? '\t(disabled)' : ''}`)
        return 0
      default:
        console.error(USAGE)
        return 2
    }
  } catch (error) {
    const fields = (error as { fields?: Record<string, string> }).fields
    if (fields) throw new Error(`${(error as Error).message}: ${Object.values(fields).join('; ')}`)
    throw error
  } finally {
    await connection.close()
  }
})
