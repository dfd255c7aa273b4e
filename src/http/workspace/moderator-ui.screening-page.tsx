// /moderate/screening: what the desk taught. Each version's card: the examples it learned from by language
// and label, abuse held and clean comments published on the held-back decisions before and after, and its
// thresholds; administrators retrain and activate any version (roll back or forward).
import type { ModelsOverview } from '../../moderation/moderation.learning.js'
import type { ModelFigures } from '../../screening/screening.site-learn.js'
import { shippedModelInfo } from '../../screening/screening.shipped-model.js'
import type { Figures } from '../../screening/screening.site-model.js'
import type { ModelVersion, VersionMetrics } from '../../screening/screening.versions.js'
import { Layout, type Viewer } from './moderator-ui.layout.js'

const pct = (x: number | undefined | null) => (typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–')
const LANGUAGES = { ar: 'Arabic', en: 'English' } as const
const STATES: Record<ModelsOverview['training']['state'], string> = {
  idle: 'No training waiting or running.',
  queued: 'A training is queued.',
  running: 'A training is running.',
  failed: 'The last training failed; see the server log, then retrain.',
}

function Examples(props: { examples: ModelVersion['examples'] }) {
  const rows = Object.entries(props.examples ?? {})
  if (rows.length === 0) return <p class="hint">No examples.</p>
  return (
    <table>
      <caption>Examples learned from</caption>
      <thead>
        <tr>
          <th>Language</th>
          <th>Rejected for abuse</th>
          <th>Approved</th>
          <th>of which implicit (published, never reported)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([language, counts]) => (
          <tr>
            <td>{LANGUAGES[language as keyof typeof LANGUAGES] ?? language}</td>
            <td>{counts.abusive}</td>
            <td>{counts.clean}</td>
            <td>{counts.implicit}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function HeldBack(props: { metrics: ModelVersion['metrics']; reasonCode: string | null; reason: string | null }) {
  const heldBack = props.metrics?.heldBack
  const { before, after } = heldBack ?? {}
  if (!before || !after)
    return (
      <p class="hint">
        {props.reasonCode === 'too_few_decisions'
          ? `Not compared. ${props.reason ?? ''}`
          : 'Not compared: too few held-back decisions the active model had not seen.'}
      </p>
    )
  const row = (label: string, pick: (f: ModelFigures) => number | undefined) => (
    <tr>
      <td>{label}</td>
      <td>{pct(pick(before))}</td>
      <td>{pct(pick(after))}</td>
    </tr>
  )
  const counts = Object.entries(heldBack?.examples ?? {})
    .map(([language, c]) => `${LANGUAGES[language as keyof typeof LANGUAGES] ?? language}: ${c.abusive} abusive, ${c.clean} clean`)
    .join('; ')
  return (
    <table>
      <caption>
        On the newest decisions, held back ({counts}): {before.version} before, this version after
      </caption>
      <thead>
        <tr>
          <th />
          <th>Before</th>
          <th>After</th>
        </tr>
      </thead>
      <tbody>
        {row('Abuse held', (f) => f.all.recall)}
        {row('Clean comments published', (f) => f.all.cleanPublished)}
        {row('Abuse held at the clean-publish target', (f) => f.recallAtTarget)}
        {(['ar', 'en'] as const).map((language) =>
          before.byLanguage[language] || after.byLanguage[language] ? (
            <>
              {row(`${LANGUAGES[language]}: abuse held`, (f) => f.byLanguage[language]?.recall)}
              {row(`${LANGUAGES[language]}: clean published`, (f) => f.byLanguage[language]?.cleanPublished)}
            </>
          ) : null,
        )}
      </tbody>
    </table>
  )
}

function Thresholds(props: { thresholds: ModelVersion['thresholds']; crossValidated: VersionMetrics['crossValidated'] | undefined }) {
  const rows = Object.entries(props.thresholds ?? {})
  return (
    <table>
      <caption>Thresholds</caption>
      <tbody>
        {rows.map(([language, t]) => (
          <tr>
            <td>{LANGUAGES[language as keyof typeof LANGUAGES] ?? language}</td>
            <td>
              {t.source === 'site'
                ? `The site's own: holds ${pct(t.heldShare)} of approved comments (set on ${t.decisions} decisions, cross-validated)`
                : `The shipped model's (holds about ${pct(t.heldShare)} of clean comments): ${t.decisions} decisions, too few for the site's own`}
            </td>
            <td>
              <CrossValidated figures={props.crossValidated?.[language as keyof typeof LANGUAGES]} heldShare={t.heldShare} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/**
 * How the site's own model did on its examples, each scored by a model trained without it. Clean comments
 * published there are the threshold's target by construction, so only where the rules alone exceed it is
 * that figure news.
 */
function CrossValidated(props: { figures: (Figures & { auc: number }) | undefined; heldShare: number }) {
  const f = props.figures
  if (!f) return null
  const rulesAlone = f.cleanPublished < 1 - props.heldShare - 0.001
  return (
    <>
      Cross-validated on its examples: abuse held {pct(f.recall)}, AUC {f.auc.toFixed(3)}.
      {rulesAlone &&
        ` The word lists and other content rules alone hold ${pct(1 - f.cleanPublished)} of approved comments, more than the target: the model holds none more. Edit the lists to publish more.`}
    </>
  )
}

function ActivateButton(props: { version: string; viewer: Viewer; active: boolean; label: string }) {
  if (props.viewer.role !== 'admin' || props.active) return null
  return (
    <form method="post" action={`/moderate/screening/${encodeURIComponent(props.version)}/activate`}>
      <button type="submit">{props.label}</button>
    </form>
  )
}

function VersionCard(props: { version: ModelVersion; viewer: Viewer }) {
  const v = props.version
  // Stacked on another shipped model (one a deploy has since replaced): it cannot screen any more.
  const otherBase = v.kind === 'site' && v.baseVersion !== shippedModelInfo.version
  return (
    <section class="card" id={`version-${v.version}`} aria-label={`Version ${v.version}`}>
      <h3>
        {v.version} {v.active && <span class="hint">(active)</span>}
      </h3>
      <p>
        Trained {v.trainedAt?.slice(0, 16).replace('T', ' ')} UTC, started by {v.startedBy}, in {((v.durationMs ?? 0) / 1000).toFixed(1)} s.{' '}
        <strong>{v.promoted ? 'Promoted.' : 'Kept, not promoted.'}</strong> {v.reason}
      </p>
      <Examples examples={v.examples} />
      <HeldBack metrics={v.metrics} reasonCode={v.reasonCode} reason={v.reason} />
      <Thresholds thresholds={v.thresholds} crossValidated={v.metrics?.crossValidated} />
      {otherBase ? (
        <p class="hint">
          Trained on another shipped model ({v.baseVersion}): it cannot screen with this one. The next training builds on it.
        </p>
      ) : (
        <ActivateButton version={v.version} viewer={props.viewer} active={v.active} label="Activate this version" />
      )}
    </section>
  )
}

export function ScreeningPage(props: {
  viewer: Viewer
  models: ModelsOverview
  shippedVersion: string
  schedule: { hourUtc: number | null; cleanPublishTarget: number }
  notice?: string | undefined
}) {
  const { models, viewer } = props
  const admin = viewer.role === 'admin'
  return (
    <Layout title="Screening" viewer={viewer}>
      <h1>Screening that learns</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <p>
        Active: <strong>{models.active.version}</strong>{' '}
        {models.active.kind === 'shipped' ? '(the shipped model alone)' : "(this site's model, stacked on the shipped one)"}
      </p>
      <p>
        {STATES[models.training.state]}{' '}
        {props.schedule.hourUtc === null
          ? 'No nightly training (set learningHourUtc in the settings).'
          : `Trains nightly at ${String(props.schedule.hourUtc).padStart(2, '0')}:00 UTC.`}{' '}
        A new version is promoted only if it holds more abuse on the newest decisions with {pct(props.schedule.cleanPublishTarget)} of
        approved comments published.
      </p>
      {admin && (
        <form method="post" action="/moderate/screening/retrain">
          <button type="submit" disabled={models.training.state === 'queued' || models.training.state === 'running'}>
            Retrain now
          </button>
        </form>
      )}
      <ActivateButton
        version={props.shippedVersion}
        viewer={viewer}
        active={models.active.kind === 'shipped'}
        label={`Return to the shipped model (${props.shippedVersion})`}
      />
      <h2>Versions</h2>
      {models.versions.length === 0 && <p class="hint">No site version yet: the desk's decisions train one.</p>}
      {models.versions.map((version) => (
        <VersionCard version={version} viewer={viewer} />
      ))}
    </Layout>
  )
}
