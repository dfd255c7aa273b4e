// The API describes itself: /api/v1/openapi.json is a valid OpenAPI 3.1 document that lists every
// mounted /api route with its error answers, and /api/docs renders it.
import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestApp, createTestApp } from './helpers/test-app.js'
import { dbKinds } from './helpers/test-db.js'

describe('the API reference', () => {
  let t: TestApp
  let document: {
    openapi: string
    paths: Record<string, Record<string, { responses: Record<string, unknown>; summary?: string; requestBody?: unknown }>>
  }

  beforeAll(async () => {
    t = await createTestApp(dbKinds()[0]!)
    const res = await t.app.request('/api/v1/openapi.json')
    expect(res.status).toBe(200)
    document = await res.json()
  })
  afterAll(() => t?.close())

  it('validates as OpenAPI 3.1', async () => {
    const validator = new Validator()
    const result = await validator.validate(document as unknown as Parameters<Validator['validate']>[0])
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('lists every mounted /api route, each with a summary and the error answers it can give', () => {
    const mounted = t.app.routes
      .filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL' && r.path !== '/api/v1/openapi.json')
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`)
    const unique = [...new Set(mounted)].sort()
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`))
      .sort()
    expect(unique.length).toBeGreaterThan(25)
    expect(documented).toEqual(unique)
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        expect(operation.summary, `${method} ${path}`).toBeTruthy()
        const errors = Object.keys(operation.responses).filter((status) => status.startsWith('4'))
        expect(errors.length, `${method} ${path} documents its errors`).toBeGreaterThan(0)
      }
    }
  })

  it('documents inputs from the same schemas that validate them', () => {
    const post = document.paths['/api/v1/articles/{articleId}/comments']!.post!
    expect(JSON.stringify(post.requestBody)).toContain('"maxLength"')
    const queue = document.paths['/api/v1/mod/queue']!.get! as unknown as { parameters: { name: string }[] }
    expect(queue.parameters.map((p) => p.name).sort()).toEqual(['articleId', 'cursor', 'limit', 'queue', 'sort'])
    const error = JSON.stringify(post.responses['422'])
    expect(error).toContain('fields')
  })

  it('renders a reference page from the document, without scripts', async () => {
    const res = await t.app.request('/api/docs')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('/api/v1/mod/queue')
    expect(html).toContain('Post a comment or reply')
    expect(html).not.toContain('<script')
  })
})
