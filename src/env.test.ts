import { describe, expect, it } from 'vitest'
import { ConfigError, parseEnv } from './env.js'

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
