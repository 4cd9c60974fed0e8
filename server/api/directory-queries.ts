import type pg from 'pg'
import { likeTerms } from '../../shared/domain/search-terms'
import { parseDays } from '../../shared/domain/working-hours'
import type { Scope as DirectoryScope } from './appointment-queries'
import { prepared } from './prepared'
import type { ClientRow, DirectoryQuery, ServiceRow, TeamMemberRow } from './schemas'

/**
 * The catalog, the clients and the crew as the original API listed them: live rows only
 * (a deleted, i.e. tombstoned, row never appears), by name unless `ordering` says
 * otherwise, with DRF's paging. A page and
 * its total are one statement.
 */
interface Listing<T> {
  table: string
  columns: string
  /** Columns `?search=` looks in. */
  searched: readonly string[]
  /** For a crew lead's device: the rows of its crew (`crew`: the parameter); none: all. */
  crewRows?: (crew: string) => string
  map: (row: Record<string, unknown>) => T
}

/**
 * Whitelisted terms (column names, each checked against its list in schemas.ts) as SQL;
 * ties are broken by id, in the first term's direction.
 */
function orderBy(terms: readonly string[]): string {
  const keys = terms.map((t) => `x.${t.replace(/^-/, '')} ${t.startsWith('-') ? 'DESC' : 'ASC'}`)
  if (!terms.some((t) => t.replace(/^-/, '') === 'id'))
    keys.push(`x.id ${terms[0]?.startsWith('-') ? 'DESC' : 'ASC'}`)
  return keys.join(', ')
}

async function listLive<T>(
  pool: pg.Pool,
  listing: Listing<T>,
  q: DirectoryQuery,
  scope: DirectoryScope = {},
): Promise<{ count: number; results: T[] }> {
  const params: unknown[] = []
  const where = ['x.deleted_at IS NULL']
  if (scope.crew !== undefined && listing.crewRows) {
    params.push(scope.crew)
    where.push(listing.crewRows(`$${params.length}::uuid`))
  }
  for (const pattern of likeTerms(q.search)) {
    params.push(pattern)
    where.push(
      `(${listing.searched.map((col) => `x.${col} ILIKE $${params.length}`).join(' OR ')})`,
    )
  }
  const filter = where.join(' AND ')
  const count = `(SELECT count(*)::int FROM ${listing.table} x WHERE ${filter})`
  params.push(q.limit, q.offset)
  const text = `SELECT ${count} AS total, ${listing.columns} FROM ${listing.table} x
     WHERE ${filter} ORDER BY ${orderBy(q.ordering)}
     LIMIT $${params.length - 1} OFFSET $${params.length}`
  // Prepared for the usual shapes only: one order, no search or one term (see prepared.ts).
  const usual = params.length <= 3 && q.ordering.length === 1 && scope.crew === undefined
  const { rows } = await pool.query<Record<string, unknown> & { total: number }>(
    usual ? prepared(text) : text,
    params,
  )
  if (rows[0]) return { count: rows[0].total, results: rows.map(listing.map) }
  if (q.offset === 0) return { count: 0, results: [] }
  const { rows: counted } = await pool.query<{ total: number }>(
    `SELECT ${count} AS total`,
    params.slice(0, -2),
  )
  return { count: counted[0]?.total ?? 0, results: [] }
}

const iso = (v: unknown) => (v as Date).toISOString()
const decimal = (v: unknown) => (v === null ? null : Number(v))

const SERVICES: Listing<ServiceRow> = {
  table: 'services',
  columns: `x.id, x.name, x.description, x.priority, x.base_price::text AS base_price,
    x.duration_minutes, x.is_active, x.created_at, x.updated_at`,
  searched: ['name'],
  map: (r) => ({
    id: r.id as string,
    name: r.name as string,
    description: r.description as string,
    priority: r.priority as ServiceRow['priority'],
    base_price: r.base_price as string,
    duration_minutes: r.duration_minutes as number,
    duration_hours: Math.round(((r.duration_minutes as number) / 60) * 100) / 100,
    is_active: r.is_active as boolean,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  }),
}

const CLIENTS: Listing<ClientRow> = {
  table: 'clients',
  columns: `x.id, x.name, x.email, x.phone, x.address, x.postal_code, x.latitude,
    x.longitude, x.notes, x.created_at, x.updated_at`,
  searched: ['name'],
  // The clients of the jobs the crew lead may read (appointment-queries.ts).
  crewRows: (crew) => `x.id IN (SELECT a.client_id FROM appointments a
    WHERE a.team_member_id = ${crew} AND a.deleted_at IS NULL)`,
  map: (r) => ({
    id: r.id as string,
    name: r.name as string,
    email: r.email as string | null,
    phone: r.phone as string | null,
    address: r.address as string | null,
    postal_code: r.postal_code as string | null,
    latitude: decimal(r.latitude),
    longitude: decimal(r.longitude),
    notes: r.notes as string,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  }),
}

const TEAM: Listing<TeamMemberRow> = {
  table: 'team_members',
  // The specialties of the page's members only, in the same statement: live services only.
  columns: `x.id, x.name, x.email, x.phone, x.color, x.is_available, x.working_hours,
    x.working_days, x.created_at, x.updated_at, ARRAY(SELECT sp.service_id FROM team_member_specialties sp
      JOIN services s ON s.id = sp.service_id AND s.deleted_at IS NULL
      WHERE sp.team_member_id = x.id AND sp.deleted_at IS NULL ORDER BY sp.service_id
    ) AS specialties`,
  searched: ['name'],
  map: (r) => ({
    id: r.id as string,
    name: r.name as string,
    email: r.email as string | null,
    phone: r.phone as string | null,
    color: r.color as string,
    is_available: r.is_available as boolean,
    specialties: r.specialties as string[],
    working_hours: r.working_hours as string | null,
    working_days: r.working_days === null ? null : parseDays(r.working_days as string),
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  }),
}

export const listServices = (pool: pg.Pool, q: DirectoryQuery) => listLive(pool, SERVICES, q)
export const listClients = (pool: pg.Pool, q: DirectoryQuery, scope?: DirectoryScope) =>
  listLive(pool, CLIENTS, q, scope)
export const listTeamMembers = (pool: pg.Pool, q: DirectoryQuery) => listLive(pool, TEAM, q)
