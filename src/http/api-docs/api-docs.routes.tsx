// GET /api/v1/openapi.json: the OpenAPI 3.1 document, built from the mounted routes and their zod
// schemas. GET /api/docs: the same document as a reference page, rendered here (no script, no CDN).
import type { Hono } from 'hono'
import { generateSpecs } from 'hono-openapi'
import type { AppEnv } from '../shared/context.js'

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

type Document = Awaited<ReturnType<typeof generateSpecs>>
type Operation = { summary?: string; tags?: string[]; parameters?: unknown[]; responses?: Record<string, unknown> }

export const documentOptions = {
  documentation: {
    openapi: '3.1.0',
    info: {
      title: 'Newsroom Comments API',
      version: '1',
      description:
        'Readers post and read comments under articles; moderators work the queue. Errors are always {"error":{"code","message","fields?"}}. ' +
        'Moderator routes need the session cookie from POST /api/v1/auth/login and a same-origin request.',
    },
    tags: [
      { name: 'Readers', description: 'The public API the widget and publishers use' },
      { name: 'Moderators', description: 'Signing in, and moderator accounts' },
      { name: 'Moderation', description: 'The queue and decisions on comments' },
      { name: 'Commenters', description: 'Ban, trust, export, erase' },
      { name: 'Settings', description: 'Site and article rules' },
      { name: 'Screening', description: 'The abuse model and its training examples' },
    ],
  },
  defaultValidationErrorResponse: false as const,
  // Only the API: the workspace, the widget and the demo pages are not part of it.
  exclude: [/^\/(?!api\/v1\/)/, '/api/v1/openapi.json'],
}

/** Mounted last, so the document sees every route. */
export function mountApiDocs(app: Hono<AppEnv>) {
  let cached: Document | null = null
  const document = async () => (cached ??= await generateSpecs(app, documentOptions))
  app.get('/api/v1/openapi.json', async (c) => c.json(await document()))
  app.get('/api/docs', async (c) => c.html(<ReferencePage document={await document()} />))
}

function ReferencePage({ document }: { document: Document }) {
  const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = (item as Record<string, Operation | undefined> | undefined)?.[method]
      return operation ? [{ path, method, operation }] : []
    }),
  )
  const tags = document.tags ?? []
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{document.info.title}</title>
        <style>{`body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem}code{font:13px ui-monospace,monospace}
section{border-top:1px solid #ddd;padding:.5rem 0}h3{margin:.3rem 0;font-size:1rem}.m{display:inline-block;min-width:4.5em;font-weight:700;text-transform:uppercase}
table{border-collapse:collapse}td{padding:.1rem .6rem .1rem 0;vertical-align:top}`}</style>
      </head>
      <body>
        <h1>{document.info.title}</h1>
        <p>{document.info.description}</p>
        <p>
          Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI {document.openapi}).
        </p>
        {tags.map((tag) => (
          <>
            <h2 id={tag.name}>{tag.name}</h2>
            <p>{tag.description}</p>
            {operations
              .filter((o) => o.operation.tags?.includes(tag.name))
              .map(({ path, method, operation }) => (
                <section>
                  <h3>
                    <span class="m">{method}</span> <code>{path}</code>
                  </h3>
                  <p>{operation.summary}</p>
                  {(operation.parameters ?? []).length > 0 && (
                    <p>
                      Parameters:{' '}
                      {(operation.parameters as { name: string; in: string; required?: boolean }[]).map((p) => (
                        <>
                          <code>
                            {p.name} ({p.in}
                            {p.required ? ', required' : ''})
                          </code>{' '}
                        </>
                      ))}
                    </p>
                  )}
                  <table>
                    {Object.entries(operation.responses ?? {}).map(([status, response]) => (
                      <tr>
                        <td>
                          <code>{status}</code>
                        </td>
                        <td>{(response as { description?: string }).description}</td>
                      </tr>
                    ))}
                  </table>
                </section>
              ))}
          </>
        ))}
      </body>
    </html>
  )
}
