import type { Context } from 'hono'
import type { Done } from '../../events/events.js'
import type { AppEnv } from './context.js'

/** After an action committed: hands its events to the subscribers and gives back its answer. */
export function published<T>(c: Context<AppEnv>, done: Done<T>): T {
  const { services, db } = c.var
  services.publish(done.events, { db, defer: (work) => services.defer(c, work) })
  return done.value
}
