import type pg from 'pg'
import type { z } from 'zod'
import { checkJobWrite } from '../shared/domain/job-rules'
import { aRole, isManager, mayWriteTable } from '../shared/domain/permissions'
import {
  keepStarted,
  nextReplaced,
  type Replaced,
  restoredException,
} from '../shared/domain/series'
import { sameValue } from '../shared/events/derive'
import { APPLY_ORDER } from '../shared/sync/columns'
import { ClockError, decode, MAX_DRIFT_MS } from '../shared/sync/hlc'
import {
  clockOf,
  DELETED_FIELD,
  DERIVED_MARK,
  emptyRow,
  type FieldValue,
  type FieldWrite,
  isDerived,
  mergeWrite,
  metVersion,
  type RowState,
  writeVersion,
} from '../shared/sync/merge'
import {
  checkFields,
  type Mutation,
  type pushResult,
  SYNCED_FIELDS,
  type SyncedTable,
} from '../shared/sync/protocol'
import { rowRefusal } from '../shared/sync/row-rules'
import { recordDoubleBookings, recordEditAndDelete } from './conflict-recording'
import { recordEvents } from './events/outbox'
import { type Batch, keyOf } from './push-batch'
import { hasTable, syncRowsHas, writeValues } from './rows'
import type { Device } from './tokens'
import { placeReferenced, SEQ_LOCK, valuesOf } from './upgrade'

type PushResult = z.infer<typeof pushResult>

/** Fields whose change can make an appointment overlap another of the same crew. */
const BOOKING_FIELDS = [
  'scheduled_at',
  'duration_minutes',
  'team_member_id',
  'status',
  'deleted_at',
]

/**
 * What the pool's database keeps beside the rows: what the series' writes replaced
 * (server migration 0011) and every crew each job was given to (0013, for the crew
 * leads' pulls). A server upgraded from the JSON store takes pushes before those
 * migrations run (SERVE_WHILE_MOVING): until then, pushes keep neither.
 */
interface Kept {
  replaced: boolean
  crews: boolean
}
const keptBy = new WeakMap<pg.Pool, Kept>()

async function keeps(pool: pg.Pool): Promise<Kept> {
  const known = keptBy.get(pool)
  if (known?.replaced && known.crews) return known
  const kept = {
    replaced: await syncRowsHas(pool, 'replaced'),
    crews: await hasTable(pool, 'appointment_crews'),
  }
  keptBy.set(pool, kept)
  return kept
}

async function readBatch(
  client: pg.PoolClient,
  mutations: Mutation[],
  history: Kept,
): Promise<Batch> {
  const seen = await client.query<{ id: string; status: string; reason: string | null }>(
    'SELECT id, status, reason FROM sync_mutations WHERE id = ANY($1::uuid[])',
    [mutations.map((m) => m.id)],
  )
  // The versions rows are locked: the domain rows are only written with them.
  const current = await client.query<{
    table_name: SyncedTable
    row_id: string
    versions: Record<string, string>
    replaced?: Replaced
  }>(
    `SELECT table_name, row_id, versions${history.replaced ? ', replaced' : ''} FROM sync_rows
     WHERE (table_name, row_id) IN (SELECT * FROM unnest($1::text[], $2::uuid[]))
     ORDER BY table_name, row_id FOR UPDATE`,
    [mutations.map((m) => m.table), mutations.map((m) => m.rowId)],
  )
  const rows = new Map<string, RowState | undefined>()
  for (const table of new Set(current.rows.map((r) => r.table_name))) {
    const mine = current.rows.filter((r) => r.table_name === table)
    const values = await valuesOf(
      client,
      table,
      mine.map((r) => r.row_id),
    )
    for (const r of mine) {
      rows.set(keyOf(table, r.row_id), { values: values.get(r.row_id) ?? {}, versions: r.versions })
    }
  }
  const replaced = new Map(
    current.rows.flatMap((r) =>
      r.replaced && Object.keys(r.replaced).length
        ? [[keyOf(r.table_name, r.row_id), r.replaced] as const]
        : [],
    ),
  )
  return {
    rows,
    replaced: history.replaced ? replaced : null,
    keepsCrews: history.crews,
    changed: new Map(),
    before: new Map(),
    uploaded: new Set(),
    bookings: new Map(),
    seen: new Map(seen.rows.map((r) => [r.id, r])),
    records: [],
  }
}

async function writeBatch(
  client: pg.PoolClient,
  device: Device,
  batch: Batch,
  correlationId?: string,
) {
  if (batch.changed.size) {
    const changed = [...batch.changed.entries()].map(([key, { table, rowId }]) => ({
      table,
      rowId,
      row: batch.rows.get(key) as RowState,
    }))
    // Referenced tables first, so a batch that adds a client and its job satisfies the keys.
    for (const table of APPLY_ORDER) {
      const mine = changed.filter((c) => c.table === table)
      if (!mine.length) continue
      await placeReferenced(
        client,
        table,
        mine.map((c) => c.row.values),
      )
      await writeValues(
        client,
        table,
        mine.map((c) => ({ id: c.rowId, values: c.row.values, versions: c.row.versions })),
      )
    }
    // Numbers must be handed out in commit order, or a pull could pass a number whose
    // transaction commits later and miss it for good: `push` holds SEQ_LOCK to the commit.
    await client.query(
      batch.replaced
        ? `INSERT INTO sync_rows (table_name, row_id, versions, replaced, seq)
           SELECT x.t, x.r, x.ver, x.rep, nextval('sync_seq')
           FROM jsonb_to_recordset($1::jsonb) AS x(t text, r uuid, ver jsonb, rep jsonb)
           ON CONFLICT (table_name, row_id) DO UPDATE
             SET versions = EXCLUDED.versions, replaced = EXCLUDED.replaced,
               seq = EXCLUDED.seq, updated_at = now()`
        : `INSERT INTO sync_rows (table_name, row_id, versions, seq)
           SELECT x.t, x.r, x.ver, nextval('sync_seq')
           FROM jsonb_to_recordset($1::jsonb) AS x(t text, r uuid, ver jsonb)
           ON CONFLICT (table_name, row_id) DO UPDATE
             SET versions = EXCLUDED.versions, seq = EXCLUDED.seq, updated_at = now()`,
      [
        JSON.stringify(
          changed.map((c) => ({
            t: c.table,
            r: c.rowId,
            ver: c.row.versions,
            rep: batch.replaced?.get(keyOf(c.table, c.rowId)) ?? {},
          })),
        ),
      ],
    )
    // The batch's domain events (server/events), in this transaction: none if it rolls back.
    await recordEvents(
      client,
      [...batch.changed].map(([key, { table, rowId }]) => ({
        table,
        rowId,
        before: batch.before.get(key) ?? null,
        after: (batch.rows.get(key) as RowState).values,
        ...(batch.uploaded.has(key) ? { uploaded: true } : {}),
      })),
      { deviceId: device.id, ...(correlationId ? { correlationId } : {}) },
    )
  }
  if (batch.keepsCrews) await recordCrews(client, batch)
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

/** The crew each job of the batch was given to, where it was new or changed crew. */
async function recordCrews(client: pg.PoolClient, batch: Batch): Promise<void> {
  const given = [...batch.changed].flatMap(([key, { table, rowId }]) => {
    if (table !== 'appointments') return []
    const crew = (batch.rows.get(key) as RowState).values.team_member_id
    const was = batch.before.get(key)?.team_member_id
    return typeof crew === 'string' && crew !== was ? [{ crew, rowId }] : []
  })
  if (!given.length) return
  await client.query(
    `INSERT INTO appointment_crews (team_member_id, appointment_id)
     SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING`,
    [given.map((g) => g.crew), given.map((g) => g.rowId)],
  )
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
export interface PushOptions {
  /** Carried into the domain events this push writes. */
  correlationId?: string
  /**
   * Runs inside the push's transaction once the change lock is held, before anything is
   * written: a check that must be atomic with the write (such as a duplicate guard).
   * Whatever it throws rolls the push back and is thrown to the caller.
   */
  precheck?: (client: pg.PoolClient) => Promise<void>
}

/** What a precheck threw, carried past the batch's fallback path. */
class PrecheckRefused {
  constructor(readonly error: unknown) {}
}

export async function push(
  pool: pg.Pool,
  device: Device,
  mutations: Mutation[],
  options: PushOptions = {},
): Promise<PushResult[]> {
  const precheck = async (client: pg.PoolClient) => {
    try {
      await options.precheck?.(client)
    } catch (e) {
      throw new PrecheckRefused(e)
    }
  }
  const history = await keeps(pool)
  const client = await pool.connect()
  try {
    try {
      return await inTransaction(client, async () => {
        await precheck(client)
        const batch = await readBatch(client, mutations, history)
        const results: PushResult[] = []
        for (const m of mutations) results.push(await applyOne(client, device, m, batch))
        await writeBatch(client, device, batch, options.correlationId)
        return results
      })
    } catch (e) {
      if (e instanceof PrecheckRefused) throw e.error
      if (await connectionLost(client, e)) throw e
      return await inTransaction(client, async () => {
        await precheck(client)
        const results: PushResult[] = []
        for (const m of mutations)
          results.push(await applyAlone(client, device, m, history, options.correlationId))
        return results
      })
    }
  } catch (e) {
    throw e instanceof PrecheckRefused ? e.error : e
  } finally {
    client.release()
  }
}

/**
 * Whether a failed batch failed for want of the database: an error the database coded
 * as such, or one without a code (a closed socket, or a fault in this code) after which
 * the connection no longer answers. Otherwise the batch is applied again one mutation at
 * a time and the faulty one refused, rather than the whole batch failing for ever.
 */
async function connectionLost(client: pg.PoolClient, e: unknown): Promise<boolean> {
  const code = (e as { code?: string }).code
  if (code) return code.startsWith('08') || code.startsWith('57')
  try {
    await client.query('SELECT 1')
    return false
  } catch {
    return true
  }
}

async function inTransaction<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN')
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SEQ_LOCK])
    // The domain tables carry the laptops' capture triggers (the same migrations): on the
    // server, rows are written by the merge, never captured as local edits.
    await client.query("SET LOCAL groundskeeper.applying = 'on'")
    const result = await fn()
    await client.query('COMMIT')
    return result
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {})
    throw e
  }
}

/** Columns whose name does not read as words by itself. */
const COLUMN_WORDS: Record<string, string> = {
  follow_up_of_id: 'visit to follow up',
  root_id: 'series',
}

/** A column as words: `team_member_id` is "team member". */
const fieldWords = (column: string) =>
  (Object.hasOwn(COLUMN_WORDS, column) ? COLUMN_WORDS[column] : undefined) ??
  column.replace(/_id$/, '').replace(/_/g, ' ')

/**
 * Why the database refused a mutation, in words, by its error code, naming the field
 * where the error does (its column, its constraint), never the values.
 */
function refusalReason(e: unknown, table: string): string {
  const err = e as { code?: string; column?: string; constraint?: string; detail?: string }
  // Constraints are named `<table>_<column>_check` / `_fkey`: the middle is the field.
  const fromConstraint = err.constraint
    ?.replace(new RegExp(`^${table}_`), '')
    .replace(/_(check|fkey|key)$/, '')
  const referenced = /^Key \((\w+)\)/.exec(err.detail ?? '')?.[1]
  switch (err.code) {
    case '23502':
      return `it leaves the ${fieldWords(err.column ?? 'a field')} empty: the server does not have the whole row`
    case '23503': {
      const words = fieldWords(referenced ?? fromConstraint ?? 'row')
      return `it refers to ${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words} that the server does not have`
    }
    case '23505':
      return 'it duplicates a row the server already has'
    case '23514':
    case '22003':
      return fromConstraint
        ? `its ${fieldWords(fromConstraint)} is not allowed: empty, too long or out of range`
        : 'a value is out of the allowed range'
    default:
      return 'the server could not apply it'
  }
}

/** One mutation in its own savepoint, refused if the database will not take it. */
async function applyAlone(
  client: pg.PoolClient,
  device: Device,
  m: Mutation,
  history: Kept,
  correlationId?: string,
) {
  await client.query('SAVEPOINT mutation')
  try {
    const batch = await readBatch(client, [m], history)
    const result = await applyOne(client, device, m, batch)
    await writeBatch(client, device, batch, correlationId)
    await client.query('RELEASE SAVEPOINT mutation')
    return result
  } catch (e) {
    await client.query('ROLLBACK TO SAVEPOINT mutation')
    if (await connectionLost(client, e)) throw e
    // Which mutation, from which device, in which request, and the database's code and
    // constraint: enough to find it, with none of its values.
    const err = e as { code?: string; name?: string; constraint?: string }
    console.error(
      `mutation ${m.id} (${m.table} ${m.rowId}) from device ${device.id} refused: ` +
        `${err.code ?? err.name ?? 'error'}${err.constraint ? ` ${err.constraint}` : ''}` +
        `${correlationId ? ` [correlation ${correlationId}]` : ''}`,
    )
    const batch = await readBatch(client, [m], history)
    const result = record(batch, m, 'rejected', refusalReason(e, m.table))
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

/**
 * A write the rules refuse, answered with the server's copy of what it wrote: the
 * device puts those fields back as they are here.
 */
function refuse(batch: Batch, m: Mutation, reason: string): PushResult {
  const row = batch.rows.get(keyOf(m.table, m.rowId))
  // The table's own fields only: a name from the wire must not find what objects inherit.
  const fields = Object.keys(m.fields).filter((f) => Object.hasOwn(SYNCED_FIELDS[m.table], f))
  const current = row
    ? {
        values: Object.fromEntries(
          fields.map((f) => [
            f,
            (Object.hasOwn(row.values, f) ? row.values[f] : null) as FieldValue,
          ]),
        ),
        versions: Object.fromEntries(
          fields.flatMap((f) =>
            Object.hasOwn(row.versions, f) ? [[f, row.versions[f] as string]] : [],
          ),
        ),
      }
    : null
  return { ...record(batch, m, 'rejected', reason), current }
}

async function applyOne(
  client: pg.PoolClient,
  device: Device,
  m: Mutation,
  batch: Batch,
): Promise<PushResult> {
  const seen = batch.seen.get(m.id)
  // Delivered again, a mutation keeps its first outcome: one refused stays refused.
  if (seen)
    return {
      id: m.id,
      status: seen.status === 'rejected' ? 'rejected' : 'duplicate',
      ...(seen.reason ? { reason: seen.reason } : {}),
    }
  const invalid = checkFields(m.table, m.fields)
  if (invalid) return refuse(batch, m, invalid)
  // Only a series writes with the mark, and it writes visits alone.
  if (m.table !== 'appointments' && Object.values(m.versions ?? {}).some(isDerived))
    return refuse(batch, m, "only a series' visits carry the series' mark")
  if (!mayWriteTable(device.role, m.table)) {
    return refuse(batch, m, `${aRole(device.role)} may not change ${m.table.replaceAll('_', ' ')}`)
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
      ...(m.versions
        ? {
            writtenAt: (f: string) => decode(clockOf(writeVersion(m, f))).ms,
            statusWrittenMs: storedStatusMs(existing),
          }
        : {}),
      // A column whose stored version is newer keeps its value: writing it changes nothing.
      effective: (f) =>
        !existing ||
        !(
          Object.hasOwn(existing.versions, f) &&
          (existing.versions[f] as string) >= writeVersion(m, f)
        ),
      sawStatus:
        !existing ||
        !Object.hasOwn(existing.versions, 'status') ||
        m.base?.status === existing.versions.status,
      sawCrew:
        !existing ||
        !Object.hasOwn(existing.versions, 'team_member_id') ||
        m.base?.team_member_id === undefined ||
        m.base.team_member_id >= (existing.versions.team_member_id as string),
      ...(!existing && !isManager(device.role) ? await followUpContext(client, m, batch) : {}),
    })
    if (refusal) return refuse(batch, m, refusal.reason)
  }
  if (m.table === 'team_member_specialties') {
    const refusal = await specialtyRefusal(client, m, existing)
    if (refusal) return refuse(batch, m, refusal)
  }
  const write: FieldWrite = {
    hlc: m.hlc,
    fields: m.fields as Record<string, FieldValue>,
    ...(m.versions ? { versions: m.versions } : {}),
  }
  const merged = mergeWrite(before, write)
  // A visit a person changed that the series removed meanwhile comes back, and one its
  // crew started keeps what the crew saw (series.ts): settled as the two merge.
  const restored = m.table === 'appointments' ? restoredException(merged.row) : null
  const replaced = batch.replaced?.get(key) ?? {}
  const kept =
    m.table === 'appointments'
      ? keepStarted({
          before: existing ?? null,
          write,
          ...(m.base ? { base: m.base } : {}),
          row: restored ?? merged.row,
          replaced,
        })
      : null
  const row = kept?.row ?? restored ?? merged.row
  const wrong = rowRefusal(m.table, m.rowId, row.values)
  if (wrong) return refuse(batch, m, wrong)
  // Restored, the row's deletion changed only if it was deleted before this write.
  const wasDeleted = existing !== undefined && existing.values[DELETED_FIELD] != null
  const settled = restored
    ? [...merged.changed.filter((f) => f !== DELETED_FIELD), ...(wasDeleted ? [DELETED_FIELD] : [])]
    : merged.changed
  const changed = kept
    ? [...new Set([...settled, ...kept.fields])].filter(
        (f) => !sameValue(f, before.values[f], row.values[f]),
      )
    : settled
  // A removal the series made or met that did not stand (restored, kept) is nothing to settle.
  const met =
    existing && !restored && !kept?.fields.includes(DELETED_FIELD)
      ? metVersion(before, write, m.base)
      : null
  // A write whose versions change but no value (the restore, a kept value), and a series'
  // write a person's outranked, still give the row a new change number: every laptop
  // pulls the row as it stands here.
  if (changed.length || restored || kept || overruled(write, merged)) {
    if (!batch.before.has(key)) {
      batch.before.set(key, existing ? existing.values : null)
      if (!existing && m.uploaded) batch.uploaded.add(key)
    }
    batch.rows.set(key, row)
    batch.changed.set(key, { table: m.table, rowId: m.rowId })
    if (m.table === 'appointments') batch.replaced?.set(key, nextReplaced(before, row, replaced))
  }
  if (met !== null) await recordEditAndDelete(client, device, m, met, batch, before)
  if (m.table === 'appointments' && changed.some((f) => BOOKING_FIELDS.includes(f))) {
    batch.bookings.set(key, m)
  }
  return record(batch, m, 'applied')
}

/** When a stored job's status was written: its version's clock time (null: none known). */
function storedStatusMs(existing: RowState | undefined): number | null {
  const version =
    existing && Object.hasOwn(existing.versions, 'status') ? existing.versions.status : undefined
  if (typeof version !== 'string') return null
  try {
    return decode(clockOf(version)).ms
  } catch {
    return null
  }
}

/** Whether a field the series wrote lost to a person's version holding another value. */
function overruled(write: FieldWrite, { row, changed }: { row: RowState; changed: string[] }) {
  return Object.entries(write.fields).some(
    ([f, value]) =>
      !changed.includes(f) &&
      isDerived(writeVersion(write, f)) &&
      !isDerived(row.versions[f] ?? DERIVED_MARK) &&
      !sameValue(f, row.values[f], value),
  )
}

/**
 * A specialty's id is made from its pair (`specialty_id()`, migration 0007), so that two
 * laptops adding one offline add the same row; its table sets the id from the pair. A
 * row pushed under another id, or a pair changed in place, would part the row from its
 * versions: both are refused.
 */
async function specialtyRefusal(
  client: pg.PoolClient,
  m: Mutation,
  existing: RowState | undefined,
): Promise<string | null> {
  const pair = ['team_member_id', 'service_id'] as const
  if (existing) {
    const moved = pair.some((f) => f in m.fields && m.fields[f] !== existing.values[f])
    return moved
      ? "a specialty's crew member and service are fixed: remove it and add another"
      : null
  }
  const [member, service] = pair.map((f) => m.fields[f])
  if (typeof member !== 'string' || typeof service !== 'string') return null
  const { rows } = await client.query<{ id: string }>('SELECT specialty_id($1, $2) AS id', [
    member,
    service,
  ])
  return rows[0]?.id === m.rowId
    ? null
    : "a specialty's id must be the one made from its crew member and service"
}

/** A row's values as this transaction sees them: written earlier in the batch, or stored. */
async function currentValues(
  client: pg.PoolClient,
  batch: Batch,
  table: SyncedTable,
  rowId: unknown,
): Promise<Record<string, FieldValue> | null> {
  if (typeof rowId !== 'string') return null
  const pending = batch.rows.get(keyOf(table, rowId))
  if (pending) return pending.values
  return (await valuesOf(client, table, [rowId])).get(rowId) ?? null
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
