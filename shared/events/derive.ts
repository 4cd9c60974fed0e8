import { DEFAULT_SERVICE_PRIORITY } from '../domain/enums'
import { normalizeMoney, toCents } from '../domain/money'
import { INSTANT_FIELDS, MONEY_FIELDS } from '../sync/columns'
import type { FieldValue } from '../sync/merge'
import type { SyncedTable } from '../sync/protocol'
import {
  BOOKING_KEYS,
  type EventData,
  type EventType,
  SERVICE_FIELDS,
  type serviceChangedV1,
} from './types'

/**
 * Which domain events one merged row change yields: a pure rule, so the server's push,
 * its REST API and any other writer derive the same events from the same change.
 *
 * A change is a row's values before a transaction (null: the transaction created it)
 * and after it: the net effect of everything the transaction merged into that row, so
 * a job created and moved by one push yields one `created`, not two events. Values are
 * compared by meaning: instants by the moment they name (`...00Z` = `...00.000Z`),
 * money by amount (`5.5` = `5.50`), a missing field as null. A change that changes
 * nothing yields nothing.
 *
 * Appointments ("live" = not deleted; "going ahead" = live and not cancelled):
 * - `created.v1`: a live row that was new, or deleted before (then `restored: true`),
 *   whatever its status; `uploaded: true` when it was new from a device's upload (a
 *   laptop's existing data, booked before it reached the server). Nothing else for that row in that transaction. A row new and
 *   already deleted yields nothing.
 * - `cancelled.v1`: the row stops going ahead, either because its status became
 *   `cancelled` (reason `status`), or because it was deleted while not cancelled
 *   (reason `deleted`; whatever else changed with the deletion yields nothing more).
 *   Deleting an already cancelled job yields nothing: subscribers were told already.
 * - `status_changed.v1`: a live row's status changed, any transition. A cancellation
 *   yields BOTH `status_changed.v1` and then `cancelled.v1`: the first is the complete
 *   status history for integrations, the second the one event a subscriber that only
 *   cares about cancellations (notices, reassignments) has to follow.
 * - `rescheduled.v1`: on a live row that is not cancelled after the change, any of
 *   scheduled_at, duration_minutes or team_member_id changed. Moving a cancelled job
 *   tells no one. It comes after `status_changed.v1` when both happen (a job reopened
 *   and moved).
 * - `client_changed.v1`: on a live row that is not cancelled after the change, client_id
 *   changed (a booking made for the wrong client, put right), with `previousClientId`.
 *   The new client has been told nothing, so the notifications must hear of it; giving a
 *   cancelled job to someone else tells no one. It comes last, after `status_changed.v1`
 *   and `rescheduled.v1` when they happen too: an event that was first before stays
 *   first.
 * - Any other field (notes, price, service, location, ...) yields nothing.
 *
 * Team members ("can work" = live and is_available is not false):
 * - `availability.changed.v1` when "can work" flips on an existing row: the flag
 *   flipped (reason `availability`), the member was deleted (`deleted`) or restored
 *   (`restored`). A new member yields nothing; a member already unavailable who is
 *   deleted yields nothing.
 *
 * Time off (a range of days a member is out):
 * - `availability.changed.v1` with reason `time_off` when a live range is set or its
 *   member or days change (isAvailable false), and `time_off_removed` when a live range
 *   is deleted (isAvailable true). Its reason text changing yields nothing.
 *
 * Services:
 * - `service.changed.v1` when any catalog field changes: `created` (a new live row;
 *   its changed fields are all it has, column defaults included), `deleted`, `restored`,
 *   or `updated`, listing the fields that changed. Changes to a deleted service (and a
 *   service new and already deleted) yield nothing.
 *
 * Other tables yield no events.
 */
export type Values = Record<string, FieldValue>

export interface RowChange {
  table: SyncedTable
  rowId: string
  before: Values | null
  after: Values
  /** The row arrived from a device's upload: booked before, not now (`created.v1`). */
  uploaded?: boolean
}

export type DerivedEvent = {
  [T in EventType]: { type: T; subject: string; data: EventData<T> }
}[EventType]

/**
 * The domain tables' column defaults (drizzle/schema/tables.ts) for the fields events
 * read: a row created without them holds the default, and a change that writes the
 * default explicitly changes nothing. A server test checks them against the database.
 */
export const EVENT_FIELD_DEFAULTS = {
  appointments: { status: 'scheduled' },
  services: { description: '', priority: DEFAULT_SERVICE_PRIORITY, is_active: true },
  team_members: { is_available: true },
} as const satisfies Partial<Record<SyncedTable, Values>>

export function eventsFor(input: RowChange): DerivedEvent[] {
  const defaults: Values =
    (EVENT_FIELD_DEFAULTS as Partial<Record<SyncedTable, Values>>)[input.table] ?? {}
  const change = {
    ...input,
    before: input.before && { ...defaults, ...defined(input.before) },
    after: { ...defaults, ...defined(input.after) },
  }
  switch (change.table) {
    case 'appointments':
      return appointmentEvents(change)
    case 'team_members':
      return teamMemberEvents(change)
    case 'services':
      return serviceEvents(change)
    case 'time_off':
      return timeOffEvents(change)
    default:
      return []
  }
}

const defined = (v: Values) =>
  Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as Values
const get = (v: Values, field: string): FieldValue => v[field] ?? null
const isLive = (v: Values) => get(v, 'deleted_at') === null

/** Whether two values of a field mean the same. */
export function sameValue(field: string, a: FieldValue | undefined, b: FieldValue | undefined) {
  const x = a ?? null
  const y = b ?? null
  if (x === y) return true
  if (typeof x !== 'string' || typeof y !== 'string') return false
  if (INSTANT_FIELDS.has(field)) {
    const [mx, my] = [Date.parse(x), Date.parse(y)]
    return !Number.isNaN(mx) && mx === my
  }
  if (MONEY_FIELDS.has(field)) {
    try {
      return toCents(x) === toCents(y)
    } catch {
      return false
    }
  }
  return false
}

const changedIn = (before: Values, after: Values, field: string) =>
  !sameValue(field, before[field], after[field])

const str = (v: FieldValue) => (typeof v === 'string' ? v : null)
/** Instants as one canonical text, so subscribers compare strings safely. */
const iso = (v: FieldValue) => {
  const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN
  return Number.isNaN(ms) ? (v as string) : new Date(ms).toISOString()
}

const money = (v: FieldValue) => {
  try {
    return normalizeMoney(v as string)
  } catch {
    return v as string
  }
}

const subjectOf = (table: string, rowId: string) => `${table}/${rowId}`

function booking(v: Values) {
  return {
    scheduledAt: iso(get(v, 'scheduled_at')),
    durationMinutes: get(v, 'duration_minutes') as number,
    teamMemberId: str(get(v, 'team_member_id')),
  }
}

function appointmentOf(rowId: string, v: Values) {
  return {
    appointmentId: rowId,
    clientId: get(v, 'client_id') as string,
    serviceId: get(v, 'service_id') as string,
    ...booking(v),
    status: get(v, 'status') as EventData<'scheduling.appointment.created.v1'>['status'],
    location: str(get(v, 'location')),
  }
}

const BOOKING_FIELDS = {
  scheduledAt: 'scheduled_at',
  durationMinutes: 'duration_minutes',
  teamMemberId: 'team_member_id',
} as const satisfies Record<(typeof BOOKING_KEYS)[number], string>

function appointmentEvents({ rowId, before, after, uploaded }: RowChange): DerivedEvent[] {
  const subject = subjectOf('appointments', rowId)
  const now = appointmentOf(rowId, after)
  if (!isLive(after)) {
    if (!before || !isLive(before) || get(before, 'status') === 'cancelled') return []
    return [
      {
        type: 'scheduling.appointment.cancelled.v1',
        subject,
        data: { ...now, previousStatus: appointmentOf(rowId, before).status, reason: 'deleted' },
      },
    ]
  }
  if (!before || !isLive(before)) {
    return [
      {
        type: 'scheduling.appointment.created.v1',
        subject,
        data: { ...now, restored: before !== null, ...(uploaded ? { uploaded: true } : {}) },
      },
    ]
  }
  const events: DerivedEvent[] = []
  const previousStatus = appointmentOf(rowId, before).status
  if (changedIn(before, after, 'status')) {
    events.push({
      type: 'scheduling.appointment.status_changed.v1',
      subject,
      data: { ...now, previousStatus },
    })
    if (now.status === 'cancelled')
      events.push({
        type: 'scheduling.appointment.cancelled.v1',
        subject,
        data: { ...now, previousStatus, reason: 'status' },
      })
  }
  const moved = BOOKING_KEYS.filter((k) => changedIn(before, after, BOOKING_FIELDS[k]))
  if (moved.length && now.status !== 'cancelled') {
    events.push({
      type: 'scheduling.appointment.rescheduled.v1',
      subject,
      data: { ...now, previous: booking(before), changed: moved },
    })
  }
  if (changedIn(before, after, 'client_id') && now.status !== 'cancelled') {
    events.push({
      type: 'scheduling.appointment.client_changed.v1',
      subject,
      data: { ...now, previousClientId: get(before, 'client_id') as string },
    })
  }
  return events
}

const canWork = (v: Values | null) => v !== null && isLive(v) && get(v, 'is_available') !== false

function teamMemberEvents({ rowId, before, after }: RowChange): DerivedEvent[] {
  if (before === null || canWork(before) === canWork(after)) return []
  const reason =
    isLive(before) && !isLive(after)
      ? 'deleted'
      : !isLive(before) && isLive(after)
        ? 'restored'
        : 'availability'
  return [
    {
      type: 'user.team_member.availability.changed.v1',
      subject: subjectOf('team_members', rowId),
      data: {
        teamMemberId: rowId,
        name: str(get(after, 'name')) ?? '',
        isAvailable: canWork(after),
        reason,
      },
    },
  ]
}

function timeOffEvents({ rowId, before, after }: RowChange): DerivedEvent[] {
  const wasLive = before !== null && isLive(before)
  if (!wasLive && !isLive(after)) return []
  const range = (v: Values) => ({
    teamMemberId: str(get(v, 'team_member_id')) ?? '',
    timeOffId: rowId,
    from: str(get(v, 'starts_on')) ?? '',
    to: str(get(v, 'ends_on')),
  })
  const subject = subjectOf('team_members', range(after).teamMemberId)
  if (wasLive && !isLive(after))
    return [
      {
        type: 'user.team_member.availability.changed.v1',
        subject,
        data: { ...range(before), isAvailable: true, reason: 'time_off_removed' },
      },
    ]
  const moved =
    !wasLive || ['team_member_id', 'starts_on', 'ends_on'].some((f) => changedIn(before, after, f))
  if (!moved) return []
  return [
    {
      type: 'user.team_member.availability.changed.v1',
      subject,
      data: { ...range(after), isAvailable: false, reason: 'time_off' },
    },
  ]
}

type ServiceChange = (typeof serviceChangedV1)['_zod']['output']['change']

function serviceEvents({ rowId, before, after }: RowChange): DerivedEvent[] {
  const wasLive = before !== null && isLive(before)
  if (!wasLive && !isLive(after)) return []
  const changedFields = SERVICE_FIELDS.filter((f) =>
    before ? changedIn(before, after, f) : get(after, f) !== null,
  )
  if (!changedFields.length) return []
  const change: ServiceChange =
    before === null ? 'created' : !isLive(after) ? 'deleted' : !wasLive ? 'restored' : 'updated'
  const deletedAt = get(after, 'deleted_at')
  return [
    {
      type: 'catalog.service.changed.v1',
      subject: subjectOf('services', rowId),
      data: {
        serviceId: rowId,
        change,
        changedFields,
        service: {
          name: get(after, 'name') as string,
          description: str(get(after, 'description')) ?? '',
          priority: get(after, 'priority') as 'LOW' | 'MEDIUM' | 'HIGH',
          basePrice: money(get(after, 'base_price')),
          durationMinutes: get(after, 'duration_minutes') as number,
          isActive: get(after, 'is_active') !== false,
          deletedAt: deletedAt === null ? null : iso(deletedAt),
        },
      },
    },
  ]
}
