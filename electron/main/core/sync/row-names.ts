import type { PGlite } from '@electric-sql/pglite'
import { describeInstant } from '../../../../shared/domain/when'
import type { SyncedTable } from '../../../../shared/sync/protocol'

/**
 * Names synced rows as a person knows them ("Smith Residence, Lawn mowing, Thu, Dec 10
 * at 8:00 AM"), for the lists of changes the server refused or this laptop could not
 * merge, where the kind of row is said before the name ("Time off: Ana Lopez from
 * Dec 3, 2026"): a name does not say it again. A row this laptop does not hold has no name.
 */
const NAME_SQL: Record<SyncedTable, string> = {
  clients: 'SELECT id, name AS label, NULL::timestamptz AS at FROM clients',
  services: 'SELECT id, name AS label, NULL::timestamptz AS at FROM services',
  products: 'SELECT id, name AS label, NULL::timestamptz AS at FROM products',
  team_members: 'SELECT id, name AS label, NULL::timestamptz AS at FROM team_members',
  appointments: `SELECT a.id, c.name || ', ' || s.name AS label, a.scheduled_at AS at
    FROM appointments a JOIN clients c ON c.id = a.client_id JOIN services s ON s.id = a.service_id`,
  team_member_specialties: `SELECT x.id, m.name || ': ' || s.name AS label, NULL::timestamptz AS at
    FROM team_member_specialties x JOIN team_members m ON m.id = x.team_member_id
    JOIN services s ON s.id = x.service_id`,
  business_settings: `SELECT id, coalesce(nullif(btrim(business_name), ''), 'this business') AS label,
    NULL::timestamptz AS at FROM business_settings`,
  appointment_products: `SELECT x.id, p.name || ' for ' || c.name AS label, a.scheduled_at AS at
    FROM appointment_products x JOIN products p ON p.id = x.product_id
    JOIN appointments a ON a.id = x.appointment_id JOIN clients c ON c.id = a.client_id`,
  notification_templates: `SELECT id, kind || ' by ' || CASE channel WHEN 'sms' THEN 'SMS' ELSE channel END
    || ' (' || locale || ')' AS label, NULL::timestamptz AS at FROM notification_templates`,
  notifications: `SELECT n.id, c.name AS label, n.visit_at AS at
    FROM notifications n JOIN clients c ON c.id = n.client_id`,
  time_off: `SELECT x.id, m.name || ' from ' || to_char(x.starts_on, 'Mon FMDD, YYYY') AS label,
    NULL::timestamptz AS at FROM time_off x JOIN team_members m ON m.id = x.team_member_id`,
  weather_forecasts: `SELECT id, to_char(day, 'Mon FMDD, YYYY') || ' at ' || place AS label,
    NULL::timestamptz AS at FROM weather_forecasts`,
  series: `SELECT x.id, s.name || ' for ' || c.name AS label, NULL::timestamptz AS at
    FROM series x JOIN clients c ON c.id = x.client_id JOIN services s ON s.id = x.service_id`,
  geocodes: `SELECT id, query AS label, NULL::timestamptz AS at FROM geocodes`,
}

export async function nameRows(
  pg: PGlite,
  rows: readonly { table: SyncedTable; rowId: string }[],
  timeZone: string,
): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  for (const table of new Set(rows.map((r) => r.table))) {
    const ids = rows.filter((r) => r.table === table).map((r) => r.rowId)
    const { rows: found } = await pg.query<{ id: string; label: string; at: string | null }>(
      `SELECT * FROM (${NAME_SQL[table]}) named WHERE id = ANY($1::uuid[])`,
      [ids],
    )
    for (const f of found) {
      const when = f.at ? `, ${describeInstant(Date.parse(f.at), timeZone)}` : ''
      names.set(`${table}:${f.id}`, `${f.label}${when}`)
    }
  }
  return names
}

/** Fields no one reads as part of a change: bookkeeping, and references (named above). */
const UNTOLD = new Set(['id', 'created_at', 'updated_at'])
const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/
const MAX_TOLD = 3

/**
 * What a refused change wrote, as a person reads it (`notes “Gate code 4411”; status in
 * progress`): the crew lead whose note was refused can tell the office what it said.
 */
export function describeChange(fields: Record<string, unknown>, timeZone: string): string | null {
  const told = Object.entries(fields).flatMap(([field, value]) => {
    if (UNTOLD.has(field) || field.endsWith('_id')) return []
    const name = field.replaceAll('_', ' ')
    if (value === null || value === '') return [`${name} cleared`]
    if (typeof value === 'boolean') return [`${name} ${value ? 'on' : 'off'}`]
    const text = String(value)
    if (ID_PATTERN.test(text)) return []
    if (INSTANT_PATTERN.test(text) && !Number.isNaN(Date.parse(text)))
      return [`${name} ${describeInstant(Date.parse(text), timeZone)}`]
    if (field === 'status' || field === 'priority')
      return [`${name} ${text.toLowerCase().replaceAll('_', ' ')}`]
    const short = text.length > 80 ? `${text.slice(0, 79)}…` : text
    return [`${name} “${short.replace(/\s+/g, ' ')}”`]
  })
  if (!told.length) return null
  const more = told.length - MAX_TOLD
  return `${told.slice(0, MAX_TOLD).join('; ')}${more > 0 ? `; and ${more} more` : ''}`
}
