// What a moderator decides about a commenter, from the queue's menu and from the commenter's page: each
// decision is its own small form with one labelled reason, recorded in the audit log.
import { SUSPENSION_DAYS } from '../../moderation/moderation.commenters.js'
import { COMMENTER_REASON_MAX } from '../shared/moderation.schemas.js'

interface Standing {
  id: string
  status: 'normal' | 'trusted' | 'banned'
  suspended?: boolean
  shadowBanned?: boolean
}

/** One decision: its fields, a labelled reason, and the button that sends it. */
function Decision(props: {
  commenterId: string
  action: string
  back: string
  button: string
  why: string
  required?: boolean
  dataKey?: string
  /** Folded behind its name until the moderator opens it (the commenter's page lists them all). */
  folded?: boolean
  children?: unknown
}) {
  const form = (
    <form method="post" action={`/moderate/commenters/${props.commenterId}/${props.action}`} class="decision">
      <input type="hidden" name="back" value={props.back} />
      {props.children}
      <label>
        {props.why}
        {props.required ? '' : ' (optional)'}
        <input name="reason" maxlength={COMMENTER_REASON_MAX} required={props.required} dir="auto" />
      </label>
      <button type="submit" data-key={props.dataKey}>
        {props.button}
      </button>
    </form>
  )
  return props.folded ? (
    <details class="fold">
      <summary>{props.button}…</summary>
      {form}
    </details>
  ) : (
    form
  )
}

/** The decisions that apply to a commenter as they stand now. `queue`: the ban also rejects their waiting comments. */
export function CommenterDecisions(props: { commenter: Standing; back: string; queue?: boolean }) {
  const { commenter: c, back } = props
  const folded = !props.queue
  const restricted = c.status !== 'normal' || c.suspended || c.shadowBanned
  return (
    <>
      {c.status !== 'banned' && (
        <Decision
          commenterId={c.id}
          action="ban"
          back={back}
          folded={folded}
          button="Ban commenter"
          why="Reason for the ban"
          required
          dataKey={props.queue ? 'ban' : undefined}
        >
          <input type="hidden" name="rejectPending" value="true" />
        </Decision>
      )}
      <Decision commenterId={c.id} action="suspend" back={back} folded={folded} button="Suspend" why="Reason for the suspension" required>
        <label>
          Suspend for
          <select name="days">
            {SUSPENSION_DAYS.map((d) => (
              <option value={String(d)}>{d === 1 ? '1 day' : `${d} days`}</option>
            ))}
          </select>
        </label>
      </Decision>
      {!c.shadowBanned && !props.queue && (
        <Decision
          commenterId={c.id}
          action="shadow-ban"
          back={back}
          folded={folded}
          button="Shadow-ban"
          why="Reason for the shadow-ban"
          required
        />
      )}
      {c.status !== 'trusted' && (
        <Decision commenterId={c.id} action="trust" back={back} folded={folded} button="Trust" why="Reason for trusting them" />
      )}
      {restricted && (
        <Decision
          commenterId={c.id}
          action="reset"
          back={back}
          folded={folded}
          button={c.status === 'trusted' && !c.suspended && !c.shadowBanned ? 'Stop trusting' : 'Lift restrictions'}
          why="Reason for lifting it"
        />
      )}
    </>
  )
}
