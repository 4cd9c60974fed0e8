import type pg from 'pg'
import { DEFAULT_LIMIT } from '../../shared/contract/common'
import { isManager } from '../../shared/domain/permissions'
import {
  APPOINTMENT_SEARCH,
  likePattern,
  likeTerms,
  searchTerms,
} from '../../shared/domain/search-terms'
import { servedByTrigrams } from '../../shared/domain/trigram-search'
import type { Device } from '../tokens'
import { jumpDirection, jumpSql } from './deep-pages'
import { prepared } from './prepared'
import type {
  AppointmentDetail,
  AppointmentListQuery,
  AppointmentRow,
  OrderingTerm,
} from './schemas'

/**
 * The appointment list and detail, read from the central domain tables. Every page is
 * one statement (its rows, their client and service names, and the total), never a
 * query per row. Where the time goes at 100,000 appointments, and what is done:
 * - the total: with no filter but status it is read from `appointment_counts` (kept by
 *   the database's statement triggers, migration 0003), not counted; a date range is
 *   counted on the live-rows index alone (index-only, server migration 0007);
 * - a deep offset: when the order is on the appointment's own columns, the page's ids
 *   are found on that index first, skipping entries, not joined rows; names are joined
 *   for the page's rows only; deep pages by time start at their day (deep-pages.ts);
 * - row width: only the columns the wire shape has are read.
 */

/**
 * Who is asking: a crew lead's device sees the jobs of its crew only (and, in the
 * directory, their clients); office devices see everything.
 */
export interface Scope {
  /** undefined: every job; null: a crew lead without a crew (nothing); else that crew. */
  crew?: string | null
}

export const scopeOf = (device: Device): Scope =>
  isManager(device.role) ? {} : { crew: device.teamMemberId }

/** Ordering terms on columns of `appointments` itself (others need a join to sort). */
const OWN: Partial<Record<string, string>> = {
  scheduled_date: 'a.scheduled_at',
  created_at: 'a.created_at',
  status: 'a.status',
  id: 'a.id',
}
const JOINED: Record<string, string> = {
  client_name: 'c.name',
  service_name: 's.name',
  team_member_name: 'tm.name',
  priority: "CASE s.priority WHEN 'LOW' THEN 0 WHEN 'MEDIUM' THEN 1 ELSE 2 END",
}

function orderBy(terms: readonly OrderingTerm[]): { sql: string; own: boolean } {
  const keys = terms.map((term) => {
    const name = term.replace(/^-/, '')
    const dir = term.startsWith('-') ? 'DESC' : 'ASC'
    // Jobs without a crew member sort last either way, as on the laptop.
    const nulls = name === 'team_member_name' ? ' NULLS LAST' : ''
    return { name, sql: `${OWN[name] ?? JOINED[name]} ${dir}${nulls}`, dir }
  })
  // A stable order whatever the keys: ties are broken by id, in the first key's direction.
  if (!keys.some((k) => k.name === 'id'))
    keys.push({ name: 'id', sql: `a.id ${keys[0]?.dir ?? 'DESC'}`, dir: '' })
  return { sql: keys.map((k) => k.sql).join(', '), own: keys.every((k) => k.name in OWN) }
}

class Params {
  readonly values: unknown[] = []
  add(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

function filters(q: AppointmentListQuery, scope: Scope, p: Params) {
  const where = ['a.deleted_at IS NULL']
  if (scope.crew !== undefined) where.push(`a.team_member_id = ${p.add(scope.crew)}::uuid`)
  if (q.schedule_start_date) where.push(`a.scheduled_at >= ${p.add(q.schedule_start_date)}`)
  if (q.schedule_end_date) where.push(`a.scheduled_at <= ${p.add(q.schedule_end_date)}`)
  if (q.status.length) where.push(`a.status = ANY(${p.add(q.status)}::text[])`)
  for (const term of searchTerms(q.search)) {
    // Clients and services are matched once each, not once per appointment through a
    // join, so that counting a search reads appointments alone. Where the trigram
    // indexes (domain migrations 0013, 0020) can serve the term, the matching ids are gathered
    // into arrays, which the planner looks up in the appointments' indexes and ORs with
    // the notes' trigram index; otherwise the plain form (same rows, another plan).
    const x = p.add(likePattern(term))
    const any = (prefix: string, columns: readonly string[]) =>
      columns.map((col) => `${prefix}${col} ILIKE ${x}`).join(' OR ')
    const ids = (table: 'clients' | 'services') =>
      servedByTrigrams(term)
        ? `= ANY(ARRAY(SELECT id FROM ${table} WHERE ${any('', APPOINTMENT_SEARCH[table])}))`
        : `IN (SELECT id FROM ${table} WHERE ${any('', APPOINTMENT_SEARCH[table])})`
    where.push(`(a.client_id ${ids('clients')} OR a.service_id ${ids('services')}
      OR ${any('a.', APPOINTMENT_SEARCH.appointments)})`)
  }
  return where.join(' AND ')
}

/** The total, the cheapest way that is exact; `where` is built only when it is needed. */
function total(q: AppointmentListQuery, scope: Scope, where: () => string, p: Params) {
  const statusOnly =
    scope.crew === undefined && !q.search && !q.schedule_start_date && !q.schedule_end_date
  if (statusOnly) {
    const which = q.status.length ? ` WHERE status = ANY(${p.add(q.status)}::text[])` : ''
    return `(SELECT coalesce(sum(n), 0)::int FROM appointment_counts${which})`
  }
  return `(SELECT count(*)::int FROM appointments a WHERE ${where()})`
}

/**
 * An instant as the wire has it (ISO-8601 in UTC with milliseconds, as toISOString writes
 * it), formatted by the database: a page's 40 dates are not parsed and printed again here.
 */
const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

const NOT_ASSESSED = 'no forecast assessed for this job'
const ROW_COLUMNS = `a.id, ${iso('a.scheduled_at')} AS scheduled_at, a.status, a.notes,
  ${iso('a.created_at')} AS created_at, a.client_id,
  c.name AS client_name, a.service_id, s.name AS service_name, a.team_member_id,
  a.duration_minutes, a.location, coalesce(w.risk, 'unknown') AS weather_risk,
  coalesce(w.reason, '${NOT_ASSESSED}') AS weather_reason`

/** The job's weather risk as the last refresh told it (server/weather/service.ts). */
const WEATHER_JOIN = 'LEFT JOIN weather_alerts w ON w.appointment_id = a.id'

interface DbRow {
  total: number
  id: string
  scheduled_at: string
  status: AppointmentRow['status']
  notes: string
  created_at: string
  client_id: string
  client_name: string
  service_id: string
  service_name: string
  team_member_id: string | null
  duration_minutes: number
  location: string | null
  weather_risk: AppointmentRow['weather_risk']
  weather_reason: string
}

const toRow = (r: DbRow): AppointmentRow => ({
  id: r.id,
  scheduled_date: r.scheduled_at,
  status: r.status,
  notes: r.notes,
  created_at: r.created_at,
  client_id: r.client_id,
  client_name: r.client_name,
  service_id: r.service_id,
  service_name: r.service_name,
  team_member_id: r.team_member_id,
  duration_minutes: r.duration_minutes,
  location: r.location,
  weather_risk: r.weather_risk,
  weather_reason: r.weather_reason,
})

/**
 * The first page in one of the everyday orders (newest first, or by date), with at most
 * one search term, is a prepared statement (see prepared.ts) with its LIMIT and OFFSET
 * written in: PostgreSQL plans a statement whose offset is a parameter for an offset of
 * a tenth of the table, so it would never settle on the prepared plan. That bounds the
 * shapes named (filters on or off, three orders); deeper pages are planned each time,
 * which costs little beside skipping their offset.
 */
const PREPARED_ORDERINGS = new Set(['-scheduled_date,-id', 'scheduled_date', '-scheduled_date'])

const isEveryday = (q: AppointmentListQuery) =>
  q.offset === 0 &&
  q.limit === DEFAULT_LIMIT &&
  PREPARED_ORDERINGS.has(q.ordering.join(',')) &&
  likeTerms(q.search).length <= 1

export async function listAppointments(
  pool: pg.Pool,
  q: AppointmentListQuery,
  scope: Scope,
): Promise<{ count: number; results: AppointmentRow[] }> {
  const p = new Params()
  const where = filters(q, scope, p)
  const count = total(q, scope, () => where, p)
  const order = orderBy(q.ordering)
  const everyday = isEveryday(q)
  const limit = everyday ? String(DEFAULT_LIMIT) : p.add(q.limit)
  const offset = everyday ? '0' : p.add(q.offset)
  const dir = jumpDirection(q, scope.crew !== undefined)
  const jump = dir && jumpSql(dir, offset, q.status.length ? p.add(q.status) : null)
  const joins = `JOIN clients c ON c.id = a.client_id JOIN services s ON s.id = a.service_id ${WEATHER_JOIN}${
    /tm\./.test(order.sql) ? ' LEFT JOIN team_members tm ON tm.id = a.team_member_id' : ''
  }`
  const text = order.own
    ? // Deferred join: the page's ids from appointments alone, then names for those rows.
      `${jump ? jump.with : ''} SELECT ${count} AS total, ${ROW_COLUMNS}
       FROM (SELECT a.id FROM appointments a WHERE ${where}${jump ? ` AND ${jump.bound}` : ''}
             ORDER BY ${order.sql} LIMIT ${limit} OFFSET ${jump ? jump.offset : offset}) page
       JOIN appointments a ON a.id = page.id ${joins}
       ORDER BY ${order.sql}`
    : `SELECT ${count} AS total, ${ROW_COLUMNS} FROM appointments a ${joins}
       WHERE ${where} ORDER BY ${order.sql} LIMIT ${limit} OFFSET ${offset}`
  const { rows } = await pool.query<DbRow>(everyday ? prepared(text) : text, p.values)
  const first = rows[0]
  if (first) return { count: first.total, results: rows.map(toRow) }
  // No row: past the end of the list (or an empty one). The total then needs its own query.
  if (q.offset === 0) return { count: 0, results: [] }
  const again = new Params()
  const alone = total(q, scope, () => filters(q, scope, again), again)
  const { rows: counted } = await pool.query<{ total: number }>(
    `SELECT ${alone} AS total`,
    again.values,
  )
  return { count: counted[0]?.total ?? 0, results: [] }
}

interface DbDetail extends Omit<DbRow, 'total'> {
  price: string
  team_member_name: string | null
  follow_up_of_id: string | null
  started_at: string | null
  completed_at: string | null
  updated_at: string
}

/** One live appointment the caller may see, or null. */
export async function getAppointment(
  db: pg.Pool | pg.PoolClient,
  id: string,
  scope: Scope,
): Promise<AppointmentDetail | null> {
  const crew = scope.crew === undefined ? '' : 'AND a.team_member_id = $2::uuid'
  const { rows } = await db.query<DbDetail>(
    prepared(`SELECT ${ROW_COLUMNS}, a.price::text AS price, tm.name AS team_member_name,
       a.follow_up_of_id, ${iso('a.started_at')} AS started_at,
       ${iso('a.completed_at')} AS completed_at, ${iso('a.updated_at')} AS updated_at
     FROM appointments a JOIN clients c ON c.id = a.client_id
       JOIN services s ON s.id = a.service_id
       LEFT JOIN team_members tm ON tm.id = a.team_member_id ${WEATHER_JOIN}
     WHERE a.id = $1 AND a.deleted_at IS NULL ${crew}`),
    scope.crew === undefined ? [id] : [id, scope.crew],
  )
  const r = rows[0]
  if (!r) return null
  return {
    ...toRow({ ...r, total: 0 }),
    price: r.price,
    team_member_name: r.team_member_name,
    follow_up_of_id: r.follow_up_of_id,
    started_at: r.started_at,
    completed_at: r.completed_at,
    updated_at: r.updated_at,
  }
}
