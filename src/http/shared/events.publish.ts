import type { Context } from 'hono'
import type { AppEnv } from '../../services.js'
import type { Done } from '../../events/events.js'

/** After an action committed: hands its events to the subscribers and gives back its answer. */
export function published<T>(c: Context<AppEnv>, done: Done<T>): T {
  c.var.services.publish(c, c.var.db, done.events)
  return done.value
}
