import type pg from 'pg'
import { uuidv7 } from '../shared/domain/ids'
import { findClashes } from '../shared/domain/schedule'
import { clockOf, DELETED_FIELD, type RowState } from '../shared/sync/merge'
import type { Mutation } from '../shared/sync/protocol'
import type { Batch } from './push-batch'
import { wireColumn } from './rows'
import type { Device } from './tokens'

/**
 * Business conflicts a push reveals, recorded in its transaction for an office manager:
 * an edit and a deletion that had not seen each other, and one crew booked twice.
 */
const DAY_MS = 86_400_000

/** The device whose applied mutation wrote `hlc` to the row, if it is known. */
async function writerOf(
  client: pg.PoolClient,
  device: Device,
  batch: Batch,
  table: string,
  rowId: string,
  hlc: string,
): Promise<string | null> {
  const pending = batch.records.find(
    (r) => r.table === table && r.rowId === rowId && r.hlc === hlc && r.status === 'applied',
  )
  if (pending) return device.id
  const { rows } = await client.query<{ device_id: string }>(
    `SELECT device_id FROM sync_mutations
     WHERE table_name = $1 AND row_id = $2 AND hlc = $3 AND status = 'applied' LIMIT 1`,
    [table, rowId, hlc],
  )
  return rows[0]?.device_id ?? null
}

/**
 * An edit and a deletion that had not seen each other. Several offline edits from one
 * device meeting the same deletion are one conflict: its fields gather them all.
 */
export async function recordEditAndDelete(
  client: pg.PoolClient,
  device: Device,
  m: Mutation,
  met: string,
  batch: Batch,
  /** The row as it was before this write merged in. */
  before: RowState,
) {
  const deleting = m.fields[DELETED_FIELD] !== undefined && m.fields[DELETED_FIELD] !== null
  if (!deleting) {
    const { rowCount } = await client.query(
      `UPDATE sync_conflicts
       SET fields = fields || $4::jsonb, hlc = greatest(hlc COLLATE "C", $5), mutation_id = $6
       WHERE kind = 'edit_and_delete' AND resolved_at IS NULL AND table_name = $1
         AND row_id = $2 AND other_hlc = $3 AND device_id = $7
         AND NOT (fields ? '${DELETED_FIELD}')`,
      [m.table, m.rowId, met, JSON.stringify(m.fields), m.hlc, m.id, device.id],
    )
    if (rowCount) return
  }
  await client.query(
    `INSERT INTO sync_conflicts
       (id, kind, table_name, row_id, mutation_id, device_id, fields, hlc, other_device_id, other_hlc, before)
     VALUES ($1, 'edit_and_delete', $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      uuidv7(),
      m.table,
      m.rowId,
      m.id,
      device.id,
      JSON.stringify(m.fields),
      m.hlc,
      await writerOf(client, device, batch, m.table, m.rowId, met),
      met,
      deleting ? null : JSON.stringify(before.values),
    ],
  )
}

/** The clock value of the newest of the versions that place an appointment in a crew's day. */
export const bookingVersion = (versions: Record<string, string>): string | null =>
  [versions.scheduled_at, versions.team_member_id]
    .filter((v): v is string => v !== undefined)
    .map(clockOf)
    .reduce<string | null>((newest, v) => (newest === null || v > newest ? v : newest), null)

const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z')
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z')
/** An instant as PostgreSQL reads it, kept within the 4-digit years the protocol allows. */
const instantNear = (ms: number) =>
  new Date(Math.min(Math.max(ms, FIRST_INSTANT), LAST_INSTANT)).toISOString()

/**
 * Records each live appointment of the same crew that this one, as merged, now overlaps.
 * The other one was booked first, so it is the conflict's row and this one the row that
 * overlapped it; a pair already open is not recorded again. The check runs after this
 * row is written, and pushes apply one batch at a time (see `push`): of two overlapping
 * bookings landing at once, the later sees the earlier.
 */
export async function recordDoubleBookings(
  client: pg.PoolClient,
  device: Device,
  m: Mutation,
  row: RowState,
  batch: Batch,
) {
  const v = row.values
  const crew = v.team_member_id
  const start = typeof v.scheduled_at === 'string' ? Date.parse(v.scheduled_at) : Number.NaN
  const minutes = v.duration_minutes
  if (v.deleted_at !== undefined && v.deleted_at !== null) return
  if (v.status === 'cancelled' || typeof crew !== 'string') return
  if (Number.isNaN(start) || typeof minutes !== 'number') return
  const end = start + minutes * 60_000
  // A job lasts at most a day: the candidates start from a day before this one to its end.
  const { rows } = await client.query<{
    row_id: string
    scheduled_at: string | null
    duration_minutes: number | null
    status: string | null
    versions: Record<string, string>
  }>(
    `SELECT a.id AS row_id, ${wireColumn('a', 'scheduled_at')} AS scheduled_at, a.status,
       a.duration_minutes, r.versions
     FROM appointments a
     JOIN sync_rows r ON r.table_name = 'appointments' AND r.row_id = a.id
     WHERE a.team_member_id = $1 AND a.id <> $2
       AND a.deleted_at IS NULL AND a.status <> 'cancelled'
       AND a.scheduled_at >= $3::timestamptz AND a.scheduled_at < $4::timestamptz
       AND NOT EXISTS (
         SELECT 1 FROM sync_conflicts c
         WHERE c.kind = 'double_booking' AND c.resolved_at IS NULL
           AND ((c.row_id = a.id AND c.other_row_id = $2)
             OR (c.row_id = $2 AND c.other_row_id = a.id)))
     ORDER BY a.scheduled_at, a.id`,
    [crew, m.rowId, instantNear(start - DAY_MS), instantNear(end)],
  )
  const accepted = new Set(m.accepted ?? [])
  // The query narrows the candidates; which of them clash is the shared rule's call.
  const others = rows
    .filter((o) => !accepted.has(o.row_id)) // the user saw this overlap and kept it
    .map((o) => ({
      id: o.row_id,
      teamMemberId: crew,
      startMs: Date.parse(o.scheduled_at ?? ''),
      durationMinutes: Number(o.duration_minutes ?? Number.NaN),
      status: o.status ?? 'scheduled',
    }))
    .filter((o) => !Number.isNaN(o.startMs) && !Number.isNaN(o.durationMinutes))
  const candidate = { id: m.rowId, teamMemberId: crew, startMs: start, durationMinutes: minutes }
  const clashing = new Set(
    findClashes({ ...candidate, status: String(v.status) }, others).map((c) => c.id),
  )
  for (const other of rows) {
    if (!clashing.has(other.row_id)) continue
    const otherHlc = bookingVersion(other.versions)
    await client.query(
      `INSERT INTO sync_conflicts (id, kind, table_name, row_id, other_row_id, mutation_id,
         device_id, fields, hlc, other_device_id, other_hlc)
       VALUES ($1, 'double_booking', 'appointments', $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        uuidv7(),
        other.row_id,
        m.rowId,
        m.id,
        device.id,
        JSON.stringify(m.fields),
        m.hlc,
        otherHlc && (await writerOf(client, device, batch, 'appointments', other.row_id, otherHlc)),
        otherHlc,
      ],
    )
  }
}
