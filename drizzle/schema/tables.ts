import { sql } from 'drizzle-orm'
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import {
  APPOINTMENT_STATUSES,
  DEFAULT_SERVICE_PRIORITY,
  SERVICE_PRIORITIES,
  sqlList,
  USER_ROLES,
} from '../../shared/domain/enums'
import {
  CHANNELS,
  NOTIFICATION_KINDS,
  NOTIFICATION_STATUSES,
} from '../../shared/notifications/kinds'
import { SERVICE_KINDS } from '../../shared/weather/risk'
import { UNIT_SYSTEMS } from '../../shared/weather/units'
import { nonBlank, rowColumns } from './columns'

const money = (name: string) => numeric(name, { precision: 10, scale: 2, mode: 'string' })
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' })

export const clients = pgTable(
  'clients',
  {
    ...rowColumns,
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    address: text('address'),
    postalCode: text('postal_code'),
    latitude: numeric('latitude', { precision: 9, scale: 6, mode: 'string' }),
    longitude: numeric('longitude', { precision: 9, scale: 6, mode: 'string' }),
    notes: text('notes').notNull().default(''),
    /** Messages by email unless the client opts out (notifications). */
    notifyEmail: boolean('notify_email').notNull().default(true),
    /** Messages by SMS only if the client opts in. */
    notifySms: boolean('notify_sms').notNull().default(false),
    /** Kinds turned off per channel, `kind:channel` pairs ("reminder:sms,cancelled:email"). */
    notifyOff: text('notify_off').notNull().default(''),
    /** The language of their messages. */
    locale: text('locale').notNull().default('en'),
  },
  (t) => [
    check('clients_name_check', nonBlank('name', 200)),
    check('clients_locale_check', sql`${t.locale} ~ '^[a-z]{2}$'`),
    check('clients_notify_off_check', sql`length(${t.notifyOff}) <= 500`),
    check('clients_email_check', sql`${t.email} is null or ${t.email} ~ '^[^@\\s]+@[^@\\s]+$'`),
    check('clients_latitude_check', sql`${t.latitude} is null or ${t.latitude} between -90 and 90`),
    check(
      'clients_longitude_check',
      sql`${t.longitude} is null or ${t.longitude} between -180 and 180`,
    ),
    index('clients_name_idx').on(t.name),
    // Search matches names anywhere in them (ILIKE '%term%'): trigram indexes serve that
    // (migration 0013 creates the pg_trgm extension first).
    index('clients_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
    index('clients_address_trgm_idx').using('gin', t.address.op('gin_trgm_ops')),
    index('clients_postal_code_trgm_idx').using('gin', t.postalCode.op('gin_trgm_ops')),
  ],
)

export const teamMembers = pgTable(
  'team_members',
  {
    ...rowColumns,
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    color: text('color').notNull().default('#2e7d32'),
    isAvailable: boolean('is_available').notNull().default(true),
    /**
     * Their own working hours and days, in the business's formats ("07:00-16:00",
     * "1,2,3,4,5"); null: the business's. The calendar greys the rest, bookings outside
     * them warn, and the reassignment plan keeps to them.
     */
    workingHours: text('working_hours'),
    workingDays: text('working_days'),
  },
  (t) => [
    check('team_members_name_check', nonBlank('name', 200)),
    check(
      'team_members_working_hours_check',
      sql`${t.workingHours} is null or ${t.workingHours} ~ '^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$'`,
    ),
    check(
      'team_members_working_days_check',
      sql`${t.workingDays} is null or ${t.workingDays} ~ '^[0-6](,[0-6])*$'`,
    ),
    check('team_members_color_check', sql`${t.color} ~ '^#[0-9a-fA-F]{6}$'`),
    index('team_members_name_idx').on(t.name),
  ],
)

export const users = pgTable(
  'users',
  {
    ...rowColumns,
    name: text('name').notNull(),
    email: text('email'),
    role: text('role').notNull(),
    /** The crew a crew lead leads; null for office staff. */
    teamMemberId: uuid('team_member_id').references(() => teamMembers.id),
    /**
     * The PIN's scrypt hash with its salt and parameters (`scrypt$N$r$p$salt$hash`);
     * null for a crew lead without a PIN. Never the PIN itself: the check refuses
     * anything that is not such a hash. Users are local to the laptop, never synced.
     */
    pinHash: text('pin_hash'),
  },
  (t) => [
    check('users_name_check', nonBlank('name', 200)),
    check('users_role_check', sql.raw(`role in (${sqlList(USER_ROLES)})`)),
    check('users_pin_hash_check', sql`${t.pinHash} is null or ${t.pinHash} like 'scrypt$%'`),
  ],
)

/**
 * Wrong PINs per user and the wait they earned, kept in the database so that quitting
 * the app does not reset them. Apart from `users` on purpose: a refused PIN is recorded
 * although the call changes nothing else. Local to the laptop, never synced.
 */
export const pinAttempts = pgTable(
  'pin_attempts',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    failures: integer('failures').notNull().default(0),
    lockedUntil: instant('locked_until'),
    updatedAt: instant('updated_at').notNull().default(sql`now()`),
  },
  (t) => [check('pin_attempts_failures_check', sql`${t.failures} >= 0`)],
)

export const services = pgTable(
  'services',
  {
    ...rowColumns,
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    priority: text('priority').notNull().default(DEFAULT_SERVICE_PRIORITY),
    basePrice: money('base_price').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    /** The kind of work, for its default weather limits; null: general outdoor work. */
    weatherKind: text('weather_kind'),
    /** Its own weather limits (JSON, shared/weather/limits.ts); null: its kind's. */
    weatherLimits: text('weather_limits'),
  },
  (t) => [
    check('services_name_check', nonBlank('name', 200)),
    check(
      'services_weather_kind_check',
      sql.raw(`weather_kind is null or weather_kind in (${sqlList(SERVICE_KINDS)})`),
    ),
    check(
      'services_weather_limits_check',
      sql`${t.weatherLimits} is null or length(${t.weatherLimits}) <= 500`,
    ),
    check('services_priority_check', sql.raw(`priority in (${sqlList(SERVICE_PRIORITIES)})`)),
    check('services_base_price_check', sql`${t.basePrice} >= 0`),
    check('services_duration_check', sql`${t.durationMinutes} between 1 and 1440`),
    index('services_priority_idx').on(t.priority),
    // Unique among live rows, checked by a trigger (migration 0005) so that rows arriving
    // from other laptops are never refused for a name taken here meanwhile.
    index('services_name_live_idx').on(t.name).where(sql`${t.deletedAt} is null`),
    index('services_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
  ],
)

/**
 * Which services a crew member can do. Synced: each pair is a row whose id is made from
 * the pair (`specialty_id()`, set by a trigger, migration 0007), so two laptops adding
 * the same specialty offline add the same row, and removing one is a tombstone.
 */
export const teamMemberSpecialties = pgTable(
  'team_member_specialties',
  {
    ...rowColumns,
    teamMemberId: uuid('team_member_id')
      .notNull()
      .references(() => teamMembers.id, { onDelete: 'cascade' }),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('team_member_specialties_pair_key').on(t.teamMemberId, t.serviceId),
    index('team_member_specialties_service_idx').on(t.serviceId),
  ],
)

export const products = pgTable(
  'products',
  {
    ...rowColumns,
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    unit: text('unit').notNull().default('each'),
    unitPrice: money('unit_price').notNull(),
    isActive: boolean('is_active').notNull().default(true),
  },
  (t) => [
    check('products_name_check', nonBlank('name', 200)),
    check('products_unit_check', nonBlank('unit', 40)),
    check('products_unit_price_check', sql`${t.unitPrice} >= 0`),
    index('products_name_live_idx').on(t.name).where(sql`${t.deletedAt} is null`),
  ],
)

/**
 * A recurring visit (weekly mowing): the rule (an RRULE, shared/domain/series.ts), the
 * season, and what each visit is. Its visits are real appointments created ahead over a
 * rolling horizon. "This and following" splits a series into segments sharing `root_id`
 * (the first segment's id): each segment runs from its `starts_on` until the next one
 * starts. A visit's id is made from the root and the day it stands for, so two laptops
 * creating or extending the same series create the same rows, never a second visit.
 */
export const series = pgTable(
  'series',
  {
    ...rowColumns,
    rootId: uuid('root_id').notNull(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    teamMemberId: uuid('team_member_id').references(() => teamMembers.id),
    /** The RRULE's recurrence part ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"), no DTSTART. */
    rule: text('rule').notNull(),
    /** The season: its first and last day (null: until further notice), business zone. */
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }),
    /** Each visit's start as local time of day in the business's zone ("08:30"). */
    startTime: text('start_time').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    price: money('price').notNull(),
    notes: text('notes').notNull().default(''),
    location: text('location'),
  },
  (t) => [
    check('series_rule_check', sql`${t.rule} ~ '^FREQ=' and length(${t.rule}) <= 300`),
    check('series_range_check', sql`${t.endsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
    check('series_start_time_check', sql`${t.startTime} ~ '^[0-9]{2}:[0-9]{2}$'`),
    check('series_duration_check', sql`${t.durationMinutes} between 1 and 1440`),
    check('series_price_check', sql`${t.price} >= 0`),
    check('series_notes_check', sql`length(${t.notes}) <= 10000`),
    check('series_location_check', sql`${t.location} is null or ${nonBlank('location', 500)}`),
    index('series_root_idx').on(t.rootId, t.startsOn),
    index('series_client_idx').on(t.clientId),
  ],
)

export const appointments = pgTable(
  'appointments',
  {
    ...rowColumns,
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    teamMemberId: uuid('team_member_id').references(() => teamMembers.id),
    scheduledAt: instant('scheduled_at').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    status: text('status').notNull().default('scheduled'),
    notes: text('notes').notNull().default(''),
    /**
     * Where the job is done when that is not the client's address: a postcode or an
     * address, free text; null means the client's address (`jobLocation` in shared/).
     */
    location: text('location'),
    /** Price agreed at booking, copied from the service's base price. */
    price: money('price').notNull(),
    followUpOfId: uuid('follow_up_of_id').references((): AnyPgColumn => appointments.id),
    startedAt: instant('started_at'),
    completedAt: instant('completed_at'),
    /** The series segment this visit belongs to; null: a one-off appointment. */
    seriesId: uuid('series_id').references(() => series.id),
    /** The day (business zone) this visit stands for in its series, even once moved. */
    seriesOccurrence: date('series_occurrence', { mode: 'string' }),
    /** Edited on its own (moved, cancelled, skipped): later series edits leave it alone. */
    seriesException: boolean('series_exception').notNull().default(false),
  },
  (t) => [
    check(
      'appointments_series_check',
      sql`(${t.seriesId} is null) = (${t.seriesOccurrence} is null)`,
    ),
    index('appointments_series_idx').on(t.seriesId, t.seriesOccurrence),
    check('appointments_status_check', sql.raw(`status in (${sqlList(APPOINTMENT_STATUSES)})`)),
    check('appointments_duration_check', sql`${t.durationMinutes} between 1 and 1440`),
    check('appointments_price_check', sql`${t.price} >= 0`),
    check('appointments_notes_check', sql`length(${t.notes}) <= 10000`),
    check(
      'appointments_location_check',
      sql`${t.location} is null or ${nonBlank('location', 500)}`,
    ),
    // Ascending, so that it serves both directions: a backward scan gives the list's
    // default `scheduled_at DESC, id DESC` (DESC NULLS LAST would not match it).
    index('appointments_scheduled_at_idx').on(t.scheduledAt, t.id),
    index('appointments_status_scheduled_at_idx').on(t.status, t.scheduledAt),
    index('appointments_client_idx').on(t.clientId),
    index('appointments_service_idx').on(t.serviceId),
    index('appointments_team_member_scheduled_at_idx').on(t.teamMemberId, t.scheduledAt),
    // The list's search reads notes and location anywhere in them (ILIKE '%term%').
    index('appointments_notes_trgm_idx').using('gin', t.notes.op('gin_trgm_ops')),
    index('appointments_location_trgm_idx').using('gin', t.location.op('gin_trgm_ops')),
  ],
)

export const appointmentProducts = pgTable(
  'appointment_products',
  {
    ...rowColumns,
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => appointments.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    quantity: numeric('quantity', { precision: 10, scale: 2, mode: 'string' }).notNull(),
    unitPrice: money('unit_price').notNull(),
  },
  (t) => [
    check('appointment_products_quantity_check', sql`${t.quantity} > 0`),
    check('appointment_products_unit_price_check', sql`${t.unitPrice} >= 0`),
    index('appointment_products_appointment_idx').on(t.appointmentId),
  ],
)

/**
 * When a crew member is out: whole days from `starts_on` to `ends_on` (both included, in
 * the business's time zone); no end: until further notice. Synced: the calendar greys
 * them on every laptop, bookings inside them warn, and a reassignment plan reads them.
 */
export const timeOff = pgTable(
  'time_off',
  {
    ...rowColumns,
    teamMemberId: uuid('team_member_id')
      .notNull()
      .references(() => teamMembers.id, { onDelete: 'cascade' }),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }),
    reason: text('reason').notNull().default(''),
  },
  (t) => [
    check('time_off_range_check', sql`${t.endsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
    check('time_off_reason_check', sql`length(${t.reason}) <= 200`),
    index('time_off_member_idx').on(t.teamMemberId, t.startsOn),
  ],
)

/**
 * The forecast cache: one row per place and day (its id made from the two, so the server
 * and a laptop refreshing for itself write the same row), with when it was fetched.
 * `place` is the rounded coordinates ("51.51,-0.13", shared/weather/place.ts). Synced:
 * laptops read the central refresh's forecasts offline.
 */
export const weatherForecasts = pgTable(
  'weather_forecasts',
  {
    ...rowColumns,
    place: text('place').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    precipitationMm: doublePrecision('precipitation_mm'),
    precipitationProbability: doublePrecision('precipitation_probability'),
    windKmh: doublePrecision('wind_kmh'),
    gustKmh: doublePrecision('gust_kmh'),
    tempMinC: doublePrecision('temp_min_c'),
    tempMaxC: doublePrecision('temp_max_c'),
    weatherCode: integer('weather_code'),
    fetchedAt: instant('fetched_at').notNull(),
  },
  (t) => [uniqueIndex('weather_forecasts_place_day_key').on(t.place, t.day)],
)

/**
 * Addresses looked up on the map (Open-Meteo's geocoding), by the query as written
 * (normalised, shared/weather/place.ts); a query nothing was found for keeps null
 * coordinates, so it is not asked again at every refresh. Synced like the forecasts.
 */
export const geocodes = pgTable(
  'geocodes',
  {
    ...rowColumns,
    query: text('query').notNull(),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    label: text('label'),
    lookedUpAt: instant('looked_up_at').notNull(),
  },
  (t) => [
    uniqueIndex('geocodes_query_key').on(t.query),
    check('geocodes_query_check', sql`length(${t.query}) between 1 and 500`),
  ],
)

/** Settings of this laptop (who is using it, ...) as small JSON values by key: never synced. */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: instant('updated_at').notNull().default(sql`now()`),
})

/**
 * How the business works, the same on every laptop: one synced row (its id is
 * `BUSINESS_SETTINGS_ID`), one column per setting so that two laptops changing two
 * different settings both keep their change. Working hours are one column ("07:00-18:00")
 * because their start and end only make sense together.
 */
export const businessSettings = pgTable(
  'business_settings',
  {
    ...rowColumns,
    timeZone: text('time_zone'),
    workingHours: text('working_hours'),
    /** Days of the week, 0 = Sunday, as a list such as "1,2,3,4,5". */
    workingDays: text('working_days'),
    /** How the business signs its messages to clients. */
    businessName: text('business_name'),
    businessPhone: text('business_phone'),
    /** How long before a visit its reminder goes out; null: 24 hours. */
    reminderLeadMinutes: integer('reminder_lead_minutes'),
    /** When messages to clients may go out ("08:00-20:00"); null: 08:00-20:00. */
    sendingHours: text('sending_hours'),
    /**
     * The units weather is worded in ('metric' or 'us'); null: metric. Only words and
     * form fields convert: forecasts and limits are stored metric whatever this says.
     */
    units: text('units'),
  },
  () => [
    check(
      'business_settings_units_check',
      sql.raw(`units is null or units in (${sqlList(UNIT_SYSTEMS)})`),
    ),
  ],
)

/**
 * The send log of messages to clients (notifications): one row per message, its id made
 * from what it is about (shared/notifications/plan.ts), written before it is sent. Synced
 * so that every laptop shows what went out; kept 90 days.
 */
export const notifications = pgTable(
  'notifications',
  {
    ...rowColumns,
    kind: text('kind').notNull(),
    channel: text('channel').notNull(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id),
    appointmentId: uuid('appointment_id').references(() => appointments.id),
    /** Where it goes (an email address, an E.164 number): set when planned, then as sent. */
    recipient: text('recipient'),
    /** The visit's time the message is about. */
    visitAt: instant('visit_at'),
    /** For a change of time: the time the client had been told before. */
    previousVisitAt: instant('previous_visit_at'),
    /** When it is to go out (a reminder's time, held to the sending hours). */
    dueAt: instant('due_at').notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** The provider's id of the message (SMTP Message-ID, Twilio SID). */
    providerId: text('provider_id'),
    /** Why it was skipped, or the last error. */
    reason: text('reason'),
    /** What the message is about beyond the visit: a weather notice's forecast. */
    detail: text('detail'),
    /** What was sent, as rendered. */
    subject: text('subject'),
    body: text('body'),
    templateVersion: integer('template_version'),
    sentAt: instant('sent_at'),
  },
  (t) => [
    check('notifications_kind_check', sql.raw(`kind in (${sqlList(NOTIFICATION_KINDS)})`)),
    check('notifications_channel_check', sql.raw(`channel in (${sqlList(CHANNELS)})`)),
    check('notifications_status_check', sql.raw(`status in (${sqlList(NOTIFICATION_STATUSES)})`)),
    check('notifications_attempts_check', sql`${t.attempts} between 0 and 100`),
    index('notifications_due_idx').on(t.status, t.dueAt),
    index('notifications_appointment_idx').on(t.appointmentId),
    index('notifications_client_idx').on(t.clientId, t.createdAt),
    index('notifications_created_idx').on(t.createdAt),
  ],
)

/**
 * Message templates edited by admins, one row per kind, channel and locale (its id made
 * from the three, so two laptops editing one template edit one row); without a row the
 * built-in template applies (version 0).
 */
export const notificationTemplates = pgTable(
  'notification_templates',
  {
    ...rowColumns,
    kind: text('kind').notNull(),
    channel: text('channel').notNull(),
    locale: text('locale').notNull(),
    version: integer('version').notNull(),
    subject: text('subject').notNull().default(''),
    body: text('body').notNull(),
  },
  (t) => [
    check('notification_templates_kind_check', sql.raw(`kind in (${sqlList(NOTIFICATION_KINDS)})`)),
    check('notification_templates_channel_check', sql.raw(`channel in (${sqlList(CHANNELS)})`)),
    check('notification_templates_locale_check', sql`${t.locale} ~ '^[a-z]{2}$'`),
    uniqueIndex('notification_templates_key').on(t.kind, t.channel, t.locale),
  ],
)

/**
 * Live (not deleted) appointments per status, kept by statement-level triggers (see
 * migration 0003): counting 100,000 rows costs ~45 ms in PGlite, reading four rows
 * costs nothing, and the list's count is needed on every page.
 */
export const appointmentCounts = pgTable('appointment_counts', {
  status: text('status').primaryKey(),
  n: integer('n').notNull().default(0),
})

/**
 * Counters bumped by statement-level triggers whenever a table they watch changes
 * (migration 0004). In-process caches compare one number instead of re-reading rows:
 * `names` covers client and service names, which the calendar attaches to its events.
 */
export const changeCounters = pgTable('change_counters', {
  name: text('name').primaryKey(),
  n: bigint('n', { mode: 'number' }).notNull().default(0),
})
