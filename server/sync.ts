import type pg from 'pg'
import type { z } from 'zod'
import { uuidv7 } from '../shared/domain/ids'
import { ClockError, decode, MAX_DRIFT_MS } from '../shared/sync/hlc'
import {
  editMeetsDelete,
  emptyRow,
  type FieldValue,
  mergeWrite,
  type RowState,
} from '../shared/sync/merge'
import {
  type change,
  checkFields,
  type Mutation,
  type pushResult,
  roleMayWrite,
} from '../shared/sync/protocol'
import type { Device } from './tokens'

type PushResult = z.infer<typeof pushResult>

/** The advisory lock under which change numbers are taken. */
const SEQ_LOCK = 0x67_6b_73_71 // "gksq"
type Change = z.infer<typeof change>

/**
 * Applies a batch of mutations from one device. Each mutation is checked on its own
 * (fields, role, clock) and refused with a reason, while the rest of the batch applies.
 * Each is recorded by id in the same transaction as its effect, so a batch delivered
 * twice applies once: the second delivery gets `duplicate` with the first's outcome.
 */
export async function push(
  pool: pg.Pool,
  device: Device,
  mutations: Mutation[],
): Promise<PushResult[]> {
  const client = await pool.connect()
  const results: PushResult[] = []
  try {
    for (const m of mutations) {
      await client.query('BEGIN')
      try {
        const result = await applyOne(client, device, m)
        await client.query('COMMIT')
        results.push(result)
      } catch (e) {
        await client.query('ROLLBACK')
        // Two deliveries of one id racing on two instances: the loser reports a duplicate.
        if ((e as { code?: string }).code === '23505')
          results.push({ id: m.id, status: 'duplicate' })
        else throw e
      }
    }
  } finally {
    client.release()
  }
  return results
}

async function record(
  client: pg.PoolClient,
  device: Device,
  m: Mutation,
  status: string,
  reason?: string,
) {
  await client.query(
    'INSERT INTO sync_mutations (id, device_id, status, reason) VALUES ($1, $2, $3, $4)',
    [m.id, device.id, status, reason ?? null],
  )
  return { id: m.id, status: status as PushResult['status'], ...(reason ? { reason } : {}) }
}

async function applyOne(client: pg.PoolClient, device: Device, m: Mutation): Promise<PushResult> {
  const seen = await client.query<{ status: string; reason: string | null }>(
    'SELECT status, reason FROM sync_mutations WHERE id = $1',
    [m.id],
  )
  if (seen.rows[0]) {
    return {
      id: m.id,
      status: 'duplicate',
      ...(seen.rows[0].reason ? { reason: seen.rows[0].reason } : {}),
    }
  }
  const invalid = checkFields(m.table, m.fields)
  if (invalid) return record(client, device, m, 'rejected', invalid)
  if (!roleMayWrite(device.role, m.table, m.fields)) {
    return record(
      client,
      device,
      m,
      'rejected',
      `a ${device.role.replace('_', ' ')} may not change these fields`,
    )
  }
  try {
    if (decode(m.hlc).ms - Date.now() > MAX_DRIFT_MS) throw new ClockError('clock ahead')
  } catch {
    return record(client, device, m, 'rejected', "the device's clock is too far ahead")
  }
  const current = await client.query<{
    values: Record<string, FieldValue>
    versions: Record<string, string>
  }>('SELECT values, versions FROM sync_rows WHERE table_name = $1 AND row_id = $2 FOR UPDATE', [
    m.table,
    m.rowId,
  ])
  const before: RowState = current.rows[0] ?? emptyRow()
  // A crew lead's device changes only jobs that exist and belong to its crew.
  if (device.role === 'crew_lead') {
    const crew = before.values.team_member_id
    if (!current.rows[0] || !device.teamMemberId || crew !== device.teamMemberId) {
      return record(
        client,
        device,
        m,
        'rejected',
        'a crew lead may only change the jobs of their own crew',
      )
    }
  }
  const write = { hlc: m.hlc, fields: m.fields as Record<string, FieldValue> }
  const { row, changed } = mergeWrite(before, write)
  if (current.rows[0] && editMeetsDelete(before, write)) {
    await client.query(
      `INSERT INTO sync_conflicts (id, kind, table_name, row_id, mutation_id, device_id)
       VALUES ($1, 'edit_and_delete', $2, $3, $4, $5)`,
      [uuidv7(), m.table, m.rowId, m.id, device.id],
    )
  }
  if (changed.length) {
    // Numbers must be handed out in commit order, or a pull could pass a number whose
    // transaction commits later and miss it for good: take them under one lock, held
    // until this (short) transaction commits.
    await client.query('SELECT pg_advisory_xact_lock($1)', [SEQ_LOCK])
    await client.query(
      `INSERT INTO sync_rows (table_name, row_id, values, versions, seq)
       VALUES ($1, $2, $3, $4, nextval('sync_seq'))
       ON CONFLICT (table_name, row_id) DO UPDATE
         SET values = EXCLUDED.values, versions = EXCLUDED.versions, seq = EXCLUDED.seq, updated_at = now()`,
      [m.table, m.rowId, JSON.stringify(row.values), JSON.stringify(row.versions)],
    )
  }
  return record(client, device, m, 'applied')
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
