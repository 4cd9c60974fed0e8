import type { Conflict, SyncedTable } from '../../../../shared/sync/protocol'
import { UNITS_LABEL, type Units } from '../../../../shared/weather/units'
import { formatDateTime, formatTime, money } from '../../app/format'
import { statusLabel } from '../../components/States'

/**
 * A conflict's two versions of a row, field by field, in the words an office manager
 * uses: names instead of ids, times in the business's zone, money as money.
 */
type Side = Conflict['sides'][number]
type Value = Side['values'][string]
type Kind =
  | 'text'
  | 'name'
  | 'when'
  | 'instant'
  | 'minutes'
  | 'status'
  | 'money'
  | 'yesno'
  | 'units'

const FIELDS: Record<SyncedTable, [field: string, label: string, kind: Kind][]> = {
  appointments: [
    ['client_id', 'Client', 'name'],
    ['service_id', 'Service', 'name'],
    ['team_member_id', 'Crew member', 'name'],
    ['scheduled_at', 'Scheduled', 'when'],
    ['duration_minutes', 'Duration', 'minutes'],
    ['status', 'Status', 'status'],
    ['price', 'Price', 'money'],
    ['notes', 'Notes', 'text'],
    ['location', 'Location', 'text'],
    ['started_at', 'Started', 'instant'],
    ['completed_at', 'Completed', 'instant'],
    ['deleted_at', 'Deleted', 'instant'],
  ],
  clients: [
    ['name', 'Name', 'text'],
    ['email', 'Email', 'text'],
    ['phone', 'Phone', 'text'],
    ['address', 'Address', 'text'],
    ['postal_code', 'Postal code', 'text'],
    ['notes', 'Notes', 'text'],
    ['notify_email', 'Email messages', 'yesno'],
    ['notify_sms', 'SMS messages', 'yesno'],
    ['notify_off', 'Messages turned off', 'text'],
    ['locale', 'Language', 'text'],
    ['deleted_at', 'Deleted', 'instant'],
  ],
  services: [
    ['name', 'Name', 'text'],
    ['description', 'Description', 'text'],
    ['priority', 'Priority', 'text'],
    ['base_price', 'Base price', 'money'],
    ['duration_minutes', 'Duration', 'minutes'],
    ['is_active', 'Offered', 'yesno'],
    ['weather_kind', 'Kind of work', 'text'],
    ['weather_limits', 'Weather limits', 'text'],
    ['deleted_at', 'Deleted', 'instant'],
  ],
  products: [
    ['name', 'Name', 'text'],
    ['description', 'Description', 'text'],
    ['unit', 'Unit', 'text'],
    ['unit_price', 'Unit price', 'money'],
    ['is_active', 'Offered', 'yesno'],
    ['deleted_at', 'Deleted', 'instant'],
  ],
  team_members: [
    ['name', 'Name', 'text'],
    ['email', 'Email', 'text'],
    ['phone', 'Phone', 'text'],
    ['is_available', 'Available', 'yesno'],
    ['working_hours', 'Working hours', 'text'],
    ['working_days', 'Working days', 'text'],
    ['deleted_at', 'Deleted', 'instant'],
  ],
  team_member_specialties: [
    ['team_member_id', 'Crew member', 'name'],
    ['service_id', 'Service', 'name'],
    ['deleted_at', 'Removed', 'instant'],
  ],
  business_settings: [
    ['time_zone', 'Time zone', 'text'],
    ['working_hours', 'Working hours', 'text'],
    ['working_days', 'Working days', 'text'],
    ['business_name', 'Business name', 'text'],
    ['business_phone', 'Business phone', 'text'],
    ['reminder_lead_minutes', 'Reminder lead time', 'minutes'],
    ['sending_hours', 'Sending hours', 'text'],
    ['units', 'Weather units', 'units'],
  ],
  appointment_products: [
    ['appointment_id', 'Appointment', 'name'],
    ['product_id', 'Product', 'name'],
    ['quantity', 'Quantity', 'text'],
    ['unit_price', 'Unit price', 'money'],
    ['deleted_at', 'Removed', 'instant'],
  ],
  series: [
    ['client_id', 'Client', 'name'],
    ['service_id', 'Service', 'name'],
    ['team_member_id', 'Crew member', 'name'],
    ['rule', 'Repeats', 'text'],
    ['starts_on', 'From', 'text'],
    ['ends_on', 'Until', 'text'],
    ['start_time', 'Time', 'text'],
    ['price', 'Price', 'money'],
    ['notes', 'Notes', 'text'],
    ['deleted_at', 'Removed', 'instant'],
  ],
  time_off: [
    ['team_member_id', 'Crew member', 'name'],
    ['starts_on', 'From', 'text'],
    ['ends_on', 'To', 'text'],
    ['reason', 'Reason', 'text'],
    ['deleted_at', 'Removed', 'instant'],
  ],
  weather_forecasts: [
    ['place', 'Place', 'text'],
    ['day', 'Day', 'text'],
    ['precipitation_mm', 'Rain (mm)', 'text'],
    ['fetched_at', 'Fetched', 'instant'],
    ['deleted_at', 'Removed', 'instant'],
  ],
  geocodes: [
    ['query', 'Address', 'text'],
    ['label', 'Found', 'text'],
    ['looked_up_at', 'Looked up', 'instant'],
    ['deleted_at', 'Removed', 'instant'],
  ],
  notification_templates: [
    ['kind', 'Kind', 'text'],
    ['channel', 'Channel', 'text'],
    ['locale', 'Language', 'text'],
    ['version', 'Version', 'text'],
    ['subject', 'Subject', 'text'],
    ['body', 'Text', 'text'],
    ['deleted_at', 'Removed', 'instant'],
  ],
  notifications: [
    ['kind', 'Kind', 'text'],
    ['channel', 'Channel', 'text'],
    ['client_id', 'Client', 'name'],
    ['recipient', 'To', 'text'],
    ['due_at', 'Due', 'instant'],
    ['status', 'Status', 'text'],
    ['attempts', 'Attempts', 'text'],
    ['reason', 'Reason', 'text'],
    ['sent_at', 'Sent', 'instant'],
    ['deleted_at', 'Removed', 'instant'],
  ],
}

export interface FieldRow {
  field: string
  label: string
  /** The text of each side; null where that side did not write the field. */
  values: [string | null, string | null]
  /** Why the row stands out: the sides differ, the edit wrote it, or it is the deletion. */
  mark: 'differs' | 'edited' | 'deleted' | null
}

const blank = (v: Value | undefined) => v === undefined || v === null || v === ''

export function minutesText(m: number): string {
  const h = Math.floor(m / 60)
  const rest = m % 60
  return h ? `${h} h${rest ? ` ${rest} min` : ''}` : `${rest} min`
}

export interface Names {
  names: Record<string, string>
  tz: string
}

function show(field: string, kind: Kind, side: Side, ctx: Names): string {
  const v = side.values[field]
  if (kind === 'name') {
    if (typeof v !== 'string') return field === 'team_member_id' ? 'Unassigned' : '—'
    return ctx.names[v] ?? 'Not on this laptop yet'
  }
  if (blank(v)) return '—'
  switch (kind) {
    case 'when': {
      const start = String(v)
      const minutes = side.values.duration_minutes
      if (typeof minutes !== 'number') return formatDateTime(start, ctx.tz)
      const end = new Date(Date.parse(start) + minutes * 60_000).toISOString()
      return `${formatDateTime(start, ctx.tz)} – ${formatTime(end, ctx.tz)}`
    }
    case 'instant':
      return formatDateTime(String(v), ctx.tz)
    case 'minutes':
      return minutesText(Number(v))
    case 'status':
      return statusLabel(String(v))
    case 'money':
      return money(String(v))
    case 'yesno':
      return v ? 'Yes' : 'No'
    case 'units':
      return UNITS_LABEL[v as Units] ?? String(v)
    default:
      return String(v)
  }
}

function same(kind: Kind, a: Value | undefined, b: Value | undefined): boolean {
  if (blank(a) && blank(b)) return true
  if (blank(a) || blank(b)) return false
  if (kind === 'money') return Number(a) === Number(b)
  if (kind === 'when' || kind === 'instant') return Date.parse(String(a)) === Date.parse(String(b))
  return a === b
}

/**
 * The rows to show: every field either side holds a value for. A field one side did not
 * write (an edit that changed only the notes, say) reads null there. Two bookings mark
 * the fields in which they differ; an edit that met a deletion marks what the edit
 * wrote and the deletion itself (the row as it stands already holds the edits).
 */
export function fieldRows(c: Conflict, ctx: Names): FieldRow[] {
  const [a, b] = c.sides
  const rows: FieldRow[] = []
  for (const [field, label, kind] of FIELDS[c.table]) {
    const inA = field in a.values
    const inB = field in b.values
    const va = a.values[field]
    const vb = b.values[field]
    if ((!inA && !inB) || (blank(va) && blank(vb) && kind !== 'name')) continue
    rows.push({
      field,
      label,
      values: [inA ? show(field, kind, a, ctx) : null, inB ? show(field, kind, b, ctx) : null],
      mark:
        c.kind === 'edit_and_delete'
          ? field === 'deleted_at'
            ? 'deleted'
            : inB
              ? 'edited'
              : null
          : inA && inB && !same(kind, va, vb)
            ? 'differs'
            : null,
    })
  }
  return rows
}

/** What the row is, in a few words: "Lawn mowing for Smith Residence", "Jones HOA". */
export function rowTitle(c: Conflict, names: Record<string, string>): string {
  const values = { ...c.sides[1].values, ...c.sides[0].values }
  if (c.table === 'appointments') {
    const service = names[String(values.service_id)] ?? 'A job'
    const client = names[String(values.client_id)]
    return client ? `${service} for ${client}` : service
  }
  return typeof values.name === 'string' ? values.name : 'A record'
}

/** The client a side's appointment is for, by name. */
export const clientOf = (side: Side, names: Record<string, string>) =>
  names[String(side.values.client_id)] ?? 'this job'
