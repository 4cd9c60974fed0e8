import { asc, getTableColumns, isNull } from 'drizzle-orm'
import { z } from 'zod'
import { type Appointment, appointment } from '../../../../shared/contract/appointments'
import { instant } from '../../../../shared/contract/common'
import { CLIENT_COLUMNS, SERVICE_COLUMNS } from '../../../../shared/contract/data'
import { toCsv } from '../../../../shared/domain/csv'
import { toIcs } from '../../../../shared/domain/ics'
import { type ClientPlace, jobLocation } from '../../../../shared/domain/job-location'
import { localDay, zonedColumn, zonedIso } from '../../../../shared/domain/time'
import type { AppContext } from '../context'
import { schema } from '../db/schema'
import {
  type AppointmentFilters,
  allAppointments,
  countAppointments,
} from '../handlers/appointment-queries'
import { businessTimeZone } from '../handlers/business-zone'
import { type JobReport, UNTRACKED } from './progress'

/**
 * Exports for admins and office managers: appointments (with the list's filters),
 * clients, services and products as CSV or JSON, and the schedule as iCalendar.
 * Instants are written in the business's time zone with their offset
 * (`2027-05-04T10:00:00-05:00`: the office's clock, and still the exact instant), and
 * the zone is named: in a CSV column's header, in each JSON record's `timeZone`. JSON
 * stays an array of records, as it always was, so its readers keep working. Dates
 * without a time (a visit's `seriesOccurrence`) are written as they are.
 */
export type ExportKind = 'appointments' | 'clients' | 'services' | 'products' | 'calendar'
export type ExportFormat = 'csv' | 'json' | 'ics'

export interface ExportFile {
  filename: string
  mimeType: string
  content: string
  rows: number
}

const MIME = { csv: 'text/csv', json: 'application/json', ics: 'text/calendar' } as const

const APPOINTMENT_COLUMNS = [
  'id',
  'scheduled_at',
  'duration_minutes',
  'status',
  'client',
  'service',
  'priority',
  'team_member',
  'price',
  'notes',
  'location',
  'follow_up_of',
  'created_at',
  'updated_at',
]

/** Columns of instants: written in the business's time zone, the zone in their name. */
const TIME_COLUMNS = new Set(['scheduled_at', 'created_at', 'updated_at'])
const appointmentColumns = (tz: string) =>
  APPOINTMENT_COLUMNS.map((c) => (TIME_COLUMNS.has(c) ? zonedColumn(c, tz) : c))

const appointmentRow = (tz: string) => (a: Appointment) => [
  a.id,
  zonedIso(a.scheduledAt, tz),
  a.durationMinutes,
  a.status,
  a.clientName,
  a.serviceName,
  a.priority,
  a.teamMemberName,
  a.price,
  a.notes,
  a.location,
  a.followUpOfId,
  zonedIso(a.createdAt, tz),
  zonedIso(a.updatedAt, tz),
]

/** The addresses of the clients of some appointments, in one query. */
async function clientPlaces(
  ctx: AppContext,
  rows: readonly Appointment[],
): Promise<Map<string, ClientPlace>> {
  const ids = [...new Set(rows.map((a) => a.clientId))]
  if (!ids.length) return new Map()
  const { rows: clients } = await ctx.db.pg.query<ClientPlace & { id: string }>(
    `SELECT id, address, postal_code AS "postalCode" FROM clients WHERE id = ANY($1::uuid[])`,
    [ids],
  )
  return new Map(clients.map(({ id, ...place }) => [id, place]))
}

/**
 * The fields of an appointment that are instants, read from its contract: a field added
 * there is written in the zone without a list here to keep up to date.
 */
const APPOINTMENT_INSTANTS = Object.entries(appointment.shape)
  .filter(
    ([, field]) =>
      field === instant || (field instanceof z.ZodNullable && field.unwrap() === instant),
  )
  .map(([name]) => name)

/** The fields of a table that are instants (timestamptz columns), by the table's schema. */
const instantFields = (table: (typeof RECORDS)[keyof typeof RECORDS]['table']) =>
  Object.entries(getTableColumns(table))
    .filter(([, column]) => column.columnType.startsWith('PgTimestamp'))
    .map(([name]) => name)

/**
 * A record as JSON writes it: its instants in the zone with their offset, and the zone
 * named beside them (an array of records has no header to name it in, as CSV has).
 */
const zonedRecord =
  (fields: readonly string[], tz: string) =>
  (row: object): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...row }
    for (const f of fields) {
      const value = out[f]
      if (typeof value === 'string') out[f] = zonedIso(value, tz)
    }
    return { ...out, timeZone: tz }
  }

const json = (records: readonly object[]) => JSON.stringify(records, null, 2)

/** Reads the appointments batch by batch, reporting each row read against the count. */
async function collect(
  ctx: AppContext,
  filters: AppointmentFilters,
  report: JobReport,
  step: string,
): Promise<Appointment[]> {
  await report.step(step, await countAppointments(ctx.db.db, filters))
  const rows: Appointment[] = []
  for await (const a of allAppointments(ctx.db.db, filters)) {
    rows.push(a)
    await report.advance(rows.length)
  }
  return rows
}

export async function exportData(
  ctx: AppContext,
  kind: ExportKind,
  format: ExportFormat,
  filters: AppointmentFilters = {},
  report: JobReport = UNTRACKED,
): Promise<ExportFile> {
  const tz = await businessTimeZone(ctx.db.db)
  // Named by the business's day, as the office reads the date (not the UTC one).
  const stamp = localDay(Date.now(), tz)
  const file = (content: string, rows: number, ext: ExportFormat = format): ExportFile => ({
    filename: `groundskeeper-${kind}-${stamp}.${ext}`,
    mimeType: MIME[ext],
    content,
    rows,
  })
  if (kind === 'calendar' || format === 'ics') {
    const rows = await collect(ctx, filters, report, 'Exporting the calendar')
    const places = await clientPlaces(ctx, rows)
    const events = rows.map((a) => ({
      uid: `${a.id}@groundskeeper`,
      start: a.scheduledAt,
      end: a.endsAt,
      summary: `${a.serviceName} — ${a.clientName}`,
      description: [a.teamMemberName ? `Crew: ${a.teamMemberName}` : '', a.notes]
        .filter(Boolean)
        .join('\n'),
      location: jobLocation(a, places.get(a.clientId) ?? null),
      status: a.status === 'cancelled' ? ('CANCELLED' as const) : ('CONFIRMED' as const),
      updated: a.updatedAt,
    }))
    return {
      ...file(toIcs(events, 'Groundskeeper'), rows.length, 'ics'),
      filename: `groundskeeper-calendar-${stamp}.ics`,
    }
  }
  if (kind === 'appointments') {
    const rows = await collect(ctx, filters, report, 'Exporting appointments')
    return format === 'json'
      ? file(json(rows.map(zonedRecord(APPOINTMENT_INSTANTS, tz))), rows.length)
      : file(toCsv(appointmentColumns(tz), rows.map(appointmentRow(tz))), rows.length)
  }
  const { table, columns } = RECORDS[kind]
  const rows = await ctx.db.db
    .select()
    .from(table)
    .where(isNull(table.deletedAt))
    .orderBy(asc(table.name))
  if (format === 'json') {
    return file(json(rows.map(zonedRecord(instantFields(table), tz))), rows.length)
  }
  // CSV columns are the database's column names; the rows carry them in camelCase.
  const cells = (row: Record<string, unknown>) =>
    columns.map((c) => (row[camel(c)] ?? null) as string | number | boolean | null)
  return file(toCsv(columns, rows.map(cells)), rows.length)
}

const camel = (column: string) => column.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())

export const PRODUCT_COLUMNS = ['name', 'description', 'unit', 'unit_price', 'is_active']

const RECORDS = {
  clients: { table: schema.clients, columns: CLIENT_COLUMNS },
  services: { table: schema.services, columns: SERVICE_COLUMNS },
  products: { table: schema.products, columns: PRODUCT_COLUMNS },
}
