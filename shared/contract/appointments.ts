import { z } from 'zod'
import { APPOINTMENT_STATUSES, SERVICE_PRIORITIES } from '../domain/enums'
import {
  DEFAULT_LIMIT,
  durationMinutes,
  id,
  idInput,
  instant,
  MAX_LIMIT,
  money,
  moneyOut,
  nullableText,
  optionalText,
  page,
  search,
  storedInstant,
  warning,
} from './common'
import { either } from './messages'

/** Refused as "must be scheduled, in progress, completed or cancelled" (messages.ts). */
export const appointmentStatus = z.enum(APPOINTMENT_STATUSES)

export const MAX_LOCATION_LENGTH = 500

/** One row as lists and forms show it: names come from the same single query. */
export const appointment = z.object({
  id,
  scheduledAt: instant,
  endsAt: instant,
  durationMinutes: z.number().int(),
  status: appointmentStatus,
  notes: z.string(),
  /** Where the job is done; null: at the client's address. */
  location: z.string().nullable(),
  price: moneyOut,
  clientId: id,
  clientName: z.string(),
  serviceId: id,
  serviceName: z.string(),
  priority: z.enum(SERVICE_PRIORITIES),
  teamMemberId: id.nullable(),
  teamMemberName: z.string().nullable(),
  teamMemberColor: z.string().nullable(),
  followUpOfId: id.nullable(),
  /** The series segment this visit belongs to (null: a one-off), and the day it stands for. */
  seriesId: id.nullable(),
  seriesOccurrence: z.string().nullable(),
  /** Edited on its own: later changes to the series leave it alone. */
  seriesException: z.boolean(),
  startedAt: instant.nullable(),
  completedAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
})
export type Appointment = z.infer<typeof appointment>

/** The whitelist of list orderings; `-` is descending. Ties are always broken by id. */
export const APPOINTMENT_ORDERINGS = [
  'scheduled_date',
  '-scheduled_date',
  'created_at',
  '-created_at',
  'status',
  '-status',
  'client_name',
  '-client_name',
  'service_name',
  '-service_name',
  'team_member_name',
  '-team_member_name',
  'priority',
  '-priority',
] as const
export type AppointmentOrdering = (typeof APPOINTMENT_ORDERINGS)[number]

export const appointmentListInput = z
  .strictObject({
    limit: z.number().int().min(1, 'must be at least 1').max(1_000_000).optional(),
    offset: z.number().int().min(0, 'must not be negative').max(10_000_000).default(0),
    ordering: z
      .enum(APPOINTMENT_ORDERINGS, { message: 'is not a column the list can be sorted by' })
      .default('-scheduled_date'),
    search: search.optional(),
    scheduledFrom: instant.optional(),
    scheduledTo: instant.optional(),
    status: z
      .union([appointmentStatus, z.array(appointmentStatus).min(1).max(4)], {
        error: `must be ${either(APPOINTMENT_STATUSES)}, or a list of them`,
      })
      .optional(),
    clientId: id.optional(),
    serviceId: id.optional(),
    teamMemberId: id.optional(),
    /** Only upcoming jobs (the next 7 days) whose weather risk is moderate or high. */
    atRisk: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    if (
      v.scheduledFrom &&
      v.scheduledTo &&
      Date.parse(v.scheduledFrom) > Date.parse(v.scheduledTo)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['scheduledFrom'],
        message: 'must not be after the end of the range',
      })
    }
  })
  // The original API's rule: no limit means 20, and a page holds at most 100 rows.
  .transform((v) => ({ ...v, limit: Math.min(v.limit ?? DEFAULT_LIMIT, MAX_LIMIT) }))
export type AppointmentListInput = z.output<typeof appointmentListInput>

/**
 * A postcode or an address, when the job is not at the client's address: trimmed, at
 * most 500 characters, empty means none (null). The database and the sync protocol
 * refuse a blank one, so what passes here is stored as given.
 */
const location = nullableText(MAX_LOCATION_LENGTH)

/** Set true to book despite a double booking of the team member. */
const acceptConflict = z.boolean().default(false)

const mutationOutput = z.object({ appointment, warnings: z.array(warning) })

/**
 * For the Undo of a move or a status change, which puts back what the visit was: given,
 * a visit of a series takes this back as its exception flag instead of becoming (or
 * staying) one; ignored outside a series. Office staff only, as restoring a deleted visit
 * is: whether the series may rewrite a visit is the office's to say. A crew lead who
 * sends it is refused (FORBIDDEN), even `true`, and nothing is written.
 */
const undoSeriesException = z.boolean().optional()

/**
 * A change a person may Undo. `seriesExceptionBefore`: whether the visit was a series
 * exception just before this change (false outside a series), for the Undo to hand back
 * as `seriesException`; `appointment.seriesException` is what it is now.
 */
const undoableOutput = mutationOutput.extend({ seriesExceptionBefore: z.boolean() })

export const appointmentsContract = {
  'appointments.list': { input: appointmentListInput, output: page(appointment) },
  'appointments.get': { input: idInput, output: appointment },
  'appointments.create': {
    input: z.strictObject({
      clientId: id,
      serviceId: id,
      teamMemberId: id.nullable().default(null),
      scheduledAt: storedInstant,
      /** Defaults to the service's duration. */
      durationMinutes: durationMinutes.optional(),
      notes: optionalText(10_000).default(''),
      location: location.default(null),
      /** Defaults to the service's base price. */
      price: money.optional(),
      /** Makes this a follow-up visit of an earlier appointment. */
      followUpOfId: id.optional(),
      acceptConflict,
    }),
    output: mutationOutput,
  },
  'appointments.update': {
    input: z.strictObject({
      id,
      clientId: id.optional(),
      serviceId: id.optional(),
      teamMemberId: id.nullable().optional(),
      scheduledAt: storedInstant.optional(),
      durationMinutes: durationMinutes.optional(),
      notes: optionalText(10_000).optional(),
      /** null (or only spaces) puts the job back at the client's address. */
      location: location.optional(),
      price: money.optional(),
      acceptConflict,
    }),
    output: mutationOutput,
  },
  /** Moving a job on the calendar: a new start, and optionally a new length or crew member. */
  'appointments.reschedule': {
    input: z.strictObject({
      id,
      scheduledAt: storedInstant,
      durationMinutes: durationMinutes.optional(),
      teamMemberId: id.nullable().optional(),
      acceptConflict,
      seriesException: undoSeriesException,
    }),
    output: undoableOutput,
  },
  /**
   * A cancelled job put back (Reopen, the Undo of Cancel) is refused with CONFLICT when
   * its crew member has been booked in its time since, unless `acceptConflict`.
   */
  'appointments.setStatus': {
    input: z.strictObject({
      id,
      status: appointmentStatus,
      acceptConflict,
      seriesException: undoSeriesException,
    }),
    output: undoableOutput,
  },
  'appointments.delete': {
    input: idInput,
    /** `seriesException`: whether the visit was one before (false outside a series), for the Undo. */
    output: z.object({ id, seriesException: z.boolean() }),
  },
  /**
   * Brings a deleted appointment back (the Undo of a deletion); one not deleted stays as
   * it is. Refused with CONFLICT when its crew member has been booked in its time since,
   * unless `acceptConflict`. A visit of a series comes back an exception (the series
   * leaves it be), unless the Undo hands back `seriesException` as the delete reported it.
   */
  'appointments.restore': {
    input: z.strictObject({
      id,
      acceptConflict: z.boolean().default(false),
      seriesException: z.boolean().optional(),
    }),
    output: z.object({ id }),
  },
} as const

/**
 * What the calendar draws: the fields of an appointment a tile and its filters need
 * (its end is scheduledAt + durationMinutes).
 */
export const calendarEvent = z.object({
  id,
  scheduledAt: instant,
  durationMinutes: z.number().int(),
  status: appointmentStatus,
  clientId: id,
  clientName: z.string(),
  serviceId: id,
  serviceName: z.string(),
  priority: z.enum(SERVICE_PRIORITIES),
  teamMemberId: id.nullable(),
  /** The recurring series the visit belongs to, if any (its tile carries a repeat mark). */
  seriesId: id.nullable(),
})
export type CalendarEvent = z.infer<typeof calendarEvent>

export const MAX_CALENDAR_DAYS = 62
export const MAX_CALENDAR_EVENTS = 20_000

export const calendarContract = {
  /** Every appointment overlapping [from, to), for the calendar. */
  'calendar.range': {
    input: z
      .strictObject({
        // Instants jobs can be at: a calendar beyond them would only fail further in.
        from: storedInstant,
        to: storedInstant,
        teamMemberIds: z.array(id).max(500).optional(),
        statuses: z.array(appointmentStatus).max(4).optional(),
        serviceIds: z.array(id).max(500).optional(),
      })
      .superRefine((v, ctx) => {
        const span = Date.parse(v.to) - Date.parse(v.from)
        if (span <= 0)
          ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' })
        if (span > MAX_CALENDAR_DAYS * 86_400_000) {
          ctx.addIssue({
            code: 'custom',
            path: ['to'],
            message: `the range must not exceed ${MAX_CALENDAR_DAYS} days`,
          })
        }
      }),
    output: z.object({ events: z.array(calendarEvent), truncated: z.boolean() }),
  },
} as const
