import type { Child } from 'hono/jsx'
import { type SiteSettings, siteSettingsSchema } from '../../settings/settings.schema.js'
import { Layout, type Viewer } from './moderator-ui.layout.js'

type NumericSetting =
  | 'queueAlertThreshold'
  | 'maxLinks'
  | 'premodNewCommenters'
  | 'reportThreshold'
  | 'closeAfterDays'
  | 'rateLimitPerMinute'
  | 'modelHoldThreshold'
  | 'modelRejectThreshold'
  | 'externalClassifierThreshold'
  | 'perspectiveThreshold'
  | 'learningHourUtc'
  | 'learningCleanPublishTarget'

/** An input's bounds, read from the schema that will check the value, so the form never promises more. */
function bounds(name: NumericSetting): { min?: number; max?: number } {
  let field: unknown = siteSettingsSchema.shape[name].unwrap()
  if (field && typeof field === 'object' && 'unwrap' in field && typeof field.unwrap === 'function') field = field.unwrap() // nullable
  const { minValue, maxValue } = field as { minValue: number | null; maxValue: number | null }
  return {
    ...(minValue !== null && Number.isFinite(minValue) ? { min: minValue } : {}),
    ...(maxValue !== null && Number.isFinite(maxValue) ? { max: maxValue } : {}),
  }
}

/** A numeric setting's labelled input: the schema's bounds, and empty for null (never, none). */
function NumberField({ s, name, step, children }: { s: SiteSettings; name: NumericSetting; step?: string; children: Child }) {
  const value = s[name]
  return (
    <label>
      {children}
      <input type="number" name={name} {...bounds(name)} step={step} value={value === null ? '' : String(value)} />
    </label>
  )
}

const MODE_LABELS: Record<SiteSettings['moderationMode'], string> = {
  pre: 'Pre-moderation: review before publishing',
  post: 'Post-moderation: publish unless a rule holds',
}

export function SettingsPage(props: {
  viewer: Viewer
  settings: SiteSettings
  /** Whether the server has the external services' keys (set in its environment, never here). */
  keys: { perspective: boolean; akismet: boolean }
  notice?: string | undefined
  error?: string | undefined
}) {
  const s = props.settings
  const readOnly = props.viewer.role !== 'admin'
  return (
    <Layout title="Settings" viewer={props.viewer}>
      <h1>Site rules</h1>
      {readOnly && <p class="notice">Only administrators can change these.</p>}
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {props.error && (
        <p class="notice error" role="alert">
          {props.error}
        </p>
      )}
      <form class="stack" method="post" action="/moderate/settings">
        <fieldset disabled={readOnly} style="border:0;padding:0;display:grid;gap:.8rem">
          <ModerationRuleFields s={s} />
          <ScreeningFields s={s} keys={props.keys} />
          <WebhookFields s={s} />
          <ReaderFields s={s} />
          {!readOnly && <button type="submit">Save rules</button>}
          {!readOnly && (
            <p class="hint">
              Every approval and rejection is kept as a labelled example the site model learns from: see{' '}
              <a href="/moderate/screening">Screening</a> for its versions and "Retrain now", or{' '}
              <a href="/api/v1/mod/screening/examples">download them as JSON lines</a>.
            </p>
          )}
        </fieldset>
      </form>
    </Layout>
  )
}

/** How comments are moderated: the mode, the word lists, the thresholds and the limit. */
function ModerationRuleFields({ s }: { s: SiteSettings }) {
  return (
    <>
      <label>
        Moderation
        <select name="moderationMode">
          {siteSettingsSchema.shape.moderationMode.unwrap().options.map((mode) => (
            <option value={mode} selected={s.moderationMode === mode}>
              {MODE_LABELS[mode]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Banned words <span class="hint">one per line; rejected with a message to the writer</span>
        <textarea name="bannedWords" dir="auto">
          {s.bannedWords.join('\n')}
        </textarea>
      </label>
      <label>
        Suspect words <span class="hint">one per line; held for review</span>
        <textarea name="suspectWords" dir="auto">
          {s.suspectWords.join('\n')}
        </textarea>
      </label>
      <label class="check">
        <input type="checkbox" name="holdLinks" value="true" checked={s.holdLinks} /> Hold every comment with a link
      </label>
      <NumberField s={s} name="maxLinks">
        Hold comments with more links than
      </NumberField>
      <NumberField s={s} name="premodNewCommenters">
        Approved comments before a commenter skips the queue
      </NumberField>
      <NumberField s={s} name="reportThreshold">
        Open reports that send a comment back for review
      </NumberField>
      <NumberField s={s} name="closeAfterDays">
        Close threads after (days, empty for never)
      </NumberField>
      <NumberField s={s} name="rateLimitPerMinute">
        Comments per minute per reader (0 = no limit)
      </NumberField>
    </>
  )
}

/** The screening model and the outside services a site may add. */
function ScreeningFields({ s, keys }: { s: SiteSettings; keys: { perspective: boolean; akismet: boolean } }) {
  return (
    <>
      <label class="check">
        <input type="checkbox" name="modelEnabled" value="true" checked={s.modelEnabled} /> Screen with the built-in abuse model (English
        and Arabic)
      </label>
      <NumberField s={s} name="modelHoldThreshold" step="0.01">
        Abuse risk that holds a comment (0–1) <span class="hint">0.5 holds about 5% of clean comments</span>
      </NumberField>
      <NumberField s={s} name="modelRejectThreshold" step="0.01">
        Abuse risk that rejects a comment (0–1, empty for never)
      </NumberField>
      <NumberField s={s} name="learningHourUtc">
        Nightly training from this site's decisions, hour (UTC) <span class="hint">empty for none; see Screening for each version</span>
      </NumberField>
      <NumberField s={s} name="learningCleanPublishTarget" step="0.005">
        Clean comments a site model must publish (share, e.g. 0.95){' '}
        <span class="hint">a new version is promoted only if it publishes at least this share of clean comments</span>
      </NumberField>
      <label>
        External classifier URL <span class="hint">POST {'{"text"}'}, answers JSON with a 0–1 score; empty for none</span>
        <input type="url" name="externalClassifierUrl" value={s.externalClassifierUrl ?? ''} />
      </label>
      <label>
        Score field in its answer <span class="hint">a dotted path, e.g. result.toxicity</span>
        <input name="externalClassifierField" value={s.externalClassifierField} />
      </label>
      <NumberField s={s} name="externalClassifierThreshold" step="0.05">
        Classifier score that holds a comment (0–1)
      </NumberField>
      <label class="check">
        <input type="checkbox" name="perspectiveEnabled" value="true" checked={s.perspectiveEnabled} /> Use Perspective toxicity (Google
        ends it in 2026){' '}
        <span class="hint">{keys.perspective ? 'key configured' : 'no key: PERSPECTIVE_API_KEY is not set, so this does nothing'}</span>
      </label>
      <NumberField s={s} name="perspectiveThreshold" step="0.05">
        Toxicity that holds a comment (0–1)
      </NumberField>
      <label class="check">
        <input type="checkbox" name="akismetEnabled" value="true" checked={s.akismetEnabled} /> Use Akismet spam checks{' '}
        <span class="hint">{keys.akismet ? 'key configured' : 'no key: AKISMET_API_KEY is not set, so this does nothing'}</span>
      </label>
    </>
  )
}

/** Where the site's webhook goes, and how it is signed. */
function WebhookFields({ s }: { s: SiteSettings }) {
  return (
    <>
      <label>
        Webhook URL <span class="hint">receives held, reported and published events</span>
        <input type="url" name="webhookUrl" value={s.webhookUrl ?? ''} />
      </label>
      <label>
        Webhook secret{' '}
        <span class="hint">
          {s.webhookSecret ? 'set; type a new one to replace it' : 'not set: deliveries are unsigned'} (16+ characters; signs
          X-Comments-Signature)
        </span>
        <input type="password" name="webhookSecret" autocomplete="off" minlength={16} maxlength={200} />
      </label>
      {s.webhookSecret && (
        <label class="check">
          <input type="checkbox" name="clearWebhookSecret" value="true" /> Stop signing deliveries (forget the secret)
        </label>
      )}
      <p>
        <a href="/moderate/webhooks">Recent deliveries and their status</a>
      </p>
    </>
  )
}

/** Readers and mail: names in mails, the rules page, alerts and the publisher's own sign-in. */
function ReaderFields({ s }: { s: SiteSettings }) {
  return (
    <>
      <h2>Readers and mail</h2>
      <label class="check">
        <input type="checkbox" name="requireVerifiedReaders" value="true" checked={s.requireVerifiedReaders} /> Only readers who verified
        their email (or signed in through this site) may comment
      </label>
      <label>
        Site name in mails
        <input name="siteName" required maxlength={100} value={s.siteName} />
      </label>
      <label>
        Comment rules page <span class="hint">linked from the mail that tells a reader why a comment was not published</span>
        <input type="url" name="siteRulesUrl" value={s.siteRulesUrl ?? ''} />
      </label>
      <NumberField s={s} name="queueAlertThreshold">
        Alert moderators when this many comments wait (empty for never)
      </NumberField>
      <label>
        Sign-in secret for the publisher's own accounts (SSO, HS256){' '}
        <span class="hint">
          {s.ssoSecret ? `set (ends ${s.ssoSecret.slice(-4)}); type a new one to replace it` : 'not set; at least 32 characters'}
        </span>
        <input type="password" name="ssoSecret" autocomplete="off" minlength={32} maxlength={512} />
      </label>
      {s.ssoSecret && (
        <label class="check">
          <input type="checkbox" name="clearSsoSecret" value="true" /> Turn the publisher's sign-in off (forget the secret)
        </label>
      )}
    </>
  )
}
