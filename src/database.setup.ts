import { MAIL_QUEUES } from './mail/mail.queue.js'
import { WEBHOOK_QUEUES } from './moderation/moderation.webhook-outbox.js'
import { RETENTION_QUEUES } from './moderation/moderation.retention.js'
import { LEARNING_QUEUES } from './moderation/moderation.learning.js'
import { type DatabaseSetup, migrateToLatest, migratedOrClosed } from './platform/db/migrations.js'
import { installOutbox } from './platform/jobs/jobs.outbox.js'
import type { AnyDb } from './platform/db/database.js'

export const DATABASE_SETUPS: readonly DatabaseSetup[] = [
  (db) => installOutbox(db, [...MAIL_QUEUES, ...WEBHOOK_QUEUES, ...RETENTION_QUEUES, ...LEARNING_QUEUES]),
]

/** Migrates and sets up a database: `npm run migrate`, every start, the tests' template and the bench. */
export const prepareDatabase = (db: AnyDb) => migrateToLatest(db, DATABASE_SETUPS)

/** Prepares a database just opened; when that fails, closes it before the error goes on. */
export const preparedOrClosed = <T extends { db: AnyDb; close(): Promise<void> }>(connection: T) =>
  migratedOrClosed(connection, DATABASE_SETUPS)
