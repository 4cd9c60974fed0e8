import { z } from 'zod'
import { APPOINTMENT_STATUSES, SERVICE_PRIORITIES } from '../domain/enums'
import { MONEY_PATTERN } from '../domain/money'
import { inStoredYears, isValidTimeZone, STORED_YEARS_MESSAGE } from '../domain/time'
import { LONE_SURROGATE } from '../domain/words'
import { CHANNELS, NOTIFICATION_KINDS, NOTIFICATION_STATUSES } from '../notifications/kinds'
import { isOverrides } from '../notifications/preferences'
import { MAX_BODY_LENGTH, MAX_SUBJECT_LENGTH } from '../notifications/templates'
import { parseHours } from '../notifications/timing'
import { isLimitsText } from '../weather/limits'
import { PLACE_PATTERN } from '../weather/place'
import { SERVICE_KINDS } from '../weather/risk'
import { UNIT_SYSTEMS } from '../weather/units'
import { HLC_PATTERN } from './hlc'
import { clockOf, DERIVED_MARK } from './merge'

/**
 * The sync wire protocol, shared by the laptops and the server. A mutation writes some
 * fields of one row at one clock value; the server merges it per field (merge.ts) and
 * hands every change out again, in order, to whoever pulls after it.
 *
 * Version 2: field versions may carry the series' mark (merge.ts). A laptop speaking 1
 * would neither read nor write them, so the server refuses it (with what to do) instead
 * of syncing half-right.
 */
export const PROTOCOL_VERSION = 2
export const protocolField = z.literal(PROTOCOL_VERSION)
export const MAX_PUSH_MUTATIONS = 500
export const MAX_PULL_CHANGES = 1000

// The database stores no NUL character: refused here, named, not by a failed insert.
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !v.includes('\u0000'), 'must not hold a NUL character')
    .refine((v) => !LONE_SURROGATE.test(v), 'must not hold a broken character (half of a pair)')
const nullableText = (max: number) => text(max).nullable()
/** Stored instants and days: ISO text in the years the app stores (time.ts). */
const at = z.iso.datetime({ offset: true, abort: true }).refine(inStoredYears, STORED_YEARS_MESSAGE)
const instant = at.nullable()
/**
 * Ids as laptops and PostgreSQL write them: a UUID in lower case. The same id in capitals
 * would be compared as another row (or another mutation) and slip past every check.
 */
export const wireId = z.uuid().refine((v) => v === v.toLowerCase(), 'must be a UUID in lower case')
const uuid = wireId
const day = z.iso.date({ abort: true }).refine(inStoredYears, STORED_YEARS_MESSAGE)
const money = z.string().regex(MONEY_PATTERN)
const workingHours = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/)
  .nullable()
const workingDays = z
  .string()
  .regex(/^([0-6](,[0-6]){0,6})?$/)
  .refine((d) => new Set(d.split(',')).size === d.split(',').length, 'must not repeat a day')
  .nullable()

/** The fields each synced table accepts, by column name, and what each may hold. */
export const SYNCED_FIELDS = {
  clients: {
    name: text(200).min(1),
    email: nullableText(254),
    phone: nullableText(40),
    address: nullableText(500),
    postal_code: nullableText(20),
    latitude: z.number().min(-90).max(90).nullable(),
    longitude: z.number().min(-180).max(180).nullable(),
    notes: text(10_000),
    notify_email: z.boolean(),
    notify_sms: z.boolean(),
    notify_off: text(500).refine(isOverrides, 'must list kind:channel pairs'),
    locale: z.string().regex(/^[a-z]{2}$/),
    deleted_at: instant,
  },
  services: {
    name: text(200).min(1),
    description: text(5000),
    priority: z.enum(SERVICE_PRIORITIES),
    base_price: money,
    duration_minutes: z.number().int().min(1).max(1440),
    is_active: z.boolean(),
    weather_kind: z.enum(SERVICE_KINDS).nullable(),
    weather_limits: text(500).refine(isLimitsText, 'must be weather limits').nullable(),
    deleted_at: instant,
  },
  products: {
    name: text(200).min(1),
    description: text(5000),
    unit: text(40).min(1),
    unit_price: money,
    is_active: z.boolean(),
    deleted_at: instant,
  },
  team_members: {
    name: text(200).min(1),
    email: nullableText(254),
    phone: nullableText(40),
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    is_available: z.boolean(),
    working_hours: workingHours,
    working_days: workingDays,
    deleted_at: instant,
  },
  appointments: {
    client_id: uuid,
    service_id: uuid,
    team_member_id: uuid.nullable(),
    scheduled_at: at,
    duration_minutes: z.number().int().min(1).max(1440),
    status: z.enum(APPOINTMENT_STATUSES),
    notes: text(10_000),
    location: text(500).regex(/\S/).nullable(),
    price: money,
    follow_up_of_id: uuid.nullable(),
    started_at: instant,
    completed_at: instant,
    series_id: uuid.nullable(),
    series_occurrence: day.nullable(),
    series_exception: z.boolean(),
    deleted_at: instant,
  },
  series: {
    root_id: uuid,
    client_id: uuid,
    service_id: uuid,
    team_member_id: uuid.nullable(),
    rule: z
      .string()
      .regex(/^FREQ=/)
      .max(300),
    starts_on: day,
    ends_on: day.nullable(),
    start_time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    duration_minutes: z.number().int().min(1).max(1440),
    price: money,
    notes: text(10_000),
    location: text(500).regex(/\S/).nullable(),
    deleted_at: instant,
  },
  team_member_specialties: {
    team_member_id: uuid,
    service_id: uuid,
    deleted_at: instant,
  },
  business_settings: {
    time_zone: z.string().max(64).refine(isValidTimeZone).nullable(),
    working_hours: workingHours,
    working_days: workingDays,
    business_name: nullableText(200),
    business_phone: nullableText(40),
    reminder_lead_minutes: z.number().int().min(0).max(10_080).nullable(),
    sending_hours: z
      .string()
      .refine((h) => parseHours(h) !== null, 'must be hours such as 08:00-20:00')
      .nullable(),
    units: z.enum(UNIT_SYSTEMS).nullable(),
    deleted_at: instant,
  },
  appointment_products: {
    appointment_id: uuid,
    product_id: uuid,
    quantity: money.refine((q) => Number(q) > 0),
    unit_price: money,
    deleted_at: instant,
  },
  notification_templates: {
    kind: z.enum(NOTIFICATION_KINDS),
    channel: z.enum(CHANNELS),
    locale: z.string().regex(/^[a-z]{2}$/),
    version: z.number().int().min(1),
    subject: text(MAX_SUBJECT_LENGTH),
    body: text(MAX_BODY_LENGTH).min(1),
    deleted_at: instant,
  },
  notifications: {
    kind: z.enum(NOTIFICATION_KINDS),
    channel: z.enum(CHANNELS),
    client_id: uuid,
    appointment_id: uuid.nullable(),
    recipient: nullableText(254),
    visit_at: instant,
    previous_visit_at: instant,
    due_at: at,
    status: z.enum(NOTIFICATION_STATUSES),
    attempts: z.number().int().min(0).max(100),
    provider_id: nullableText(500),
    reason: nullableText(2000),
    detail: nullableText(1000),
    subject: nullableText(MAX_SUBJECT_LENGTH),
    body: nullableText(MAX_BODY_LENGTH),
    template_version: z.number().int().min(0).nullable(),
    sent_at: instant,
    deleted_at: instant,
  },
  time_off: {
    team_member_id: uuid,
    starts_on: day,
    ends_on: day.nullable(),
    reason: text(200),
    deleted_at: instant,
  },
  weather_forecasts: {
    place: z.string().regex(PLACE_PATTERN),
    day,
    precipitation_mm: z.number().min(0).max(2000).nullable(),
    precipitation_probability: z.number().min(0).max(100).nullable(),
    wind_kmh: z.number().min(0).max(500).nullable(),
    gust_kmh: z.number().min(0).max(500).nullable(),
    temp_min_c: z.number().min(-100).max(100).nullable(),
    temp_max_c: z.number().min(-100).max(100).nullable(),
    weather_code: z.number().int().min(0).max(99).nullable(),
    fetched_at: at,
    deleted_at: instant,
  },
  geocodes: {
    query: text(500).min(1),
    latitude: z.number().min(-90).max(90).nullable(),
    longitude: z.number().min(-180).max(180).nullable(),
    label: nullableText(500),
    looked_up_at: at,
    deleted_at: instant,
  },
} as const

export type SyncedTable = keyof typeof SYNCED_FIELDS
export const SYNCED_TABLES = Object.keys(SYNCED_FIELDS) as SyncedTable[]

const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()])
const hlcValue = z.string().regex(new RegExp(`^${HLC_PATTERN}$`))
/** A field's version: a clock value, marked when the app derived the write (merge.ts). */
const versionValue = z.string().regex(new RegExp(`^${DERIVED_MARK}?${HLC_PATTERN}$`))
/**
 * A record of fields keyed by name. zod drops a `__proto__` key without a word (a parsed
 * record cannot hold it); here it is refused instead, so a write never loses a field
 * silently. Other unknown names reach `checkFields` and are refused per mutation.
 */
const fieldRecord = <T extends z.ZodType>(value: T) =>
  z
    .unknown()
    .refine(
      (v) => typeof v !== 'object' || v === null || !Object.hasOwn(v, '__proto__'),
      'has a field named __proto__',
    )
    .pipe(z.record(z.string().max(64), value))

export const mutation = z
  .strictObject({
    /** Unique per mutation: a retried push applies it once. */
    id: uuid,
    table: z.enum(SYNCED_TABLES as [SyncedTable, ...SyncedTable[]]),
    rowId: uuid,
    hlc: hlcValue,
    fields: fieldRecord(fieldValue).refine((f) => Object.keys(f).length > 0, 'writes no field'),
    /**
     * The field versions the device had for this row when it wrote: what it had seen.
     * A server version newer than the base is a write the device did not know about,
     * which is how an edit made without seeing a deletion (or the reverse) is detected.
     */
    base: fieldRecord(versionValue).optional(),
    /**
     * Appointments this write knowingly overlaps: the user saw the double booking and
     * kept it. The server does not report those pairs as conflicts.
     */
    accepted: z.array(uuid).max(100).optional(),
    /**
     * Each field's own version, where it is not simply `hlc`: a row sent again whole to a
     * server that may not have it (a laptop joining another server), so the merge there
     * is the merge it had here; or a write the app derived from a series, its versions
     * marked (merge.ts). Every field carries one, none newer than `hlc`.
     */
    versions: fieldRecord(versionValue).optional(),
    /**
     * A row the device held before sending it to this server (its data uploaded on
     * joining, or sent again after a restore): if the server has no such row, it is
     * taken as the row it was, not as a booking made now. Its domain event says so
     * (`created.v1`'s `uploaded`), and no confirmation goes to the client.
     */
    uploaded: z.literal(true).optional(),
  })
  .superRefine((m, ctx) => {
    if (!m.versions) return
    const fields = Object.keys(m.fields)
    const versions = m.versions
    const wrong =
      Object.keys(versions).length !== fields.length ||
      fields.some((f) => !Object.hasOwn(versions, f) || clockOf(versions[f] as string) > m.hlc)
    if (wrong)
      ctx.addIssue({
        code: 'custom',
        path: ['versions'],
        message: 'must give each field written a version no newer than hlc',
      })
  })
export type Mutation = z.infer<typeof mutation>

export const pushRequest = z.strictObject({
  protocol: protocolField,
  mutations: z.array(mutation).min(1).max(MAX_PUSH_MUTATIONS),
})

export const pushResult = z.object({
  id: uuid,
  status: z.enum(['applied', 'duplicate', 'rejected']),
  reason: z.string().optional(),
  /**
   * For a write the rules refuse: the server's copy of the fields it wrote, with their
   * versions (null: the server has no such row), so that the laptop shows again what the
   * business's record holds instead of a change that will never reach it. Absent where
   * the refusal says nothing of the change itself (the database failed, the device's
   * clock is wrong): the laptop then keeps what it has.
   */
  current: z
    .object({
      values: z.record(z.string(), fieldValue),
      versions: z.record(z.string(), z.string()),
    })
    .nullable()
    .optional(),
})

export const pullRequest = z.strictObject({
  protocol: protocolField,
  /** The last sequence number this device has seen (0 at first). */
  cursor: z.number().int().min(0),
  limit: z.number().int().min(1).max(MAX_PULL_CHANGES).default(500),
})

/** The longest a laptop's request for news waits for a change (GET /v1/sync/changes). */
export const MAX_CHANGES_WAIT_SECONDS = 25

/**
 * GET /v1/sync/changes?after=CURSOR&wait=SECONDS: answered as soon as the server holds
 * a change beyond the cursor, or after `wait` seconds, with the last change number
 * (`changesReply`). A laptop holds one open while idle, and pulls when it is beyond.
 */
export const changesQuery = z.strictObject({
  after: z.coerce.number().int().min(0),
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_CHANGES_WAIT_SECONDS)
    .default(MAX_CHANGES_WAIT_SECONDS),
})
export const changesReply = z.object({ latest: z.number().int().min(0) })

export const change = z.object({
  seq: z.number().int(),
  table: z.enum(SYNCED_TABLES as [SyncedTable, ...SyncedTable[]]),
  rowId: uuid,
  values: z.record(z.string(), fieldValue),
  versions: z.record(z.string(), z.string()),
})

/** A column or table name as words: `base_price` -> "base price". */
const words = (name: string) => name.replaceAll('_', ' ')

/**
 * Checks a mutation's fields against its table: unknown fields and bad values are refused.
 * Field names come from the wire, so only the table's own fields count: `constructor`,
 * `toString` or `__proto__` must not find what every object inherits.
 */
export function checkFields(table: SyncedTable, fields: Record<string, unknown>): string | null {
  const spec = SYNCED_FIELDS[table] as Record<string, z.ZodType>
  for (const [name, value] of Object.entries(fields)) {
    const schema = Object.hasOwn(spec, name) ? spec[name] : undefined
    if (!schema) return `${words(table)} have no field “${name.slice(0, 64)}” on the server`
    const parsed = schema.safeParse(value)
    if (!parsed.success) {
      // The app's own words, where a rule gives some ("must be in the years ...").
      const why = parsed.error.issues.find((i) => i.message.startsWith('must '))?.message
      return `the ${words(name)} of one of the ${words(table)} is not valid${why ? `: it ${why}` : ''}`
    }
  }
  return null
}

/** Business conflicts that offline writes can create, as the server lists them. */
export const CONFLICT_KINDS = ['edit_and_delete', 'double_booking'] as const
export type ConflictKind = (typeof CONFLICT_KINDS)[number]

/** How an office manager settles each kind (the data change itself is an ordinary push). */
export const RESOLUTIONS = {
  edit_and_delete: ['keep_deleted', 'restore'],
  double_booking: ['keep_both', 'unassign_first', 'unassign_second'],
} as const satisfies Record<ConflictKind, readonly string[]>
export const ALL_RESOLUTIONS = [
  ...RESOLUTIONS.edit_and_delete,
  ...RESOLUTIONS.double_booking,
] as const
export type Resolution = (typeof ALL_RESOLUTIONS)[number]

/** One side of a conflict: a version of a row, who wrote it and when. */
export const conflictSide = z.object({
  rowId: uuid,
  /** The device's label and its user's name; null when the writer is unknown. */
  by: z.object({ device: z.string(), user: z.string() }).nullable(),
  at: z.iso.datetime({ offset: true }).nullable(),
  values: z.record(z.string(), fieldValue),
})

export const conflict = z.object({
  id: uuid,
  kind: z.enum(CONFLICT_KINDS),
  table: z.enum(SYNCED_TABLES as [SyncedTable, ...SyncedTable[]]),
  rowId: uuid,
  detectedAt: z.iso.datetime({ offset: true }),
  resolvedAt: z.iso.datetime({ offset: true }).nullable(),
  resolution: z.enum(ALL_RESOLUTIONS).nullable(),
  /**
   * edit_and_delete: [the deleted row, the edit that met it].
   * double_booking: [the appointment booked first, the one that overlapped it].
   */
  sides: z.tuple([conflictSide, conflictSide]),
})
export type Conflict = z.infer<typeof conflict>

export const conflictsRequest = z.strictObject({
  status: z.enum(['open', 'resolved', 'all']).default('open'),
  limit: z.number().int().min(1).max(200).default(100),
})

export const resolveRequest = z.strictObject({
  id: uuid,
  resolution: z.enum(ALL_RESOLUTIONS),
})
