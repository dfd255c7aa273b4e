// HOST chooses the address the Node server binds to: set to loopback, the server answers there and not on
// the machine's other addresses; unset, it listens on every interface as before.
import { networkInterfaces } from 'node:os'
import { describe, expect, it } from 'vitest'
import { ConfigError, parseEnv, startupProblem } from '../src/env.js'
import { freePort, startNodeServer } from './helpers/node-server.js'
import { TEST_SECRET } from './helpers/test-app.js'
import { dbKinds, openTestDb } from './helpers/test-db.js'

/** An address of this machine other than loopback, when it has one. */
const outward = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address

const answers = async (url: string) => {
  try {
    return (await fetch(url)).ok
  } catch {
    return false
  }
}

describe('HOST', () => {
  it('takes an IP address or a host name, and names itself when it is anything else', () => {
    expect(parseEnv({ NODE_ENV: 'test' }).HOST).toBeUndefined()
    expect(parseEnv({ NODE_ENV: 'test', HOST: '127.0.0.1' }).HOST).toBe('127.0.0.1')
    expect(parseEnv({ NODE_ENV: 'test', HOST: '::1' }).HOST).toBe('::1')
    expect(parseEnv({ NODE_ENV: 'test', HOST: 'comments.internal' }).HOST).toBe('comments.internal')
    expect(() => parseEnv({ NODE_ENV: 'test', HOST: 'http://127.0.0.1' })).toThrow(ConfigError)
    expect(() => parseEnv({ NODE_ENV: 'test', HOST: 'two words' })).toThrow(/HOST/)
    expect(startupProblem({ code: 'EADDRNOTAVAIL' }, { HOST: '192.0.2.1' })).toMatch(/^HOST 192\.0\.2\.1 is not an address of this machine/)
  })

  it.runIf(dbKinds().includes('postgres'))(
    'binds the server to loopback only when HOST=127.0.0.1, and to every interface without it',
    async () => {
      const db = await openTestDb('postgres')
      try {
        const env = { DATABASE_URL: db.url!, IP_HASH_SECRET: TEST_SECRET, HOST: '127.0.0.1' }
        const port = await freePort()
        const loopback = await startNodeServer(env, port)
        try {
          expect(await answers(`http://127.0.0.1:${port}/health`)).toBe(true)
          if (outward) expect(await answers(`http://${outward}:${port}/health`)).toBe(false)
          expect(loopback.output()).toContain('127.0.0.1 port')
        } finally {
          await loopback.kill()
        }
        if (!outward) return
        const { HOST: _, ...everywhere } = env
        const open = await startNodeServer(everywhere, port)
        try {
          expect(await answers(`http://${outward}:${port}/health`)).toBe(true)
        } finally {
          await open.kill()
        }
      } finally {
        await db.close()
      }
    },
    120_000,
  )
})
