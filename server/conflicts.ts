import type pg from 'pg'
import type { z } from 'zod'
import { decode } from '../shared/sync/hlc'
import { clockOf, DELETED_FIELD, type FieldValue } from '../shared/sync/merge'
import {
  type Conflict,
  type ConflictKind,
  conflict as conflictSchema,
  type conflictSide,
  type conflictsRequest,
  RESOLUTIONS,
  type Resolution,
  type SyncedTable,
} from '../shared/sync/protocol'
import { bookingVersion } from './conflict-recording'
import { valuesOf } from './upgrade'

/**
 * Business conflicts as an office manager sees them: each with its two sides (what each
 * device wrote, who and when) and, once settled, the decision. Resolving records the
 * decision only; the data change it implies arrives as ordinary mutations.
 */
type Side = z.infer<typeof conflictSide>
type Values = Record<string, FieldValue>

interface ConflictRow {
  id: string
  kind: ConflictKind
  table_name: Conflict['table']
  row_id: string
  other_row_id: string | null
  fields: Values | null
  before: Values | null
  hlc: string | null
  other_hlc: string | null
  detected_at: Date
  resolved_at: Date | null
  resolution: Resolution | null
  row_values: Values | null
  row_versions: Record<string, string> | null
  other_values: Values | null
  other_versions: Record<string, string> | null
  device_label: string | null
  device_user: string | null
  other_label: string | null
  other_user: string | null
}

const SELECT = `
  SELECT c.id, c.kind, c.table_name, c.row_id, c.other_row_id, c.fields, c.before, c.hlc, c.other_hlc,
    c.detected_at, c.resolved_at, c.resolution,
    NULL::jsonb AS row_values, r.versions AS row_versions,
    NULL::jsonb AS other_values, o.versions AS other_versions,
    d.label AS device_label, d.user_name AS device_user,
    od.label AS other_label, od.user_name AS other_user
  FROM sync_conflicts c
  LEFT JOIN sync_rows r ON r.table_name = c.table_name AND r.row_id = c.row_id
  LEFT JOIN sync_rows o ON o.table_name = c.table_name AND o.row_id = c.other_row_id
  LEFT JOIN sync_devices d ON d.id = c.device_id
  LEFT JOIN sync_devices od ON od.id = c.other_device_id`

/** The wall time a clock value was taken at, or null for none (or an unreadable one). */
export function hlcTime(hlc: string | null | undefined): string | null {
  if (!hlc) return null
  try {
    return new Date(decode(hlc).ms).toISOString()
  } catch {
    return null
  }
}

const by = (label: string | null, user: string | null): Side['by'] =>
  label !== null && user !== null ? { device: label, user } : null

type Writers = Map<string, { device: string; user: string }>
const writerKey = (table: string, rowId: string, hlc: string) => `${table}\n${rowId}\n${hlc}`

/** The devices whose applied mutations wrote the given versions, in one query. */
async function writersOf(
  pool: pg.Pool,
  wanted: { table: string; rowId: string; hlc: string }[],
): Promise<Writers> {
  const writers: Writers = new Map()
  if (!wanted.length) return writers
  const { rows } = await pool.query<{
    table_name: string
    row_id: string
    hlc: string
    label: string
    user_name: string
  }>(
    `SELECT DISTINCT ON (m.table_name, m.row_id, m.hlc) m.table_name, m.row_id, m.hlc,
       d.label, d.user_name
     FROM sync_mutations m
     JOIN sync_devices d ON d.id = m.device_id
     JOIN unnest($1::text[], $2::uuid[], $3::text[]) AS w(table_name, row_id, hlc)
       ON w.table_name = m.table_name AND w.row_id = m.row_id AND w.hlc = m.hlc
     WHERE m.status = 'applied'
     ORDER BY m.table_name, m.row_id, m.hlc, m.received_at`,
    [wanted.map((w) => w.table), wanted.map((w) => w.rowId), wanted.map((w) => w.hlc)],
  )
  for (const r of rows) {
    writers.set(writerKey(r.table_name, r.row_id, r.hlc), { device: r.label, user: r.user_name })
  }
  return writers
}

const isDeletion = (fields: Values | null) =>
  !!fields && fields[DELETED_FIELD] !== undefined && fields[DELETED_FIELD] !== null

/**
 * edit_and_delete: [the deleted row, the edit]. The stored write is whichever of the two
 * arrived second; the other side is the version it met. When the deletion arrived second,
 * the edit is shown as the fields its version still holds.
 */
function editAndDeleteSides(c: ConflictRow): [Side, Side] {
  const current = c.row_values ?? {}
  const versions = c.row_versions ?? {}
  const stored = c.fields ?? {}
  if (isDeletion(c.fields)) {
    const edited: Values = {}
    for (const [f, v] of Object.entries(versions)) {
      if (clockOf(v) === c.other_hlc && f in current) edited[f] = current[f] ?? null
    }
    return [
      {
        rowId: c.row_id,
        by: by(c.device_label, c.device_user),
        at: hlcTime(c.hlc),
        values: current,
      },
      {
        rowId: c.row_id,
        by: by(c.other_label, c.other_user),
        at: hlcTime(c.other_hlc),
        values: edited,
      },
    ]
  }
  return [
    {
      rowId: c.row_id,
      by: by(c.other_label, c.other_user),
      at: hlcTime(c.other_hlc ?? (versions[DELETED_FIELD] && clockOf(versions[DELETED_FIELD]))),
      // The deleted row as the edit found it (as it is now, for older records).
      values: c.before ?? current,
    },
    { rowId: c.row_id, by: by(c.device_label, c.device_user), at: hlcTime(c.hlc), values: stored },
  ]
}

/** double_booking: [the appointment booked first, the one that overlapped it], as they are now. */
function doubleBookingSide(
  table: string,
  rowId: string,
  values: Values | null,
  versions: Record<string, string> | null,
  writers: Writers,
): Side {
  const version = bookingVersion(versions ?? {})
  return {
    rowId,
    by: (version && writers.get(writerKey(table, rowId, version))) || null,
    at: hlcTime(version),
    values: values ?? {},
  }
}

/** Fills in both sides' current values from their domain tables, one query per table. */
async function withValues(pool: pg.Pool, rows: ConflictRow[]): Promise<void> {
  const ids = new Map<SyncedTable, string[]>()
  for (const c of rows) {
    const list = ids.get(c.table_name) ?? []
    list.push(c.row_id, ...(c.other_row_id ? [c.other_row_id] : []))
    ids.set(c.table_name, list)
  }
  const found = new Map<string, Values>()
  for (const [table, list] of ids) {
    for (const [id, values] of await valuesOf(pool, table, list))
      found.set(`${table}:${id}`, values)
  }
  for (const c of rows) {
    c.row_values = found.get(`${c.table_name}:${c.row_id}`) ?? null
    c.other_values = c.other_row_id
      ? (found.get(`${c.table_name}:${c.other_row_id}`) ?? null)
      : null
  }
}

async function toConflicts(pool: pg.Pool, rows: ConflictRow[]): Promise<Conflict[]> {
  await withValues(pool, rows)
  const wanted: { table: string; rowId: string; hlc: string }[] = []
  for (const c of rows) {
    if (c.kind !== 'double_booking') continue
    const sides: [string | null, Record<string, string> | null][] = [
      [c.row_id, c.row_versions],
      [c.other_row_id, c.other_versions],
    ]
    for (const [rowId, versions] of sides) {
      const hlc = bookingVersion(versions ?? {})
      if (rowId && hlc) wanted.push({ table: c.table_name, rowId, hlc })
    }
  }
  const writers = await writersOf(pool, wanted)
  return rows.map((c) =>
    conflictSchema.parse({
      id: c.id,
      kind: c.kind,
      table: c.table_name,
      rowId: c.row_id,
      detectedAt: c.detected_at.toISOString(),
      resolvedAt: c.resolved_at?.toISOString() ?? null,
      resolution: c.resolution,
      sides:
        c.kind === 'double_booking'
          ? [
              doubleBookingSide(c.table_name, c.row_id, c.row_values, c.row_versions, writers),
              doubleBookingSide(
                c.table_name,
                c.other_row_id ?? c.row_id,
                c.other_values,
                c.other_versions,
                writers,
              ),
            ]
          : editAndDeleteSides(c),
    }),
  )
}

/** Conflicts newest first: open ones (the default), resolved ones, or all. */
export async function listConflicts(
  pool: pg.Pool,
  query: z.infer<typeof conflictsRequest>,
): Promise<Conflict[]> {
  const { rows } = await pool.query<ConflictRow>(
    `${SELECT}
     WHERE $1 = 'all' OR ($1 = 'open') = (c.resolved_at IS NULL)
     ORDER BY c.detected_at DESC, c.id DESC
     LIMIT $2`,
    [query.status, query.limit],
  )
  return toConflicts(pool, rows)
}

export async function getConflict(pool: pg.Pool, id: string): Promise<Conflict | null> {
  const { rows } = await pool.query<ConflictRow>(`${SELECT} WHERE c.id = $1`, [id])
  return (await toConflicts(pool, rows))[0] ?? null
}

export type ResolveOutcome =
  | { ok: true; conflict: Conflict }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'already_resolved' }
  | { ok: false; reason: 'wrong_kind'; kind: ConflictKind }

/**
 * Records an office decision on an open conflict. `resolvedBy` is the deciding device
 * (null from the command line). A resolution must be one of its kind's.
 */
export async function resolveConflict(
  pool: pg.Pool,
  input: { id: string; resolution: Resolution; resolvedBy: string | null },
): Promise<ResolveOutcome> {
  const kinds = (Object.keys(RESOLUTIONS) as ConflictKind[]).filter((k) =>
    (RESOLUTIONS[k] as readonly string[]).includes(input.resolution),
  )
  const { rowCount } = await pool.query(
    `UPDATE sync_conflicts SET resolved_at = now(), resolution = $2, resolved_by = $3
     WHERE id = $1 AND resolved_at IS NULL AND kind = ANY($4::text[])`,
    [input.id, input.resolution, input.resolvedBy, kinds],
  )
  if (!rowCount) {
    const { rows } = await pool.query<{ kind: ConflictKind; resolved_at: Date | null }>(
      'SELECT kind, resolved_at FROM sync_conflicts WHERE id = $1',
      [input.id],
    )
    const found = rows[0]
    if (!found) return { ok: false, reason: 'not_found' }
    if (found.resolved_at) return { ok: false, reason: 'already_resolved' }
    return { ok: false, reason: 'wrong_kind', kind: found.kind }
  }
  const conflict = await getConflict(pool, input.id)
  if (!conflict) return { ok: false, reason: 'not_found' }
  return { ok: true, conflict }
}
