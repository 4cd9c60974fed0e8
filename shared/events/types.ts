import { z } from 'zod'
import { APPOINTMENT_STATUSES, SERVICE_PRIORITIES } from '../domain/enums'
import { MONEY_PATTERN } from '../domain/money'

/**
 * The domain events' data, one zod schema per versioned type. A type's schema never
 * changes once published: a change subscribers would notice is a new type (`...v2`)
 * registered beside the old one, and the server emits both until no subscriber reads
 * the old one. Data keys are camelCase; ids are the rows' UUIDs; instants ISO-8601 UTC;
 * money exact decimal strings.
 */
const id = z.uuid()
const instant = z.iso.datetime({ offset: true })
const status = z.enum(APPOINTMENT_STATUSES)

/** What every appointment event carries: enough to notify, or to check the weather. */
const appointment = {
  appointmentId: id,
  clientId: id,
  serviceId: id,
  teamMemberId: id.nullable(),
  scheduledAt: instant,
  durationMinutes: z.number().int().min(1),
  /** The status after the change. */
  status,
  /** The postcode or address the job is at, when the appointment has one. */
  location: z.string().nullable(),
}

/** The fields whose change moves a job in someone's day. */
export const BOOKING_KEYS = ['scheduledAt', 'durationMinutes', 'teamMemberId'] as const

export const appointmentCreatedV1 = z.strictObject({
  ...appointment,
  /** True when a deleted appointment came back (a deletion undone), not a new one. */
  restored: z.boolean(),
  /**
   * True when the appointment was booked before it reached the server: a laptop's data
   * arriving as it joins (or after a restore), not a booking made now.
   */
  uploaded: z.boolean().optional(),
})

export const appointmentRescheduledV1 = z.strictObject({
  ...appointment,
  /** The booking before the change; the appointment's own fields hold the new one. */
  previous: z.strictObject({
    scheduledAt: instant,
    durationMinutes: z.number().int().min(1),
    teamMemberId: id.nullable(),
  }),
  /** Which of the booking fields changed, in BOOKING_KEYS order. */
  changed: z.array(z.enum(BOOKING_KEYS)).min(1),
})

export const appointmentStatusChangedV1 = z.strictObject({
  ...appointment,
  previousStatus: status,
})

export const appointmentCancelledV1 = z.strictObject({
  ...appointment,
  previousStatus: status,
  /** `status`: its status became cancelled; `deleted`: the appointment was deleted. */
  reason: z.enum(['status', 'deleted']),
})

/**
 * The job was given to another client (a booking made for the wrong one, put right): the
 * appointment's own fields hold the client it has now.
 */
export const appointmentClientChangedV1 = z.strictObject({
  ...appointment,
  /** The client the job was booked for before the change. */
  previousClientId: id,
})

export const teamMemberAvailabilityChangedV1 = z.strictObject({
  teamMemberId: id,
  /** The member's name; absent on time-off events (the time-off row does not carry it). */
  name: z.string().optional(),
  /**
   * Whether the member can take work: now (flag, deletion), or within `from`-`to` (time
   * off: false when it is set or changed, true when it is removed).
   */
  isAvailable: z.boolean(),
  /**
   * `availability`: the flag flipped; `deleted` / `restored`: the member left or came
   * back; `time_off` / `time_off_removed`: a range of days off was set (or changed) or
   * removed.
   */
  reason: z.enum(['availability', 'deleted', 'restored', 'time_off', 'time_off_removed']),
  /** The time off's row and its days (both included; `to` null: until further notice). */
  timeOffId: id.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().nullable().optional(),
})

export const SERVICE_FIELDS = [
  'name',
  'description',
  'priority',
  'base_price',
  'duration_minutes',
  'is_active',
  'deleted_at',
] as const

export const serviceChangedV1 = z.strictObject({
  serviceId: id,
  change: z.enum(['created', 'updated', 'deleted', 'restored']),
  /** The catalog fields (protocol names) this change set; for a new service, every field it has. */
  changedFields: z.array(z.enum(SERVICE_FIELDS)).min(1),
  /** The service as it is after the change. */
  service: z.strictObject({
    name: z.string(),
    description: z.string(),
    priority: z.enum(SERVICE_PRIORITIES),
    basePrice: z.string().regex(MONEY_PATTERN),
    durationMinutes: z.number().int().min(1),
    isActive: z.boolean(),
    deletedAt: instant.nullable(),
  }),
})

export const WEATHER_RISKS = ['low', 'moderate', 'high', 'unknown'] as const

/**
 * A job's weather risk changed (the weather service's refresh). `reason` is in words:
 * "8 mm rain expected, limit 5 mm".
 */
export const weatherAlertUpdatedV1 = z.strictObject({
  appointmentId: id,
  clientId: id,
  scheduledAt: instant,
  risk: z.enum(WEATHER_RISKS),
  previousRisk: z.enum(WEATHER_RISKS),
  reason: z.string().max(500),
})

/** The registry: each event type and the schema of its data. */
export const EVENT_DATA = {
  'scheduling.appointment.created.v1': appointmentCreatedV1,
  'scheduling.appointment.rescheduled.v1': appointmentRescheduledV1,
  'scheduling.appointment.status_changed.v1': appointmentStatusChangedV1,
  'scheduling.appointment.cancelled.v1': appointmentCancelledV1,
  'scheduling.appointment.client_changed.v1': appointmentClientChangedV1,
  'user.team_member.availability.changed.v1': teamMemberAvailabilityChangedV1,
  'catalog.service.changed.v1': serviceChangedV1,
  'weather.alert.updated.v1': weatherAlertUpdatedV1,
} as const

export type EventType = keyof typeof EVENT_DATA
export type EventData<T extends EventType> = z.infer<(typeof EVENT_DATA)[T]>
export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[]

/** `scheduling.appointment.created.v1` and the like: dotted lowercase words, then a version. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z_]*(\.[a-z][a-z_]*)+\.v[1-9]\d*$/
for (const type of EVENT_TYPES) {
  if (!EVENT_TYPE_PATTERN.test(type)) throw new Error(`event type ${type} is not versioned`)
}

export const isEventType = (type: string): type is EventType => Object.hasOwn(EVENT_DATA, type)
