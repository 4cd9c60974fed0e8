import { z } from 'zod'
import {
  APPOINTMENT_ORDERINGS,
  appointment,
  MAX_LOCATION_LENGTH,
} from '../../shared/contract/appointments'
import { service } from '../../shared/contract/catalog'
import { client } from '../../shared/contract/clients'
import {
  DEFAULT_LIMIT,
  MAX_LIMIT,
  optionalText,
  search,
  storableText,
} from '../../shared/contract/common'
import { teamMember } from '../../shared/contract/team'
import { weatherRisk } from '../../shared/contract/weather'
import { APPOINTMENT_STATUSES } from '../../shared/domain/enums'
import { APPOINTMENT_SEARCH_DESCRIPTION } from '../../shared/domain/search-terms'
import { isoEndInstant, isoInstant, storedIsoInstant } from './instants'

/**
 * The original API's wire shapes (snake_case, DRF's page), built from the app's own
 * contract: each field here is the contract's schema for it under the original's name,
 * so a change to what a field may hold changes both. Where the original differs (its
 * names, `scheduled_date`, a comma list of orderings, statuses as a list) the shape is
 * extended here, never defined a second time. Shapes with an `id` are the OpenAPI
 * document's named components.
 */
const a = appointment.shape

/**
 * An id in a request: API callers are programs, told what the value must look like. A
 * UUID in capitals is the same id (RFC 9562): it is read in lower case, as stored.
 */
const uuid = z
  .uuid({
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be a UUID'),
  })
  .transform((v) => v.toLowerCase())

// ---------------------------------------------------------------------------- responses

/** One appointment as the list shows it: the original's fields, then ids and location. */
export const appointmentRow = z
  .object({
    id: a.id,
    scheduled_date: a.scheduledAt,
    status: a.status,
    notes: a.notes,
    created_at: a.createdAt,
    client_id: a.clientId,
    client_name: a.clientName,
    service_id: a.serviceId,
    service_name: a.serviceName,
    team_member_id: a.teamMemberId,
    duration_minutes: a.durationMinutes,
    location: a.location,
    /** As the last forecast refresh assessed it (`unknown`: not assessed, or no forecast). */
    weather_risk: weatherRisk,
    weather_reason: z.string(),
  })
  .meta({ id: 'AppointmentRow' })
export type AppointmentRow = z.infer<typeof appointmentRow>

/** One appointment on its own (GET one): the row and the rest of the job. */
export const appointmentDetail = appointmentRow
  .extend({
    price: a.price,
    team_member_name: a.teamMemberName,
    follow_up_of_id: a.followUpOfId,
    started_at: a.startedAt,
    completed_at: a.completedAt,
    updated_at: a.updatedAt,
  })
  .meta({ id: 'Appointment' })
export type AppointmentDetail = z.infer<typeof appointmentDetail>

/**
 * A booking made (201): the appointment, plus what the original's Part 2 create API
 * answered (`appointment_id`, `scheduled_at`, `correlation_id`), so its callers keep working.
 */
export const appointmentCreated = appointmentDetail
  .extend({
    appointment_id: a.id,
    scheduled_at: a.scheduledAt,
    correlation_id: z.string(),
  })
  .meta({ id: 'AppointmentCreated' })

const s = service.shape
export const serviceRow = z
  .object({
    id: s.id,
    name: s.name,
    description: s.description,
    priority: s.priority,
    base_price: s.basePrice,
    duration_minutes: s.durationMinutes,
    /** The original catalog's unit. */
    duration_hours: z.number(),
    is_active: s.isActive,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  })
  .meta({ id: 'Service' })
export type ServiceRow = z.infer<typeof serviceRow>

const c = client.shape
export const clientRow = z
  .object({
    id: c.id,
    name: c.name,
    email: c.email,
    phone: c.phone,
    address: c.address,
    postal_code: c.postalCode,
    latitude: c.latitude,
    longitude: c.longitude,
    notes: c.notes,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  })
  .meta({ id: 'Client' })
export type ClientRow = z.infer<typeof clientRow>

const t = teamMember.shape
export const teamMemberRow = z
  .object({
    id: t.id,
    name: t.name,
    email: t.email,
    phone: t.phone,
    color: t.color,
    is_available: t.isAvailable,
    /** The services this member can do (the original's `specialties`). */
    specialties: t.specialtyIds,
    /** Their own hours ("07:00-16:00") and days (0 = Sunday), null: the business's. */
    working_hours: t.workingHours,
    working_days: t.workingDays,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  })
  .meta({ id: 'TeamMember' })
export type TeamMemberRow = z.infer<typeof teamMemberRow>

/** DRF's LimitOffsetPagination page: `next` and `previous` are absolute links or null. */
export const page = <T extends z.ZodType>(row: T) =>
  z.object({
    count: z.number().int(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(row),
  })

/** 400: refused fields, each with its sentences. */
export const fieldErrorBody = z
  .object({ correlation_id: z.string() })
  .catchall(z.array(z.string()))
  .meta({ id: 'FieldErrors', description: 'Each refused field with what is wrong with it' })
/** Every other error. */
export const detailBody = z
  .object({ detail: z.string(), correlation_id: z.string() })
  .meta({ id: 'Detail' })

// ----------------------------------------------------------------------------- requests

/**
 * DRF's reading of a paging number (`_positive_int`): decimal digits, a `+` allowed, at
 * least `min`; anything else (empty, "abc", "-1", "0x10", a limit of 0) is not an error
 * but the default, as LimitOffsetPagination falls back. A parameter given twice counts
 * once, the last (index.ts keeps the last, as Django's QueryDict reads it).
 */
function pagingNumber(min: number, fallback: number, max: number, description: string) {
  return z
    .string()
    .meta({ type: 'integer', minimum: min, maximum: max, default: fallback })
    .optional()
    .describe(description)
    .transform((v) => {
      const n = v !== undefined && /^\s*\+?\d+\s*$/.test(v) ? Number(v) : Number.NaN
      return n >= min ? Math.min(n, max) : fallback
    })
}

/** `?limit=`: 20 unless a positive whole number, at most 100 (a larger one is cut to 100). */
const limit = pagingNumber(
  1,
  DEFAULT_LIMIT,
  MAX_LIMIT,
  `Rows per page: ${DEFAULT_LIMIT} when absent or not a positive whole number, at most ${MAX_LIMIT}`,
)
/** `?offset=`: 0 unless a whole number. (Past the last row, a page is empty.) */
const offset = pagingNumber(0, 0, Number.MAX_SAFE_INTEGER, 'Rows to skip')

/**
 * An enum's values as an OpenAPI document lists them, read off the zod enum that checks
 * them (so the document cannot list values the server refuses, or miss one it takes).
 */
const listed = (values: z.ZodEnum) => ({ type: 'string', enum: values.options })

/**
 * `?ordering=`: DRF's comma-separated fields, `-` for descending, from a whitelist; as
 * DRF's OrderingFilter does, a term off the list is dropped (not refused), and none left
 * means the default. `aliases` are the original's names for a field (`client__name`).
 * Documented as a list of the terms written with commas (OpenAPI's form style, not
 * exploded; `index.ts` moves `style` and `explode` onto the parameter).
 */
function orderingParam<const T extends readonly [string, ...string[]]>(
  terms: T,
  byDefault: readonly T[number][],
  aliases: Readonly<Record<string, string>> = {},
) {
  const names = [...new Set(terms.map((o) => o.replace(/^-/, '')))].join(', ')
  const known = new Set<string>(terms)
  const MAX_FIELDS = 4
  const termOf = (given: string): T[number] | null => {
    const desc = given.startsWith('-')
    const name = desc ? given.slice(1) : given
    const term = `${desc ? '-' : ''}${aliases[name] ?? name}`
    return known.has(term) ? (term as T[number]) : null
  }
  const written = [...terms, ...Object.keys(aliases).flatMap((a) => [a, `-${a}`])]
  return z
    .string()
    .meta({
      type: 'array',
      items: { type: 'string', enum: written },
      maxItems: MAX_FIELDS,
      style: 'form',
      explode: false,
    })
    .optional()
    .describe(
      `Comma-separated, a leading - for descending: ${names} (default ${byDefault.join(',')}); other fields are ignored`,
    )
    .transform((v): T[number][] => {
      const given = (v ?? '')
        .split(',')
        .map((t) => termOf(t.trim()))
        .filter((t): t is T[number] => t !== null)
      const kept = [...new Set(given)].slice(0, MAX_FIELDS)
      return kept.length ? kept : [...byDefault]
    })
}

/** Both directions of each field. */
const both = <const F extends readonly [string, ...string[]]>(fields: F) =>
  fields.flatMap((f) => [f, `-${f}`]) as [string, ...string[]]

/** What each list may be ordered by: columns of its table (directory-queries.ts). */
export const SERVICE_ORDERINGS = both([
  'name',
  'priority',
  'base_price',
  'duration_minutes',
  'created_at',
  'updated_at',
  'id',
])
export const CLIENT_ORDERINGS = both([
  'name',
  'email',
  'postal_code',
  'created_at',
  'updated_at',
  'id',
])
export const TEAM_ORDERINGS = both(['name', 'email', 'created_at', 'updated_at', 'id'])

/** Paging, an order and a name search: the lists of services, clients and team members. */
export const directoryQuery = (orderings: readonly [string, ...string[]]) =>
  z.object({
    limit,
    offset,
    ordering: orderingParam(orderings, ['name']),
    search: search.optional().describe('Every term (split at spaces and commas) in the name'),
  })
export type DirectoryQuery = z.output<ReturnType<typeof directoryQuery>>

/** What `ordering` accepts: the app's list orderings, and `id` (DRF's own tie-break). */
export const ORDERING_TERMS = [...APPOINTMENT_ORDERINGS, 'id', '-id'] as const
export type OrderingTerm = (typeof ORDERING_TERMS)[number]
export const DEFAULT_ORDERING: readonly OrderingTerm[] = ['-scheduled_date', '-id']
const ordering = orderingParam(ORDERING_TERMS, DEFAULT_ORDERING, {
  client__name: 'client_name',
  service__name: 'service_name',
  team_member__name: 'team_member_name',
  scheduled_at: 'scheduled_date',
})

/**
 * A status filter: `status=a&status=b`, `status=a,b`, or both; blank means any. The
 * document lists the statuses for one value and for a repeated one (the comma form is
 * in its description).
 */
const status = z.enum(APPOINTMENT_STATUSES, {
  error: `must be one or more of ${APPOINTMENT_STATUSES.join(', ')}`,
})
const MAX_STATUSES = 8
const statusFilter = z
  .union(
    [
      z.string().meta(listed(status)),
      z
        .array(z.string())
        .max(MAX_STATUSES, `must be given at most ${MAX_STATUSES} times`)
        .meta({ items: listed(status) }),
    ],
    { error: 'must be a status' },
  )
  .optional()
  .describe(`One or more of ${APPOINTMENT_STATUSES.join(', ')}: repeated, or comma-separated`)
  .transform((v) => [
    ...new Set(
      (Array.isArray(v) ? v : v === undefined ? [] : [v])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(z.array(status))

export const appointmentListQuery = z
  .object({
    limit,
    offset,
    ordering,
    search: search
      .optional()
      .describe(
        `Every term (split at spaces and commas; "quoted phrases" kept) in ${APPOINTMENT_SEARCH_DESCRIPTION}`,
      ),
    schedule_start_date: isoInstant.optional().describe('From this time on (ISO-8601)'),
    schedule_end_date: isoEndInstant
      .optional()
      .describe('Up to this time, inclusive (ISO-8601); a date alone takes in that whole day'),
    status: statusFilter,
  })
  .superRefine((q, ctx) => {
    if (
      q.schedule_start_date &&
      q.schedule_end_date &&
      Date.parse(q.schedule_start_date) > Date.parse(q.schedule_end_date)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['schedule_start_date'],
        message: 'must not be after schedule_end_date',
      })
    }
  })
export type AppointmentListQuery = z.output<typeof appointmentListQuery>

/** An id in the path: one that is not a UUID names no appointment (404, as DRF answers). */
export const idParams = z.object({ id: uuid })

/**
 * Booking (the original's Part 2 create rules): client, service, time and location are
 * required; notes at most 1,024 characters; a time without a zone is UTC. Fields the
 * original clients may send besides these are ignored, as DRF ignores them. Beyond the
 * original: a crew member, and a follow-up visit, which is at the place of the visit it
 * follows unless a location is given.
 */
export const appointmentCreateBody = z
  .object({
    client_id: uuid,
    service_id: uuid,
    scheduled_at: storedIsoInstant,
    location: storableText()
      .trim()
      .min(1, 'is required')
      .max(MAX_LOCATION_LENGTH, `is too long (${MAX_LOCATION_LENGTH} at most)`)
      .optional()
      .describe('A postcode or an address; required unless this is a follow-up visit'),
    notes: optionalText(1024).default(''),
    /** Who does the job; none when absent. */
    team_member_id: uuid.nullable().default(null),
    /** Makes this a follow-up visit of an earlier appointment (how a crew lead books). */
    follow_up_of_id: uuid.nullable().default(null),
  })
  .refine(
    (b: unknown) =>
      typeof b !== 'object' ||
      b === null ||
      ('location' in b && b.location !== undefined) ||
      ('follow_up_of_id' in b && typeof b.follow_up_of_id === 'string'),
    // Listed with the other missing fields, whatever else is wrong with the body.
    { path: ['location'], message: 'is required', when: () => true },
  )
export type AppointmentCreateBody = z.output<typeof appointmentCreateBody>
