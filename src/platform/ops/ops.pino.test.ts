import { describe, expect, it } from 'vitest'
import { consoleLog } from './ops.log.js'
import { pinoLog, prettyLine } from './ops.pino.js'

describe('log lines', () => {
  it('writes JSON with pino, at the level asked, never an email, a body or a token', () => {
    const lines: string[] = []
    const log = pinoLog('info', 'json', (line) => lines.push(line))
    log.debug({ req: 'r0' })
    log.info({ req: 'r1', route: '/x', email: 'someone@example.org', body: 'the text', token: 'secret' })
    expect(lines).toHaveLength(1)
    const entry = JSON.parse(lines[0]!)
    expect(entry).toMatchObject({ level: 30, req: 'r1', route: '/x', email: '[redacted]', body: '[redacted]', token: '[redacted]' })
    expect(lines[0]).not.toMatch(/someone@example\.org|the text|secret/)
  })

  it('writes the same fields through console.log on Workers', () => {
    const lines: string[] = []
    const log = consoleLog('warn', (line) => lines.push(line))
    log.info({ req: 'quiet' })
    log.warn({ req: 'r2', status: 503 }, 'not ready')
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { level: 40, time: expect.any(Number), req: 'r2', status: 503, msg: 'not ready' },
    ])
  })

  it('turns a line into a short readable one for a terminal (LOG_FORMAT=pretty)', () => {
    const lines: string[] = []
    pinoLog('info', 'pretty', (line) => lines.push(line)).info({
      req: 'abc',
      method: 'GET',
      route: '/api/v1/articles/:articleId/comments',
      status: 200,
      ms: 1.5,
    })
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}GET \/api\/v1\/articles\/:articleId\/comments 200 1\.5ms req=abc\n$/)
    expect(prettyLine('not json')).toBe('not json')
  })
})
