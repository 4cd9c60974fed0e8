import type pg from 'pg'
import type { z } from 'zod'
import { uuidv7 } from '../shared/domain/ids'
import { checkJobWrite } from '../shared/domain/job-rules'
import { aRole, isManager, mayWriteTable } from '../shared/domain/permissions'
import { findClashes } from '../shared/domain/schedule'
import { ClockError, decode, MAX_DRIFT_MS } from '../shared/sync/hlc'
import {
  DELETED_FIELD,
  emptyRow,
  type FieldValue,
  mergeWrite,
  metVersion,
  type RowState,
} from '../shared/sync/merge'
import { type change, checkFields, type Mutation, type pushResult } from '../shared/sync/protocol'
import type { Device } from './tokens'

type PushResult = z.infer<typeof pushResult>

/** The advisory lock under which change numbers are taken. */
const SEQ_LOCK = 0x67_6b_73_71 // "gksq"
/** Fields whose change can make an appointment overlap another of the same crew. */
const BOOKING_FIELDS = [
  'scheduled_at',
  'duration_minutes',
  'team_member_id',
  'status',
  'deleted_at',
]
const DAY_MS = 86_400_000
type Change = z.infer<typeof change>

/**
 * What one push transaction has read and not yet written. The batch's rows are read
 * (and locked) in one query, mutations merge into them in memory, and the rows, the
 * mutation records and the double-booking checks are written once at the end: a batch
 * of 500 costs a handful of round trips, not thousands.
 */
interface Batch {
  rows: Map<string, RowState | undefined>
  changed: Map<string, { table: string; rowId: string }>
  /** Per appointment whose booking fields changed: the last mutation that changed them. */
  bookings: Map<string, Mutation>
  seen: Map<string, { status: string; reason: string | null }>
  records: {
    id: string
    status: string
    reason: string | null
    table: string
    rowId: string
    hlc: string
  }[]
}

const keyOf = (table: string, rowId: string) => `${table}:${rowId}`

async function readBatch(client: pg.PoolClient, mutations: Mutation[]): Promise<Batch> {
  const seen = await client.query<{ id: string; status: string; reason: string | null }>(
    'SELECT id, status, reason FROM sync_mutations WHERE id = ANY($1::uuid[])',
    [mutations.map((m) => m.id)],
  )
  const current = await client.query<{
    table_name: string
    row_id: string
    values: Record<string, FieldValue>
    versions: Record<string, string>
  }>(
    `SELECT table_name, row_id, values, versions FROM sync_rows
     WHERE (table_name, row_id) IN (SELECT * FROM unnest($1::text[], $2::uuid[]))
     ORDER BY table_name, row_id FOR UPDATE`,
    [mutations.map((m) => m.table), mutations.map((m) => m.rowId)],
  )
  const rows = new Map<string, RowState | undefined>()
  for (const r of current.rows) rows.set(keyOf(r.table_name, r.row_id), r)
  return {
    rows,
    changed: new Map(),
    bookings: new Map(),
    seen: new Map(seen.rows.map((r) => [r.id, r])),
    records: [],
  }
}

async function writeBatch(client: pg.PoolClient, device: Device, batch: Batch) {
  if (batch.changed.size) {
    // Numbers must be handed out in commit order, or a pull could pass a number whose
    // transaction commits later and miss it for good: `push` holds SEQ_LOCK to the commit.
    const rows = [...batch.changed.entries()].map(([key, { table, rowId }]) => {
      const row = batch.rows.get(key) as RowState
      return { t: table, r: rowId, v: row.values, ver: row.versions }
    })
    await client.query(
      `INSERT INTO sync_rows (table_name, row_id, values, versions, seq)
       SELECT x.t, x.r, x.v, x.ver, nextval('sync_seq')
       FROM jsonb_to_recordset($1::jsonb) AS x(t text, r uuid, v jsonb, ver jsonb)
       ON CONFLICT (table_name, row_id) DO UPDATE
         SET values = EXCLUDED.values, versions = EXCLUDED.versions, seq = EXCLUDED.seq, updated_at = now()`,
      [JSON.stringify(rows)],
    )
  }
  // After the rows are written, so that two overlapping jobs of one batch see each other.
  for (const [key, m] of batch.bookings) {
    await recordDoubleBookings(client, device, m, batch.rows.get(key) as RowState, batch)
  }
  if (batch.records.length) {
    await client.query(
      `INSERT INTO sync_mutations (id, device_id, status, reason, table_name, row_id, hlc)
       SELECT x.id, $2, x.status, x.reason, x.table, x."rowId", x.hlc
       FROM jsonb_to_recordset($1::jsonb)
         AS x(id uuid, status text, reason text, "table" text, "rowId" uuid, hlc text)`,
      [JSON.stringify(batch.records), device.id],
    )
  }
}

/**
 * Applies a batch of mutations from one device, in one transaction (one commit, one
 * fsync, for the whole batch). Each mutation is checked on its own (fields, role,
 * clock) and refused with a reason, while the rest of the batch applies. Each is
 * recorded by id with its effect, so a batch delivered twice applies once: the second
 * delivery gets `duplicate` with the first's outcome. Should the database refuse the
 * batch, it is applied again one mutation at a time, and the one it refuses is refused.
 *
 * The change-number lock (SEQ_LOCK) is taken first and held to the commit: writers
 * queue on it one batch at a time, so row locks are never taken in crossing orders
 * (no deadlocks), and numbers are handed out in commit order.
 */
export async function push(
  pool: pg.Pool,
  device: Device,
  mutations: Mutation[],
): Promise<PushResult[]> {
  const client = await pool.connect()
  try {
    try {
      return await inTransaction(client, async () => {
        const batch = await readBatch(client, mutations)
        const results: PushResult[] = []
        for (const m of mutations) results.push(await applyOne(client, device, m, batch))
        await writeBatch(client, device, batch)
        return results
      })
    } catch (e) {
      if (isConnectionFailure(e)) throw e
      return await inTransaction(client, async () => {
        const results: PushResult[] = []
        for (const m of mutations) results.push(await applyAlone(client, device, m))
        return results
      })
    }
  } finally {
    client.release()
  }
}

/** A connection or server failure: the batch ends and the device sends it again. */
const isConnectionFailure = (e: unknown) => {
  const code = (e as { code?: string }).code
  return !code || code.startsWith('08') || code.startsWith('57')
}

async function inTransaction<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN')
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SEQ_LOCK])
    const result = await fn()
    await client.query('COMMIT')
    return result
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {})
    throw e
  }
}

/** One mutation in its own savepoint, refused if the database will not take it. */
async function applyAlone(client: pg.PoolClient, device: Device, m: Mutation) {
  await client.query('SAVEPOINT mutation')
  try {
    const batch = await readBatch(client, [m])
    const result = await applyOne(client, device, m, batch)
    await writeBatch(client, device, batch)
    await client.query('RELEASE SAVEPOINT mutation')
    return result
  } catch (e) {
    await client.query('ROLLBACK TO SAVEPOINT mutation')
    if (isConnectionFailure(e)) throw e
    console.error('mutation could not be applied', (e as { code?: string }).code)
    const batch = await readBatch(client, [m])
    const result = record(batch, m, 'rejected', 'the server could not apply it')
    await writeBatch(client, device, batch)
    return result
  }
}

function record(batch: Batch, m: Mutation, status: PushResult['status'], reason?: string) {
  batch.records.push({
    id: m.id,
    status,
    reason: reason ?? null,
    table: m.table,
    rowId: m.rowId,
    hlc: m.hlc,
  })
  batch.seen.set(m.id, { status, reason: reason ?? null })
  return { id: m.id, status, ...(reason ? { reason } : {}) }
}

async function applyOne(
  client: pg.PoolClient,
  device: Device,
  m: Mutation,
  batch: Batch,
): Promise<PushResult> {
  const seen = batch.seen.get(m.id)
  if (seen)
    return { id: m.id, status: 'duplicate', ...(seen.reason ? { reason: seen.reason } : {}) }
  const invalid = checkFields(m.table, m.fields)
  if (invalid) return record(batch, m, 'rejected', invalid)
  if (!mayWriteTable(device.role, m.table)) {
    return record(
      batch,
      m,
      'rejected',
      `${aRole(device.role)} may not change ${m.table.replaceAll('_', ' ')}`,
    )
  }
  let atMs: number
  try {
    atMs = decode(m.hlc).ms
    if (atMs - Date.now() > MAX_DRIFT_MS) throw new ClockError('clock ahead')
  } catch {
    return record(batch, m, 'rejected', "the device's clock is too far ahead")
  }
  const key = keyOf(m.table, m.rowId)
  const existing = batch.rows.get(key)
  const before: RowState = existing ?? emptyRow()
  if (m.table === 'appointments') {
    const refusal = checkJobWrite({
      writer: { role: device.role, teamMemberId: device.teamMemberId },
      before: existing ? existing.values : null,
      fields: m.fields,
      atMs,
      // A column whose stored version is newer keeps its value: writing it changes nothing.
      effective: (f) =>
        !existing ||
        !(Object.hasOwn(existing.versions, f) && (existing.versions[f] as string) >= m.hlc),
      sawStatus:
        !existing ||
        !Object.hasOwn(existing.versions, 'status') ||
        m.base?.status === existing.versions.status,
      ...(!existing && !isManager(device.role) ? await followUpContext(client, m, batch) : {}),
    })
    if (refusal) return record(batch, m, 'rejected', refusal.reason)
  }
  const write = { hlc: m.hlc, fields: m.fields as Record<string, FieldValue> }
  const met = existing ? metVersion(before, write, m.base) : null
  const { row, changed } = mergeWrite(before, write)
  if (changed.length) {
    batch.rows.set(key, row)
    batch.changed.set(key, { table: m.table, rowId: m.rowId })
  }
  if (met !== null) await recordEditAndDelete(client, device, m, met, batch, before)
  if (m.table === 'appointments' && changed.some((f) => BOOKING_FIELDS.includes(f))) {
    batch.bookings.set(key, m)
  }
  return record(batch, m, 'applied')
}

/** A row's values as this transaction sees them: written earlier in the batch, or stored. */
async function currentValues(
  client: pg.PoolClient,
  batch: Batch,
  table: string,
  rowId: unknown,
): Promise<Record<string, FieldValue> | null> {
  if (typeof rowId !== 'string') return null
  const pending = batch.rows.get(keyOf(table, rowId))
  if (pending) return pending.values
  const { rows } = await client.query<{ values: Record<string, FieldValue> }>(
    'SELECT values FROM sync_rows WHERE table_name = $1 AND row_id = $2',
    [table, rowId],
  )
  return rows[0]?.values ?? null
}

/** What a crew lead's new job is checked against: the job it follows and the service it books. */
async function followUpContext(client: pg.PoolClient, m: Mutation, batch: Batch) {
  const original = await currentValues(client, batch, 'appointments', m.fields.follow_up_of_id)
  const service = await currentValues(client, batch, 'services', m.fields.service_id)
  return {
    original,
    service:
      service && typeof service.base_price === 'string'
        ? {
            basePrice: service.base_price,
            active: service.is_active !== false && !service.deleted_at,
          }
        : null,
  }
}

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
async function recordEditAndDelete(
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

/** The newest of the versions that place an appointment in a crew's day. */
export const bookingVersion = (versions: Record<string, string>): string | null =>
  [versions.scheduled_at, versions.team_member_id].reduce<string | null>(
    (newest, v) => (v !== undefined && (newest === null || v > newest) ? v : newest),
    null,
  )

/** A calendar date (YYYY-MM-DD) `days` away from an instant, or null off the 4-digit years. */
const dateNear = (ms: number, days: number) => {
  const d = new Date(ms + days * DAY_MS).toISOString().slice(0, 10)
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : null
}

/**
 * Records each live appointment of the same crew that this one, as merged, now overlaps.
 * The other one was booked first, so it is the conflict's row and this one the row that
 * overlapped it; a pair already open is not recorded again. The check runs after this
 * row is written, and pushes apply one batch at a time (see `push`): of two overlapping
 * bookings landing at once, the later sees the earlier.
 */
async function recordDoubleBookings(
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
  // Instants are compared here, not in SQL: every stored ISO instant parses in JS, not all
  // in PostgreSQL. The local dates narrow the candidates: a job lasts at most a day and an
  // offset moves a date by at most one.
  const { rows } = await client.query<{
    row_id: string
    scheduled_at: string | null
    duration_minutes: string | null
    status: string | null
    versions: Record<string, string>
  }>(
    `SELECT r.row_id, r.values->>'scheduled_at' AS scheduled_at, r.values->>'status' AS status,
       r.values->>'duration_minutes' AS duration_minutes, r.versions
     FROM sync_rows r
     WHERE r.table_name = 'appointments' AND r.values->>'team_member_id' = $1
       AND r.row_id <> $2
       AND r.values->>'deleted_at' IS NULL
       AND r.values->>'status' IS DISTINCT FROM 'cancelled'
       AND left(r.values->>'scheduled_at', 10) COLLATE "C" >= $3
       AND left(r.values->>'scheduled_at', 10) COLLATE "C" <= $4
       AND NOT EXISTS (
         SELECT 1 FROM sync_conflicts c
         WHERE c.kind = 'double_booking' AND c.resolved_at IS NULL
           AND ((c.row_id = r.row_id AND c.other_row_id = $2)
             OR (c.row_id = $2 AND c.other_row_id = r.row_id)))
     ORDER BY r.values->>'scheduled_at', r.row_id`,
    [crew, m.rowId, dateNear(start, -3) ?? '0000-01-01', dateNear(end, 3) ?? '9999-12-31'],
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

/**
 * Everything changed after `cursor`, in sequence order; the new cursor is the last
 * sequence number returned. Numbers are taken in commit order (see SEQ_LOCK), so a
 * change that commits later always gets a larger number than any a pull has seen.
 */
export async function pull(pool: pg.Pool, cursor: number, limit: number) {
  const { rows } = await pool.query<{
    seq: string
    table_name: Change['table']
    row_id: string
    values: Record<string, FieldValue>
    versions: Record<string, string>
  }>(
    'SELECT seq, table_name, row_id, values, versions FROM sync_rows WHERE seq > $1 ORDER BY seq LIMIT $2',
    [cursor, limit + 1],
  )
  const page = rows.slice(0, limit)
  const changes: Change[] = page.map((r) => ({
    seq: Number(r.seq),
    table: r.table_name,
    rowId: r.row_id,
    values: r.values,
    versions: r.versions,
  }))
  return { changes, cursor: changes.at(-1)?.seq ?? cursor, more: rows.length > limit }
}
