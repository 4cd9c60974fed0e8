import { sql } from 'drizzle-orm'
import { timestamp, uuid } from 'drizzle-orm/pg-core'

/**
 * Columns every domain table carries. Ids are UUIDv7 made on the device (rows are
 * created offline on many laptops), so the database has no id default on purpose.
 */
export const rowColumns = {
  id: uuid('id').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' })
    .notNull()
    .default(sql`now()`),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' })
    .notNull()
    .default(sql`now()`),
  deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'string' }),
}

/** A trimmed, non-empty text of at most `max` characters. */
export const nonBlank = (column: string, max: number) =>
  sql.raw(`length(btrim(${column})) between 1 and ${max}`)
