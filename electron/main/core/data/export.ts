import { asc, isNull } from 'drizzle-orm'
import type { Appointment } from '../../../../shared/contract/appointments'
import { toCsv } from '../../../../shared/domain/csv'
import { toIcs } from '../../../../shared/domain/ics'
import type { AppContext } from '../context'
import { schema } from '../db/schema'
import { type AppointmentFilters, allAppointments } from '../handlers/appointment-queries'

/**
 * Exports for admins and office managers: appointments (with the list's filters),
 * clients, services and products as CSV or JSON, and the schedule as iCalendar.
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
  'follow_up_of',
  'created_at',
  'updated_at',
]

const appointmentRow = (a: Appointment) => [
  a.id,
  a.scheduledAt,
  a.durationMinutes,
  a.status,
  a.clientName,
  a.serviceName,
  a.priority,
  a.teamMemberName,
  a.price,
  a.notes,
  a.followUpOfId,
  a.createdAt,
  a.updatedAt,
]

async function collect(ctx: AppContext, filters: AppointmentFilters): Promise<Appointment[]> {
  const rows: Appointment[] = []
  for await (const a of allAppointments(ctx.db.db, filters)) rows.push(a)
  return rows
}

export async function exportData(
  ctx: AppContext,
  kind: ExportKind,
  format: ExportFormat,
  filters: AppointmentFilters = {},
): Promise<ExportFile> {
  const stamp = new Date().toISOString().slice(0, 10)
  const file = (content: string, rows: number, ext: ExportFormat = format): ExportFile => ({
    filename: `groundskeeper-${kind}-${stamp}.${ext}`,
    mimeType: MIME[ext],
    content,
    rows,
  })
  if (kind === 'calendar' || format === 'ics') {
    const rows = await collect(ctx, filters)
    const events = rows.map((a) => ({
      uid: `${a.id}@groundskeeper`,
      start: a.scheduledAt,
      end: a.endsAt,
      summary: `${a.serviceName} — ${a.clientName}`,
      description: [a.teamMemberName ? `Crew: ${a.teamMemberName}` : '', a.notes]
        .filter(Boolean)
        .join('\n'),
      status: a.status === 'cancelled' ? ('CANCELLED' as const) : ('CONFIRMED' as const),
      updated: a.updatedAt,
    }))
    return {
      ...file(toIcs(events, 'Groundskeeper'), rows.length, 'ics'),
      filename: `groundskeeper-calendar-${stamp}.ics`,
    }
  }
  if (kind === 'appointments') {
    const rows = await collect(ctx, filters)
    return format === 'json'
      ? file(JSON.stringify(rows, null, 2), rows.length)
      : file(toCsv(APPOINTMENT_COLUMNS, rows.map(appointmentRow)), rows.length)
  }
  const db = ctx.db.db
  if (kind === 'clients') {
    const { clients } = schema
    const rows = await db
      .select()
      .from(clients)
      .where(isNull(clients.deletedAt))
      .orderBy(asc(clients.name))
    return format === 'json'
      ? file(JSON.stringify(rows, null, 2), rows.length)
      : file(
          toCsv(
            CLIENT_COLUMNS,
            rows.map((c) => [
              c.name,
              c.email,
              c.phone,
              c.address,
              c.postalCode,
              c.latitude,
              c.longitude,
              c.notes,
            ]),
          ),
          rows.length,
        )
  }
  if (kind === 'services') {
    const { services } = schema
    const rows = await db
      .select()
      .from(services)
      .where(isNull(services.deletedAt))
      .orderBy(asc(services.name))
    return format === 'json'
      ? file(JSON.stringify(rows, null, 2), rows.length)
      : file(
          toCsv(
            SERVICE_COLUMNS,
            rows.map((s) => [
              s.name,
              s.description,
              s.priority,
              s.basePrice,
              s.durationMinutes,
              s.isActive,
            ]),
          ),
          rows.length,
        )
  }
  const { products } = schema
  const rows = await db
    .select()
    .from(products)
    .where(isNull(products.deletedAt))
    .orderBy(asc(products.name))
  return format === 'json'
    ? file(JSON.stringify(rows, null, 2), rows.length)
    : file(
        toCsv(
          ['name', 'description', 'unit', 'unit_price', 'is_active'],
          rows.map((p) => [p.name, p.description, p.unit, p.unitPrice, p.isActive]),
        ),
        rows.length,
      )
}

export const CLIENT_COLUMNS = [
  'name',
  'email',
  'phone',
  'address',
  'postal_code',
  'latitude',
  'longitude',
  'notes',
]
export const SERVICE_COLUMNS = [
  'name',
  'description',
  'priority',
  'base_price',
  'duration_minutes',
  'is_active',
]
