import { sql } from 'drizzle-orm'
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'

/**
 * A laptop's side of sync (migration 0005). Triggers on every synced table record each
 * local write into `sync_outbox` and `sync_versions` in the writing transaction, so no
 * handler can forget to, and nothing written can be lost before it is pushed.
 */
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' })

/** This laptop's hybrid logical clock: one row, its node id and the last value handed out. */
export const syncClock = pgTable('sync_clock', {
  id: integer('id').primaryKey(),
  node: text('node').notNull(),
  last: text('last').notNull(),
})

/**
 * Per synced row, the clock value that last wrote each field (the merge's state):
 * `versions` names fields, and `version`, when set, is the version of every field of the
 * table `versions` does not name. A row a first pull loaded whole, every field from one
 * write, is stored as that one value and `{}` (a tenth of the space, and the bulk of a
 * first pull's time when each field was written out); every reader expands it
 * (sync/versions.ts on the laptop, the capture triggers from their column lists).
 */
export const syncVersions = pgTable(
  'sync_versions',
  {
    tableName: text('table_name').notNull(),
    rowId: uuid('row_id').notNull(),
    versions: jsonb('versions').notNull(),
    version: text('version'),
  },
  (t) => [primaryKey({ columns: [t.tableName, t.rowId] })],
)

/** Local writes not yet acknowledged by the server, in the order they were made. */
export const syncOutbox = pgTable(
  'sync_outbox',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    mutationId: uuid('mutation_id').notNull().unique(),
    tableName: text('table_name').notNull(),
    rowId: uuid('row_id').notNull(),
    hlc: text('hlc').notNull(),
    fields: jsonb('fields').notNull(),
    /** The row's field versions before this write: what this laptop had seen. */
    base: jsonb('base').notNull(),
    /** Appointments this write knowingly overlaps: a double booking the user accepted. */
    accepted: jsonb('accepted'),
    /**
     * Set on a row sent again whole to a server that may not have it: each field's own
     * version (the write then carries them instead of one clock value for all).
     */
    versions: jsonb('versions'),
    /**
     * Set on a row this laptop held before it was sent to this server (its data uploaded
     * on joining one, or sent again after a restore): the server takes the row as it is,
     * not as a booking made now (no confirmation goes to the client).
     */
    uploaded: boolean('uploaded').notNull().default(false),
    createdAt: instant('created_at').notNull().default(sql`now()`),
  },
  // A row's waiting writes are looked up by the row (sending a laptop's rows again asks
  // it of every row, against an outbox that may hold thousands of entries by then).
  (t) => [index('sync_outbox_row_idx').on(t.tableName, t.rowId)],
)

/**
 * Pulled rows waiting to be merged into the tables. A pull page is stored here with the
 * new cursor in one transaction, then applied in short transactions; a row the database
 * refuses (a name taken locally, a missing reference) stays with its error and is
 * retried on the next round.
 */
export const syncInbox = pgTable(
  'sync_inbox',
  {
    tableName: text('table_name').notNull(),
    rowId: uuid('row_id').notNull(),
    values: jsonb('values').notNull(),
    versions: jsonb('versions').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    /** The table's place in the order rows are applied in (referenced tables first). */
    rank: smallint('rank').notNull(),
    error: text('error'),
  },
  (t) => [
    primaryKey({ columns: [t.tableName, t.rowId] }),
    index('sync_inbox_apply_idx').on(t.rank, t.rowId),
  ],
)

/** Sync settings and progress by key: server, token, cursor, pause, last result. */
export const syncState = pgTable('sync_state', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: instant('updated_at').notNull().default(sql`now()`),
})

/** Local writes the server refused, with its reason, for the admin to see. */
export const syncRejected = pgTable('sync_rejected', {
  mutationId: uuid('mutation_id').primaryKey(),
  tableName: text('table_name').notNull(),
  rowId: uuid('row_id').notNull(),
  fields: jsonb('fields').notNull(),
  reason: text('reason').notNull(),
  rejectedAt: instant('rejected_at').notNull().default(sql`now()`),
})
