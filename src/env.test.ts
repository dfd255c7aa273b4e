import { describe, expect, it } from 'vitest'
import { ConfigError, parseEnv, startupProblem } from './env.js'

describe('parseEnv', () => {
  it('applies the documented defaults', () => {
    const env = parseEnv({})
    expect(env).toMatchObject({ PORT: 8787, DATA_DIR: './data', PUBLIC_ORIGINS: [], TRUST_PROXY: 0 })
    expect(env.DATABASE_URL).toBeUndefined()
  })

  it('reads TRUST_PROXY as the number of proxies in front', () => {
    expect(['false', '0', 'true', '1', '2'].map((TRUST_PROXY) => parseEnv({ TRUST_PROXY }).TRUST_PROXY)).toEqual([0, 0, 1, 1, 2])
  })

  it('normalises publisher origins', () => {
    expect(parseEnv({ PUBLIC_ORIGINS: 'https://news.example/path, http://localhost:3000' }).PUBLIC_ORIGINS).toEqual([
      'https://news.example',
      'http://localhost:3000',
    ])
  })

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ PUBLIC_ORIGINS: 'ftp://files.example' }, 'PUBLIC_ORIGINS'],
    [{ IP_HASH_SECRET: 'short' }, 'IP_HASH_SECRET'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '-1' }, 'TRUST_PROXY'],
  ])('stops on a bad value with one line naming the variable (%o)', (source, name) => {
    expect(() => parseEnv(source)).toThrow(ConfigError)
    try {
      parseEnv(source)
    } catch (error) {
      const message = (error as Error).message
      expect(message.startsWith(`Invalid configuration: ${name}:`)).toBe(true)
      expect(message).not.toContain('\n')
    }
  })

  it('requires IP_HASH_SECRET in production', () => {
    expect(() => parseEnv({ DATABASE_URL: 'postgres://db/x' })).toThrow(/IP_HASH_SECRET/)
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/IP_HASH_SECRET/)
    expect(parseEnv({ DATABASE_URL: 'postgres://db/x', IP_HASH_SECRET: 'x'.repeat(32) }).DATABASE_URL).toBe('postgres://db/x')
  })

  it('lets the command-line tools (migrate, admin) run against PostgreSQL without the secret', () => {
    expect(parseEnv({ DATABASE_URL: 'postgres://db/x' }, { serving: false }).IP_HASH_SECRET).toBeUndefined()
  })
})

describe('start-up problems as one line', () => {
  const env = { DATABASE_URL: 'postgres://editor:secret@db.internal:6432/comments', PORT: '8080' }
  it('names the variable to change for each usual failure', () => {
    expect(startupProblem({ code: 'EADDRINUSE' }, env)).toBe(
      'PORT 8080 is already in use: stop the other server there, or set PORT to a free port',
    )
    expect(startupProblem({ code: 'ECONNREFUSED' }, env)).toContain('DATABASE_URL: cannot reach PostgreSQL at db.internal:6432/comments')
    expect(startupProblem({ code: '28P01' }, env)).toBe('DATABASE_URL: PostgreSQL refused the password for editor')
    expect(startupProblem({ code: '28000', message: 'role "editor" does not exist' }, env)).toContain(
      'refused editor: role "editor" does not exist',
    )
    expect(startupProblem({ code: '3D000', message: 'database "comments" does not exist' }, env)).toContain('create it first')
    expect(startupProblem(new Error('something else'), env)).toBeNull()
    // The password never appears in the line.
    for (const code of ['ECONNREFUSED', '28P01', '28000', '3D000']) expect(startupProblem({ code }, env)).not.toContain('secret')
  })
})
