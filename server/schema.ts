import { sql } from 'drizzle-orm'
import {
  bigint,
  check,
  index,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { sqlList, USER_ROLES } from '../shared/domain/enums'

/**
 * Tables only the central server has. Each laptop (device) authenticates with a bearer
 * token tied to a user and a role; only the token's SHA-256 is stored.
 */
export const devices = pgTable(
  'sync_devices',
  {
    id: uuid('id').primaryKey(),
    label: text('label').notNull(),
    userName: text('user_name').notNull(),
    role: text('role').notNull(),
    /** The crew a crew lead's device works for: it may change only that crew's jobs. */
    teamMemberId: uuid('team_member_id'),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' })
      .notNull()
      .default(sql`now()`),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
  },
  () => [check('sync_devices_role_check', sql.raw(`role in (${sqlList(USER_ROLES)})`))],
)

/**
 * Beside each synced row of the domain tables (which hold its values): per field, the
 * clock value that wrote it, and the row's change number. `seq` comes from one sequence
 * and is bumped on every change, so a pull is "rows with seq greater than my cursor", in
 * a stable order.
 */
export const syncRows = pgTable(
  'sync_rows',
  {
    tableName: text('table_name').notNull(),
    rowId: uuid('row_id').notNull(),
    versions: jsonb('versions').notNull(),
    /** What the series' writes replaced, by field (shared/domain/series.ts `Replaced`). */
    replaced: jsonb('replaced').notNull().default({}),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [
    primaryKey({ columns: [t.tableName, t.rowId] }),
    uniqueIndex('sync_rows_seq_key').on(t.seq),
  ],
)

/** Rows of the former JSON store that their domain table refused, kept with the reason. */
export const syncRowsUnplaced = pgTable(
  'sync_rows_unplaced',
  {
    tableName: text('table_name').notNull(),
    rowId: uuid('row_id').notNull(),
    values: jsonb('values').notNull(),
    versions: jsonb('versions').notNull(),
    reason: text('reason').notNull(),
    foundAt: timestamp('found_at', { withTimezone: true, mode: 'string' })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [primaryKey({ name: 'sync_rows_unplaced_pk', columns: [t.tableName, t.rowId] })],
)

/**
 * Every mutation id ever received, with what became of it: a retried push applies once.
 * The row and clock value it wrote tell who wrote a given field version (each version is
 * the clock value of the write that set it). Null on mutations received before they
 * were kept.
 */
export const syncMutations = pgTable(
  'sync_mutations',
  {
    id: uuid('id').primaryKey(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    status: text('status').notNull(),
    reason: text('reason'),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'string' })
      .notNull()
      .default(sql`now()`),
    tableName: text('table_name'),
    rowId: uuid('row_id'),
    hlc: text('hlc'),
  },
  (t) => [index('sync_mutations_row_idx').on(t.tableName, t.rowId)],
)

/**
 * Business conflicts that offline writes created, for an office manager to resolve.
 * `mutation_id`, `device_id`, `fields` and `hlc` are the write whose arrival revealed the
 * conflict; `other_device_id` and `other_hlc` the write it met (for a double booking,
 * `other_row_id` is the appointment that overlapped `row_id`, booked first).
 */
export const syncConflicts = pgTable(
  'sync_conflicts',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(),
    tableName: text('table_name').notNull(),
    rowId: uuid('row_id').notNull(),
    mutationId: uuid('mutation_id').notNull(),
    deviceId: uuid('device_id').notNull(),
    detectedAt: timestamp('detected_at', { withTimezone: true, mode: 'string' })
      .notNull()
      .default(sql`now()`),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'string' }),
    otherRowId: uuid('other_row_id'),
    fields: jsonb('fields'),
    /** An edit that met a deletion: the deleted row as it was before the edit merged in. */
    before: jsonb('before'),
    hlc: text('hlc'),
    otherDeviceId: uuid('other_device_id'),
    otherHlc: text('other_hlc'),
    resolution: text('resolution'),
    /** The device that resolved it; null when resolved from the command line. */
    resolvedBy: uuid('resolved_by'),
  },
  (t) => [index('sync_conflicts_open_idx').on(t.detectedAt).where(sql`${t.resolvedAt} is null`)],
)

/**
 * Each upcoming job's weather risk as the last refresh assessed it (server/weather), for
 * the REST API's `weather_risk`: a refresh that finds a different one raises
 * `weather.alert.updated.v1` in the transaction that records it, so an alert is raised
 * once per change however many instances refresh.
 */
export const weatherAlerts = pgTable('weather_alerts', {
  appointmentId: uuid('appointment_id').primaryKey(),
  risk: text('risk').notNull(),
  reason: text('reason').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' })
    .notNull()
    .default(sql`now()`),
})

/**
 * Which copy of the central database this is: one row, given a new epoch when the
 * database is restored from a backup (server/pull.ts).
 */
export const syncEpoch = pgTable(
  'sync_epoch',
  {
    id: smallint('id').primaryKey().default(1),
    epoch: uuid('epoch').notNull().default(sql`gen_random_uuid()`),
    changedAt: timestamp('changed_at', { withTimezone: true, mode: 'string' })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [check('sync_epoch_one_row', sql`${t.id} = 1`)],
)

/**
 * Every crew member each job has been given to (server/pull.ts): a crew lead's laptop
 * pulls the changes of the jobs that are or were its crew's, so a job moved away still
 * reaches the laptop that held it, and another crew's day never does.
 */
export const appointmentCrews = pgTable(
  'appointment_crews',
  {
    teamMemberId: uuid('team_member_id').notNull(),
    appointmentId: uuid('appointment_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamMemberId, t.appointmentId] })],
)
