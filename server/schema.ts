import { sql } from 'drizzle-orm'
import {
  bigint,
  check,
  index,
  jsonb,
  pgTable,
  primaryKey,
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
 * The merged state of every synced row: values and, per field, the clock value that
 * wrote it. `seq` comes from one sequence and is bumped on every change, so a pull is
 * "rows with seq greater than my cursor", in a stable order.
 */
export const syncRows = pgTable(
  'sync_rows',
  {
    tableName: text('table_name').notNull(),
    rowId: uuid('row_id').notNull(),
    values: jsonb('values').notNull(),
    versions: jsonb('versions').notNull(),
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

/** Every mutation id ever received, with what became of it: a retried push applies once. */
export const syncMutations = pgTable('sync_mutations', {
  id: uuid('id').primaryKey(),
  deviceId: uuid('device_id')
    .notNull()
    .references(() => devices.id),
  status: text('status').notNull(),
  reason: text('reason'),
  receivedAt: timestamp('received_at', { withTimezone: true, mode: 'string' })
    .notNull()
    .default(sql`now()`),
})

/** Business conflicts that offline writes created, for an office manager to resolve. */
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
  },
  (t) => [index('sync_conflicts_open_idx').on(t.detectedAt).where(sql`${t.resolvedAt} is null`)],
)
