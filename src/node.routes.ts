import type { Hono } from 'hono'
import type { AppEnv } from './services.js'

/** Routes only the Node server has (filled by the widget, demo and moderator UI features). */
export function mountNodeExtras(_app: Hono<AppEnv>) {}
