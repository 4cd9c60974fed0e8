import type { PGlite } from '@electric-sql/pglite'
import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gt,
  gte,
  inArray,
  isNull,
  lt,
  lte,
  type SQL,
  sql,
} from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type {
  Appointment,
  AppointmentListInput,
  AppointmentOrdering,
  CalendarEvent,
} from '../../../../shared/contract/appointments'
import type { AppointmentStatus, ServicePriority } from '../../../../shared/domain/enums'
import { MAX_DURATION_MINUTES } from '../../../../shared/domain/schedule'
import {
  APPOINTMENT_SEARCH,
  likePattern,
  searchTerms,
} from '../../../../shared/domain/search-terms'
import { servedByTrigrams } from '../../../../shared/domain/trigram-search'
import { AppError } from '../../../../shared/errors'
import type { DrizzleDb } from '../db/create-db'
import { preparedRows } from '../db/prepared'
import { schema } from '../db/schema'
import { NameCache } from '../name-cache'
import { iso, isoOrNull } from './rows'

const { appointments: a, clients: c, services: s } = schema
const tm = alias(schema.teamMembers, 'tm')

type Queryable = Pick<DrizzleDb, 'select'>

const columns = {
  id: a.id,
  scheduledAt: a.scheduledAt,
  durationMinutes: a.durationMinutes,
  status: a.status,
  notes: a.notes,
  location: a.location,
  price: a.price,
  clientId: a.clientId,
  clientName: c.name,
  serviceId: a.serviceId,
  serviceName: s.name,
  priority: s.priority,
  teamMemberId: a.teamMemberId,
  teamMemberName: tm.name,
  teamMemberColor: tm.color,
  followUpOfId: a.followUpOfId,
  seriesId: a.seriesId,
  seriesOccurrence: a.seriesOccurrence,
  seriesException: a.seriesException,
  startedAt: a.startedAt,
  completedAt: a.completedAt,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
}

type Row = {
  [K in keyof typeof columns]: (typeof columns)[K]['_']['data'] | null
}

function toAppointment(r: Row): Appointment {
  const start = Date.parse(r.scheduledAt as string)
  return {
    id: r.id as string,
    scheduledAt: iso(r.scheduledAt as string),
    endsAt: new Date(start + (r.durationMinutes as number) * 60_000).toISOString(),
    durationMinutes: r.durationMinutes as number,
    status: r.status as AppointmentStatus,
    notes: r.notes as string,
    location: r.location,
    price: r.price as string,
    clientId: r.clientId as string,
    clientName: r.clientName as string,
    serviceId: r.serviceId as string,
    serviceName: r.serviceName as string,
    priority: r.priority as ServicePriority,
    teamMemberId: r.teamMemberId,
    teamMemberName: r.teamMemberName,
    teamMemberColor: r.teamMemberColor,
    followUpOfId: r.followUpOfId,
    seriesId: r.seriesId,
    seriesOccurrence: r.seriesOccurrence,
    seriesException: r.seriesException ?? false,
    startedAt: isoOrNull(r.startedAt),
    completedAt: isoOrNull(r.completedAt),
    createdAt: iso(r.createdAt as string),
    updatedAt: iso(r.updatedAt as string),
  }
}

/** Appointments joined to their client, service and team member: one query, never N+1. */
function joined(db: Queryable) {
  return db
    .select(columns)
    .from(a)
    .innerJoin(c, eq(c.id, a.clientId))
    .innerJoin(s, eq(s.id, a.serviceId))
    .leftJoin(tm, eq(tm.id, a.teamMemberId))
}

export async function getAppointment(db: Queryable, id: string): Promise<Appointment> {
  const [row] = await joined(db).where(and(eq(a.id, id), isNull(a.deletedAt)))
  if (!row) throw new AppError('NOT_FOUND', 'appointment not found')
  return toAppointment(row)
}

const PRIORITY_RANK = sql`case ${s.priority} when 'LOW' then 0 when 'MEDIUM' then 1 else 2 end`

const ORDER_KEYS: Record<string, SQL | typeof a.scheduledAt> = {
  scheduled_date: a.scheduledAt as never,
  created_at: a.createdAt as never,
  status: a.status as never,
  client_name: c.name as never,
  service_name: s.name as never,
  team_member_name: sql`${tm.name} nulls last` as never,
  priority: PRIORITY_RANK,
}

function orderBy(ordering: AppointmentOrdering): SQL[] {
  const descending = ordering.startsWith('-')
  const key = ORDER_KEYS[ordering.replace(/^-/, '')]
  const dir = descending ? desc : asc
  // team_member_name carries its own NULLS LAST; desc() would append a second one.
  // Within one name, a person reads the jobs soonest first.
  if (ordering.endsWith('team_member_name')) {
    return [
      sql`${tm.name} ${sql.raw(descending ? 'desc' : 'asc')} nulls last`,
      asc(a.scheduledAt),
      dir(a.id),
    ]
  }
  if (ordering.endsWith('_name')) return [dir(key as SQL), asc(a.scheduledAt), dir(a.id)]
  return [dir(key as SQL), dir(a.id)]
}

const asArray = <T>(v: T | T[] | undefined): T[] | undefined =>
  v === undefined ? undefined : Array.isArray(v) ? v : [v]

/** The filters of the list API, shared by the list and by exports. */
export type AppointmentFilters = Omit<AppointmentListInput, 'limit' | 'offset' | 'ordering'> & {
  /** Only these appointments (the upcoming jobs at weather risk, for `atRisk`). */
  ids?: readonly string[]
}

export function appointmentWhere(input: AppointmentFilters): SQL | undefined {
  const statuses = asArray(input.status)
  const filters: (SQL | undefined)[] = [
    isNull(a.deletedAt),
    input.scheduledFrom ? gte(a.scheduledAt, input.scheduledFrom) : undefined,
    input.scheduledTo ? lte(a.scheduledAt, input.scheduledTo) : undefined,
    statuses ? inArray(a.status, statuses) : undefined,
    input.clientId ? eq(a.clientId, input.clientId) : undefined,
    input.serviceId ? eq(a.serviceId, input.serviceId) : undefined,
    input.teamMemberId ? eq(a.teamMemberId, input.teamMemberId) : undefined,
    input.ids ? (input.ids.length ? inArray(a.id, [...input.ids]) : sql`false`) : undefined,
  ]
  // Every word typed must be found (in any of the places searched), as on the REST API.
  for (const term of searchTerms(input.search)) filters.push(searchFilter(term))
  return and(...filters)
}

/**
 * A term (one word, or a "quoted phrase") matches an appointment whose client's name, service's name, notes or place
 * contains it, case aside. Names are matched once per client / service, not once per
 * appointment through a join, so counting a search reads appointments alone.
 *
 * When the trigram indexes (migration 0013) can serve the term, the matching clients and
 * services are collected into arrays first (`= any(array(...))`), which the planner can
 * look up in the appointments' client and service indexes and OR with the notes' and
 * places' trigram indexes, reading only the matching rows. Otherwise the plain form.
 * Both are the same condition (same rows, same order); only the plan differs.
 */
/** The searched columns of each table, named as the database names them, found once. */
const searched = (table: typeof a | typeof c | typeof s, names: readonly string[]) =>
  Object.values(getTableColumns(table)).filter((col) => names.includes(col.name))
const SEARCHED = {
  appointments: searched(a, APPOINTMENT_SEARCH.appointments),
  clients: searched(c, APPOINTMENT_SEARCH.clients),
  services: searched(s, APPOINTMENT_SEARCH.services),
}

function searchFilter(term: string): SQL {
  const pattern = likePattern(term)
  const any = (columns: (typeof SEARCHED)[keyof typeof SEARCHED]) =>
    sql.join(
      columns.map((col) => sql`${col} ilike ${pattern}`),
      sql` or `,
    )
  const clients = sql`select ${c.id} from ${c} where ${any(SEARCHED.clients)}`
  const services = sql`select ${s.id} from ${s} where ${any(SEARCHED.services)}`
  const indexed = servedByTrigrams(term)
  return sql`(${
    indexed ? sql`${a.clientId} = any(array(${clients}))` : sql`${a.clientId} in (${clients})`
  } or ${
    indexed ? sql`${a.serviceId} = any(array(${services}))` : sql`${a.serviceId} in (${services})`
  } or ${any(SEARCHED.appointments)})`
}

/** Every matching appointment, oldest first, read in batches (for exports). */
export async function* allAppointments(db: Queryable, input: AppointmentFilters, batch = 2000) {
  const where = appointmentWhere(input)
  for (let offset = 0; ; offset += batch) {
    const rows = await joined(db)
      .where(where)
      .orderBy(asc(a.scheduledAt), asc(a.id))
      .limit(batch)
      .offset(offset)
    for (const r of rows) yield toAppointment(r)
    if (rows.length < batch) return
  }
}

export async function listAppointments(
  db: Queryable,
  names: NameCache,
  input: AppointmentListInput & Pick<AppointmentFilters, 'ids'>,
) {
  const statuses = asArray(input.status)
  const term = input.search?.trim()
  const where = appointmentWhere(input)
  const onlyStatus =
    !term &&
    !input.scheduledFrom &&
    !input.scheduledTo &&
    !input.clientId &&
    !input.serviceId &&
    !input.teamMemberId &&
    !input.ids
  // Unfiltered (or status-only) totals come from the trigger-maintained counts.
  const counted = onlyStatus
    ? countedByStatus(statuses)
    : sql<number>`(select count(*)::int from ${a} where ${where})`
  if (OWN_COLUMNS.test(input.ordering)) {
    // One statement: the count and the page (see `ownPage`).
    const { total, rows } = await ownPage(db, names, where, input, counted)
    return { count: total, limit: input.limit, offset: input.offset, results: rows }
  }
  const [[row], rows] = await Promise.all([
    db.select({ n: counted }).from(sql`(select 1) as one`),
    joinedPage(db, where, input),
  ])
  return {
    count: row?.n ?? 0,
    limit: input.limit,
    offset: input.offset,
    results: rows.map(toAppointment),
  }
}

/** How many appointments have these statuses (all when none given), as the triggers count. */
function countedByStatus(statuses: string[] | undefined): SQL<number> {
  const { appointmentCounts: counts } = schema
  const which = statuses ? sql` where ${inArray(counts.status, statuses)}` : sql``
  return sql<number>`(select coalesce(sum(${counts.n}), 0)::int from ${counts}${which})`
}

/** How many appointments the filters select (what an export will write). */
export const countAppointments = (db: Queryable, input: AppointmentFilters) =>
  countWhere(db, appointmentWhere(input))

async function countWhere(db: Queryable, where: SQL | undefined) {
  const [row] = await db.select({ n: count() }).from(a).where(where)
  return row?.n ?? 0
}

const OWN_COLUMNS = /^-?(scheduled_date|created_at|status)$/

/**
 * A page of appointments in an order of their own columns, and how many the filters
 * select, in one statement. The page's ids are found on appointments alone (a deep
 * offset then skips index entries, not rows); its rows come back as one JSON value
 * (decoding twenty rows of twenty fields cost more than finding them), and the names of
 * clients, services and crew members are attached from the name cache: no join to plan.
 */
async function ownPage(
  db: Queryable,
  names: NameCache,
  where: SQL | undefined,
  input: AppointmentListInput,
  /** How many appointments the filters select, as an expression. */
  counted: SQL<number>,
): Promise<{ total: number; rows: Appointment[] }> {
  const order = orderBy(input.ordering)
  const ids = db
    .select({ id: a.id })
    .from(a)
    .where(where)
    .orderBy(...order)
    .limit(input.limit)
    .offset(input.offset)
  const page = db
    .select({
      total: counted,
      names: NameCache.versionSql,
      rows: sql<string | null>`json_agg(json_build_array(${a.id}, ${a.scheduledAt},
        ${a.durationMinutes}, ${a.status}, ${a.notes}, ${a.location}, ${a.price}::text,
        ${a.clientId}, ${a.serviceId}, ${a.teamMemberId}, ${a.followUpOfId}, ${a.seriesId},
        ${a.seriesOccurrence}, ${a.seriesException}, ${a.startedAt}, ${a.completedAt},
        ${a.createdAt}, ${a.updatedAt}) order by ${sql.join(order, sql`, `)})::text`,
    })
    .from(a)
    .where(inArray(a.id, ids))
  const [result] = await readKept(db, page, ([total, version, rows]) => ({
    total: Number(total),
    names: Number(version),
    rows,
  }))
  const total = result?.total ?? 0
  if (!result?.rows) return { total, rows: [] }
  const rows = JSON.parse(result.rows) as OwnRow[]
  await names.resolve(
    db,
    result.names,
    rows.map((r) => r[7]),
    rows.map((r) => r[8]),
    rows.flatMap((r) => (r[9] ? [r[9]] : [])),
  )
  return {
    total,
    rows: rows.map((r) => {
      const service = names.service(r[8])
      const member = r[9] ? names.member(r[9]) : null
      return toAppointment({
        id: r[0],
        scheduledAt: r[1],
        durationMinutes: r[2],
        status: r[3],
        notes: r[4],
        location: r[5],
        price: r[6],
        clientId: r[7],
        clientName: names.client(r[7]),
        serviceId: r[8],
        serviceName: service.name,
        priority: service.priority,
        teamMemberId: r[9],
        teamMemberName: member?.name ?? null,
        teamMemberColor: member?.color ?? null,
        followUpOfId: r[10],
        seriesId: r[11],
        seriesOccurrence: r[12],
        seriesException: r[13],
        startedAt: r[14],
        completedAt: r[15],
        createdAt: r[16],
        updatedAt: r[17],
      })
    }),
  }
}

/**
 * A read the screens ask for on every visit and every change (the list's page, the
 * calendar's range), run as a statement the database keeps planned (`preparedRows`)
 * where it can be: on the database itself, not inside a transaction (which has no
 * client of its own), where it runs as drizzle runs it. `fromText` reads a row's fields
 * from PostgreSQL's text into what drizzle would have given.
 */
async function readKept<T>(
  db: Queryable,
  query: PromiseLike<T[]> & { toSQL(): { sql: string; params: unknown[] } },
  fromText: (fields: (string | null)[]) => T,
): Promise<T[]> {
  const client = (db as { $client?: PGlite }).$client
  return client ? (await preparedRows(client, query.toSQL())).map(fromText) : await query
}

/** An appointment's own fields as `ownPage` reads them, in its order. */
type OwnRow = [
  id: string,
  scheduledAt: string,
  durationMinutes: number,
  status: string,
  notes: string,
  location: string | null,
  price: string,
  clientId: string,
  serviceId: string,
  teamMemberId: string | null,
  followUpOfId: string | null,
  seriesId: string | null,
  seriesOccurrence: string | null,
  seriesException: boolean,
  startedAt: string | null,
  completedAt: string | null,
  createdAt: string,
  updatedAt: string,
]

/** A page in an order of names: joined, as the order needs them. */
function joinedPage(db: Queryable, where: SQL | undefined, input: AppointmentListInput) {
  return joined(db)
    .where(where)
    .orderBy(...orderBy(input.ordering))
    .limit(input.limit)
    .offset(input.offset)
}

export interface RangeInput {
  from: string
  to: string
  teamMemberIds?: string[] | undefined
  statuses?: AppointmentStatus[] | undefined
  serviceIds?: string[] | undefined
}

/**
 * Appointments overlapping [from, to), earliest first, at most `cap` of them. A week of
 * a busy company is well over a thousand rows, and PGlite spends far longer decoding a
 * thousand rows (or building a thousand JSON objects) than PostgreSQL spends finding
 * them. So the query returns one text value: fixed-format fields only (ids, instants,
 * numbers, the status: none can contain the separators), and names are attached from
 * the in-process name cache instead of a join.
 */
export async function appointmentsInRange(
  db: Queryable,
  names: NameCache,
  input: RangeInput,
  cap: number,
): Promise<{ events: CalendarEvent[]; truncated: boolean }> {
  // Nothing lasts longer than a day, so only starts in [from - 1 day, to) can overlap:
  // the scheduled_at index bounds the scan on both sides.
  const earliest = new Date(Date.parse(input.from) - MAX_DURATION_MINUTES * 60_000).toISOString()
  const where = and(
    isNull(a.deletedAt),
    gte(a.scheduledAt, earliest),
    lt(a.scheduledAt, input.to),
    gt(sql`${a.scheduledAt} + make_interval(mins => ${a.durationMinutes})`, input.from),
    input.teamMemberIds ? inArray(a.teamMemberId, input.teamMemberIds) : undefined,
    input.statuses ? inArray(a.status, input.statuses) : undefined,
    input.serviceIds ? inArray(a.serviceId, input.serviceIds) : undefined,
  )
  const range = db
    .select({
      version: NameCache.versionSql,
      text: sql<string | null>`string_agg(concat_ws(',', ${a.id},
        (date_part('epoch', ${a.scheduledAt}) * 1000)::bigint, ${a.durationMinutes}, ${a.status},
        ${a.clientId}, ${a.serviceId}, coalesce(${a.teamMemberId}::text, ''),
        coalesce(${a.seriesId}::text, '')),
        ';' order by ${a.scheduledAt}, ${a.id})`,
    })
    .from(a)
    .where(where)
  const [packed] = await readKept(db, range, ([version, text]) => ({
    version: Number(version),
    text,
  }))
  const records = packed?.text ? packed.text.split(';') : []
  const rows = records.slice(0, cap).map((r) => r.split(','))
  await names.resolve(
    db,
    Number(packed?.version ?? 0),
    rows.map((f) => f[4] as string),
    rows.map((f) => f[5] as string),
  )
  const events = rows.map((f): CalendarEvent => {
    const serviceId = f[5] as string
    const service = names.service(serviceId)
    return {
      id: f[0] as string,
      scheduledAt: new Date(Number(f[1])).toISOString(),
      durationMinutes: Number(f[2]),
      status: f[3] as AppointmentStatus,
      clientId: f[4] as string,
      clientName: names.client(f[4] as string),
      serviceId,
      serviceName: service.name,
      priority: service.priority,
      teamMemberId: f[6] || null,
      seriesId: f[7] || null,
    }
  })
  return { events, truncated: records.length > cap }
}
