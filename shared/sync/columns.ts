import { SYNCED_FIELDS, SYNCED_TABLES, type SyncedTable } from './protocol'

/**
 * How synced rows map onto the domain tables, for every database that holds them (the
 * laptops' PGlite and the central PostgreSQL).
 */

/** Tables in the order their rows may reference each other: referenced ones first. */
export const APPLY_ORDER: readonly SyncedTable[] = [
  'business_settings',
  'team_members',
  'clients',
  'services',
  'products',
  'team_member_specialties',
  'time_off',
  'geocodes',
  'weather_forecasts',
  'series',
  'appointments',
  'appointment_products',
  'notification_templates',
  'notifications',
]
if (
  APPLY_ORDER.length !== SYNCED_TABLES.length ||
  !SYNCED_TABLES.every((t) => APPLY_ORDER.includes(t))
)
  throw new Error('APPLY_ORDER must name every synced table once')

/** Money and other decimal columns travel as exact decimal strings. */
export const MONEY_FIELDS: ReadonlySet<string> = new Set([
  'base_price',
  'unit_price',
  'price',
  'quantity',
])

/** Instants (timestamptz columns) travel as ISO-8601 strings in UTC with milliseconds. */
export const INSTANT_FIELDS: ReadonlySet<string> = new Set([
  'scheduled_at',
  'started_at',
  'completed_at',
  'deleted_at',
  'visit_at',
  'previous_visit_at',
  'due_at',
  'sent_at',
  'fetched_at',
  'looked_up_at',
])

export const fieldsOf = (table: SyncedTable): string[] => Object.keys(SYNCED_FIELDS[table])
