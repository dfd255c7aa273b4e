import type { ImportTable } from '../../platform/db/database.js'
import type { Selectable } from 'kysely'
import { Layout, type Viewer } from './moderator-ui.layout.js'

type ImportRun = Selectable<ImportTable>

// In the order of docs/import-export.md's status table; the stored JSON keeps no order of its own.
const STATUSES = ['approved', 'pending', 'rejected', 'removed'] as const

const num = (value: unknown) => (typeof value === 'number' ? value.toLocaleString('en') : '–')

/** Past runs of `npm run import`: when, which file, and what each added or refused. */
export function ImportsPage(props: { viewer: Viewer; runs: ImportRun[] }) {
  return (
    <Layout title="Imports" viewer={props.viewer}>
      <h1>Imports</h1>
      <p class="hint">
        Comments brought in with <code>npm run import</code>. Running the same file again adds nothing; an interrupted run continues where
        it stopped.
      </p>
      {props.runs.length === 0 ? (
        <p>No imports yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">File</th>
              <th scope="col">Format</th>
              <th scope="col">Status</th>
              <th scope="col">Articles</th>
              <th scope="col">Comments</th>
              <th scope="col">Commenters</th>
              <th scope="col">Skipped or bad</th>
            </tr>
          </thead>
          <tbody>
            {props.runs.map((run) => {
              const counts = run.counts as {
                articles?: number
                comments?: number
                alreadyPresent?: number
                byStatus?: Record<string, number>
                commenters?: number
                bad?: number
                skipped?: Record<string, number>
              }
              const skipped = Object.values(counts.skipped ?? {}).reduce((a, b) => a + b, 0)
              return (
                <tr>
                  <td>
                    <time datetime={new Date(run.started_at).toISOString()}>
                      {new Date(run.started_at).toISOString().slice(0, 16).replace('T', ' ')} UTC
                    </time>
                  </td>
                  <td>{run.file}</td>
                  <td>
                    {run.format}
                    {run.source !== run.format && <span class="hint"> ({run.source})</span>}
                  </td>
                  <td>
                    {run.status}
                    {run.error && <div class="hint">{run.error}</div>}
                  </td>
                  <td>{num(counts.articles)}</td>
                  <td>
                    {num(counts.comments)}
                    {counts.byStatus && (
                      <div class="hint">
                        {STATUSES.map((status) => `${status} ${(counts.byStatus?.[status] ?? 0).toLocaleString('en')}`).join(', ')}
                      </div>
                    )}
                    {(counts.alreadyPresent ?? 0) > 0 && <div class="hint">{num(counts.alreadyPresent)} already present</div>}
                  </td>
                  <td>{num(counts.commenters)}</td>
                  <td>
                    {num(skipped)} skipped, {num(counts.bad ?? 0)} bad
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </Layout>
  )
}
