import { sql } from 'drizzle-orm'
import { check, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
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
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' })
      .notNull()
      .default(sql`now()`),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
  },
  () => [check('sync_devices_role_check', sql.raw(`role in (${sqlList(USER_ROLES)})`))],
)
