import type { PGlite, Transaction } from '@electric-sql/pglite'
import type { z } from 'zod'
import { CREW_LEAD_JOB_FIELDS } from '../../../../shared/domain/job-rules'
import { isManager, mayWriteTable } from '../../../../shared/domain/permissions'
import type { JobState } from '../../../../shared/notifications/crew-alerts'
import { APPLY_ORDER, fieldsOf, MONEY_FIELDS } from '../../../../shared/sync/columns'
import { clockOf, createdAtOf, DERIVED_MARK, type FieldValue } from '../../../../shared/sync/merge'
import type { change, Mutation, pushResult, SyncedTable } from '../../../../shared/sync/protocol'
import { pulledVersionsRefusal } from '../../../../shared/sync/pulled-versions'
import { log } from '../log'
import { expandVersions, type StoredVersions, versionsSql } from './versions'

/**
 * The laptop's sync state in its own database: the outbox the triggers of migration
 * 0005 fill, the inbox pulled rows wait in, the field versions both merge against, and
 * the settings and progress in `sync_state`. Everything here is plain SQL on PGlite, so
 * it runs (and is tested) under Node.
 */
type Queryable = PGlite | Transaction
type Change = z.infer<typeof change>
type PushResult = z.infer<typeof pushResult>

/**
 * The tables that stay on this laptop, and why. Every other table of the schema is
 * synced (`SYNCED_TABLES`); a test fails on a table that is neither.
 */
export const LOCAL_TABLES: Readonly<Record<string, string>> = {
  users: 'who uses this laptop: local roles with PIN hashes, never sent anywhere',
  pin_attempts: 'wrong PINs typed on this laptop, which slow down the next try here',
  app_settings: 'settings of this laptop: who is using it, when it locks',
  appointment_counts: 'counts kept by triggers from the appointments this laptop holds',
  change_counters: 'counters kept by triggers for caches in this process',
  sync_clock: "this laptop's own clock for stamping its writes",
  sync_versions: 'field versions of the rows this laptop holds: sync state',
  sync_outbox: 'local writes waiting to be pushed',
  sync_inbox: 'pulled rows waiting to be merged',
  sync_state: 'server address, device token and cursor of this laptop',
  sync_rejected: 'local writes the server refused, shown to the admin here',
}

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ')

// ---------------------------------------------------------------- state

export interface SyncConfig {
  serverUrl: string
  token: string
  /** `crew`: a crew lead's device's crew member (absent in configs saved before it was kept). */
  device: { id: string; label: string; user: string; role: string; crew?: string | null }
}

export interface LastResult {
  at: string
  ok: boolean
  error?: string
}

export interface StateValues {
  config: SyncConfig
  cursor: number
  paused: boolean
  lastAttempt: LastResult
  lastSuccessAt: string
  conflicts: { fetchedAt: string; list: unknown[] }
  snapshot: SnapshotProgress
  /** Which copy of the central database this laptop pulled from (server/pull.ts). */
  epoch: string
}

/** How far a first pull by snapshot got (sync/snapshot.ts): it resumes from there. */
export interface SnapshotProgress {
  /** The server and device it came from: another one's progress is not resumed. */
  from: string
  /** The cursor to set once the snapshot is in: its first part's. */
  cursor: number
  /** The last row stored, in the stream's order (tables in apply order, ids within). */
  table: SyncedTable
  after: string
}

export async function getState<K extends keyof StateValues>(
  pg: Queryable,
  key: K,
): Promise<StateValues[K] | undefined> {
  const { rows } = await pg.query<{ value: StateValues[K] }>(
    'SELECT value FROM sync_state WHERE key = $1',
    [key],
  )
  return rows[0]?.value
}

export async function setState<K extends keyof StateValues>(
  pg: Queryable,
  key: K,
  value: StateValues[K],
): Promise<void> {
  await pg.query(
    `INSERT INTO sync_state (key, value, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key, JSON.stringify(value)],
  )
}

export async function clearState(pg: Queryable, keys: (keyof StateValues)[]): Promise<void> {
  await pg.query('DELETE FROM sync_state WHERE key = ANY($1)', [keys])
}

// ---------------------------------------------------------------- outbox

export interface OutboxEntry {
  seq: number
  mutation: Mutation
}

export async function pendingCount(pg: Queryable): Promise<number> {
  const { rows } = await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_outbox')
  return rows[0]?.n ?? 0
}

/** The oldest `limit` local writes not yet acknowledged, as mutations. */
export async function readOutbox(pg: Queryable, limit: number): Promise<OutboxEntry[]> {
  const { rows } = await pg.query<{
    seq: string
    mutation_id: string
    table_name: SyncedTable
    row_id: string
    hlc: string
    fields: Record<string, FieldValue>
    base: Record<string, string>
    accepted: string[] | null
    versions: Record<string, string> | null
    uploaded: boolean
  }>(
    'SELECT seq, mutation_id, table_name, row_id, hlc, fields, base, accepted, versions, uploaded FROM sync_outbox ORDER BY seq LIMIT $1',
    [limit],
  )
  return rows.map((r) => ({
    seq: Number(r.seq),
    mutation: {
      id: r.mutation_id,
      table: r.table_name,
      rowId: r.row_id,
      hlc: r.hlc,
      fields: r.fields,
      base: r.base,
      ...(r.accepted?.length ? { accepted: r.accepted } : {}),
      ...(r.versions ? { versions: r.versions } : {}),
      ...(r.uploaded ? { uploaded: true as const } : {}),
    },
  }))
}

/**
 * Settles a pushed batch: acknowledged mutations (applied, or applied before) leave the
 * outbox; refused ones move to `sync_rejected` with the server's reason, and where the
 * server sent its copy of what they wrote, those fields are put back as the server has
 * them (`revertRefused`). One transaction, so a crash in between re-sends the batch,
 * which the server recognises. Returns the tables whose rows were put back.
 */
export async function settleOutbox(
  pg: PGlite,
  entries: OutboxEntry[],
  results: PushResult[],
): Promise<{ applied: number; rejected: number; reverted: SyncedTable[] }> {
  const byId = new Map(entries.map((e) => [e.mutation.id, e]))
  const done: string[] = []
  const rejected: { e: OutboxEntry; reason: string; current: PushResult['current'] }[] = []
  for (const r of results) {
    const e = byId.get(r.id)
    if (!e) continue
    if (r.status === 'rejected')
      rejected.push({ e, reason: r.reason ?? 'refused by the server', current: r.current })
    else done.push(r.id)
  }
  let reverted: SyncedTable[] = []
  await pg.transaction(async (tx) => {
    if (rejected.length) {
      await tx.query(
        `INSERT INTO sync_rejected (mutation_id, table_name, row_id, fields, reason)
         SELECT x.id, x.table_name, x.row_id, x.fields, x.reason
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, table_name text, row_id uuid, fields jsonb, reason text)
         ON CONFLICT (mutation_id) DO NOTHING`,
        [
          JSON.stringify(
            rejected.map(({ e, reason }) => ({
              id: e.mutation.id,
              table_name: e.mutation.table,
              row_id: e.mutation.rowId,
              fields: e.mutation.fields,
              reason,
            })),
          ),
        ],
      )
    }
    const settled = [...done, ...rejected.map((r) => r.e.mutation.id)]
    if (settled.length)
      await tx.query('DELETE FROM sync_outbox WHERE mutation_id = ANY($1::uuid[])', [settled])
    reverted = await revertRefused(tx, entries, new Set(done), rejected)
  })
  return { applied: done.length, rejected: rejected.length, reverted }
}

/**
 * Puts back, as the server has them, the fields of refused writes: a crew lead's note
 * on a job the office gave to another crew meanwhile would otherwise stay on this laptop
 * alone, looking saved, and the job on their day. A field written again later (applied
 * in this batch, or still waiting to be sent) keeps that later value: it is judged on
 * its own. A row the server does not have at all is removed here (marked deleted, as a
 * pulled deletion would be). What was refused stays in `sync_rejected` with its reason.
 * Written as pulled rows are, so nothing is captured to be sent again.
 */
async function revertRefused(
  tx: Transaction,
  batch: OutboxEntry[],
  applied: Set<string>,
  refused: { e: OutboxEntry; current: PushResult['current'] }[],
): Promise<SyncedTable[]> {
  const back = refused.filter((r) => r.current !== undefined)
  if (!back.length) return []
  const key = (table: string, rowId: string, field: string) => `${table}:${rowId}:${field}`
  // Fields a later write decides: applied after the refused one, or not yet sent.
  const { rows: waiting } = await tx.query<{ table_name: string; row_id: string; fields: object }>(
    `SELECT table_name, row_id, fields FROM sync_outbox
     WHERE (table_name, row_id) IN (SELECT * FROM unnest($1::text[], $2::uuid[]))`,
    [back.map((r) => r.e.mutation.table), back.map((r) => r.e.mutation.rowId)],
  )
  const laterField = new Map<string, number>()
  for (const w of waiting)
    for (const f of Object.keys(w.fields)) laterField.set(key(w.table_name, w.row_id, f), Infinity)
  for (const e of batch)
    if (applied.has(e.mutation.id))
      for (const f of Object.keys(e.mutation.fields)) {
        const k = key(e.mutation.table, e.mutation.rowId, f)
        laterField.set(k, Math.max(laterField.get(k) ?? 0, e.seq))
      }
  await tx.query("SELECT set_config('groundskeeper.applying', 'on', true)")
  const tables = new Set<SyncedTable>()
  for (const { e, current } of back) {
    const { table, rowId } = e.mutation
    const fields = Object.keys(e.mutation.fields).filter(
      (f) => (laterField.get(key(table, rowId, f)) ?? 0) < e.seq && fieldsOf(table).includes(f),
    )
    if (!fields.length || current === undefined) continue
    // Each row on its own: one the database will not take back (a row it refers to is
    // gone here, say) stays as it is, rather than keep the batch from being settled.
    await tx.query('SAVEPOINT revert')
    try {
      await revertRow(tx, table, rowId, fields, current)
      await tx.query('RELEASE SAVEPOINT revert')
      tables.add(table)
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT revert')
      log.warn('sync', 'a refused change could not be put back', {
        table,
        code: (err as { code?: string }).code,
      })
    }
  }
  return [...tables]
}

async function revertRow(
  tx: Transaction,
  table: SyncedTable,
  rowId: string,
  fields: string[],
  current: NonNullable<PushResult['current']> | null,
): Promise<void> {
  if (current === null) {
    // Table names come from the protocol's own list, never from the wire.
    await tx.query(
      `UPDATE "${table}" SET deleted_at = now(), updated_at = now()
       WHERE id = $1 AND deleted_at IS NULL`,
      [rowId],
    )
    return
  }
  const patch = Object.fromEntries(fields.map((f) => [f, current.values[f] ?? null]))
  await tx.query(
    `UPDATE "${table}" AS t
     SET (${quoted(fields)}) = (
       SELECT ${fields.map((f) => `p."${f}"`).join(', ')} FROM jsonb_populate_record(t, $2::jsonb) AS p
     ), updated_at = now()
     WHERE t.id = $1`,
    [rowId, JSON.stringify(patch)],
  )
  // Each field takes the server's version back (none: the server never wrote it).
  const versions = Object.fromEntries(
    fields.flatMap((f) => (current.versions[f] ? [[f, current.versions[f]]] : [])),
  )
  await tx.query(
    `UPDATE sync_versions SET
       versions = (${versionsSql('sync_versions', table)} - $3::text[]) || $4::jsonb, version = NULL
     WHERE table_name = $1 AND row_id = $2`,
    [table, rowId, fields, JSON.stringify(versions)],
  )
}

/**
 * What a laptop sends when the server may lack what it holds (a server restored from a
 * backup, a laptop restored from one): office staff every row; a role that may not write
 * whole rows (a crew lead) what was written on this laptop, as far as it may write it.
 */
export const resendScope = (role: string): ResendScope =>
  isManager(role) ? 'all' : { ownAs: role }

/**
 * Sync from the start, for a server restored from a backup older than what was pulled
 * (`epoch`: the restored copy's, now this laptop's): everything pulled again (a
 * snapshot, from the beginning), and what the restored copy may lack sent again, as the
 * device's role allows (`resendScope`).
 */
export async function startOver(pg: PGlite, role: string, epoch?: string): Promise<void> {
  await pg.transaction(async (tx) => {
    await setState(tx, 'cursor', 0)
    await clearState(tx, ['snapshot'])
    if (epoch) await setState(tx, 'epoch', epoch)
  })
  await enqueueRows(pg, resendScope(role))
}

/**
 * Which rows `enqueueRows` sends: `new` the rows never synced; `all` every row; `ownAs`
 * a role, for a device of that role: in the tables it may write, the rows made on this
 * laptop and written by no one else whole, and of the other rows the fields last written
 * here that the role may change (a crew lead: a job's status, times and notes).
 */
export type ResendScope = 'new' | 'all' | { ownAs: string }

/**
 * Puts this laptop's rows into the outbox as whole-row writes, so the server receives
 * what the laptop holds:
 * - rows never synced (seeded, or written before this database had versions) get their
 *   versions now, one clock value for all: they are distinct rows;
 * - with `all`, the rows already synced go too, each field with the version it
 *   already has (`Mutation.versions`): a laptop joining another server, or restored from
 *   a backup made against one, holds rows that server may never have had, and edits
 *   waiting in the outbox name them. A server that already has a row keeps it as it is
 *   (the merge takes only newer versions), so sending too much costs time, not data;
 * - with `ownAs`, only what this laptop wrote: a field was written here when its version
 *   ends with this laptop's node; a row every field of which was is sent whole (a
 *   follow-up booked here), of any other row only the fields written here that the role
 *   may change: never another writer's value relayed, nor one the role may not set.
 * They go ahead of the writes already waiting (edits made before connecting, which may
 * name them: a job booked for a seeded client), so the server receives what a row refers
 * to first: tables in apply order, and within a table that refers to itself (a follow-up
 * visit) the rows referred to before those referring to them.
 */
export async function enqueueRows(pg: PGlite, scope: ResendScope): Promise<number> {
  const ownAs = typeof scope === 'object' ? scope.ownAs : null
  return pg.transaction(async (tx) => {
    const [{ stamp } = { stamp: '' }] = (
      await tx.query<{ stamp: string }>('SELECT sync_tick() AS stamp')
    ).rows
    const [waiting] = (
      await tx.query<{ first: string | null; last: string | null }>(
        'SELECT min(seq)::text AS first, max(seq)::text AS last FROM sync_outbox',
      )
    ).rows
    const node = ownAs
      ? ((await tx.query<{ node: string }>('SELECT node FROM sync_clock WHERE id = 1')).rows[0]
          ?.node ?? null)
      : null
    if (ownAs && !node) return 0
    let total = 0
    for (const table of APPLY_ORDER) {
      const fields = fieldsOf(table)
      const [first] = fields
      if (!first || (ownAs && !mayWriteTable(ownAs, table))) continue
      // Every field at the one clock value: stored as that value (sync/versions.ts).
      await tx.query(
        `INSERT INTO sync_versions (table_name, row_id, versions, version)
         SELECT $1, t.id, '{}', $2::text
         FROM "${table}" t
         WHERE NOT EXISTS (SELECT 1 FROM sync_versions v WHERE v.table_name = $1 AND v.row_id = t.id)`,
        [table, stamp],
      )
      const pairs = fields
        .map((f) => `'${f}', t."${f}"${MONEY_FIELDS.has(f) ? '::text' : ''}`)
        .join(', ')
      // A field with no version of its own (a column added after the row was written)
      // takes the row's oldest.
      const filled = fields.map((f) => `'${f}', coalesce(v.versions->>'${f}', e.low)`).join(', ')
      // With `ownAs`, a row not wholly written here keeps only the fields written here that
      // the role may change ($4: the node; $5: those fields).
      // (Only then: the other scopes send whole rows, and read no more than they need.)
      const mine = (all: string) =>
        ownAs
          ? `CASE WHEN o.whole THEN ${all} ELSE
              (SELECT jsonb_object_agg(f.key, f.value) FROM jsonb_each(${all}) f
               WHERE right(v.versions->>f.key, 16) = $4 AND f.key = ANY($5::text[])) END`
          : all
      const parent = await selfReference(tx, table)
      const inserted = await tx.query(
        `${
          parent
            ? `WITH RECURSIVE depth (id, d) AS (
                 SELECT id, 0 FROM "${table}" WHERE "${parent}" IS NULL
                 UNION ALL
                 SELECT t.id, depth.d + 1 FROM "${table}" t JOIN depth ON t."${parent}" = depth.id
                 WHERE depth.d < 64
               )`
            : ''
        }
         INSERT INTO sync_outbox
           (mutation_id, table_name, row_id, hlc, fields, base, versions, accepted, uploaded)
         SELECT gen_random_uuid(), $1, t.id, e.high, ${mine(`jsonb_build_object(${pairs})`)},
           CASE WHEN fresh THEN '{}'::jsonb ELSE v.versions END,
           CASE WHEN fresh THEN NULL ELSE ${mine(`jsonb_build_object(${filled})`)} END,
           ${table === 'appointments' ? SETTLED_OVERLAPS : WAITING_ACCEPTED}, true
         FROM "${table}" t
         JOIN (SELECT s.row_id, ${versionsSql('s', table)} AS versions
               FROM sync_versions s WHERE s.table_name = $1) v ON v.row_id = t.id
         CROSS JOIN LATERAL (
           SELECT min(value) AS low, max(ltrim(value, '${DERIVED_MARK}')) AS high
           FROM jsonb_each_text(v.versions)
         ) e
         CROSS JOIN LATERAL (SELECT v.versions->>'${first}' = $2 AS fresh) n
         ${
           ownAs
             ? `CROSS JOIN LATERAL (
                  SELECT bool_and(right(value, 16) = $4) AS whole,
                    bool_or(right(value, 16) = $4 AND key = ANY($5::text[])) AS written
                  FROM jsonb_each_text(v.versions)
                ) o`
             : ''
         }
         ${parent ? 'LEFT JOIN depth ON depth.id = t.id' : ''}
         WHERE e.high IS NOT NULL AND (fresh OR $3)
           ${ownAs ? 'AND (o.whole OR o.written)' : ''}
         ORDER BY ${parent ? 'coalesce(depth.d, 0), ' : ''}t.id`,
        [
          table,
          stamp,
          scope !== 'new',
          ...(ownAs ? [node, table === 'appointments' ? CREW_LEAD_JOB_FIELDS : fields] : []),
        ],
      )
      total += inserted.affectedRows ?? 0
    }
    if (total && waiting?.first !== null && waiting?.first !== undefined) {
      // The new entries (after `last`) move below the first waiting one, in their order.
      await tx.query(
        `UPDATE sync_outbox SET seq = seq - ((SELECT max(seq) FROM sync_outbox) - $1::bigint + 1)
         WHERE seq > $2::bigint`,
        [waiting.first, waiting.last],
      )
    }
    return total
  })
}

/** The double bookings a row's waiting writes were booked over, kept as they were. */
const WAITING_ACCEPTED = `(SELECT jsonb_agg(DISTINCT x) FROM sync_outbox o
    CROSS JOIN LATERAL jsonb_array_elements_text(coalesce(o.accepted, '[]')) x
  WHERE o.table_name = $1 AND o.row_id = t.id)`

/**
 * For a job sent again: a job already synced, with no write waiting, overlaps what it
 * overlaps by a decision made before (the double booking was kept, or reported where it
 * was synced): the jobs it overlaps go as accepted, so the new server does not report
 * the pair again. A job with writes waiting is booked now: only what they accepted.
 */
const SETTLED_OVERLAPS = `CASE WHEN NOT n.fresh AND NOT EXISTS (
    SELECT 1 FROM sync_outbox o WHERE o.table_name = $1 AND o.row_id = t.id)
  THEN (SELECT jsonb_agg(b.id) FROM (
    SELECT b.id FROM appointments b
    WHERE b.team_member_id = t.team_member_id AND b.id <> t.id
      AND b.deleted_at IS NULL AND b.status <> 'cancelled'
      AND b.scheduled_at < t.scheduled_at + make_interval(mins => t.duration_minutes)
      AND t.scheduled_at < b.scheduled_at + make_interval(mins => b.duration_minutes)
    ORDER BY b.id LIMIT 100) b)
  ELSE ${WAITING_ACCEPTED} END`

/** The column by which rows of a table refer to other rows of it, read from its keys. */
async function selfReference(tx: Queryable, table: string): Promise<string | undefined> {
  const { rows } = await tx.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_constraint c
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     WHERE c.contype = 'f' AND c.conrelid = $1::regclass AND c.confrelid = c.conrelid`,
    [table],
  )
  return rows[0]?.name
}

// ---------------------------------------------------------------- inbox

/**
 * Stores a pulled page and the cursor after it, in one transaction: a crash after this
 * loses nothing, and one before it pulls the page again. A row already waiting is
 * replaced: the server's newer state of a row includes every older one.
 */
export async function stagePull(pg: PGlite, changes: Change[], cursor: number): Promise<void> {
  await pg.transaction(async (tx) => {
    if (changes.length) {
      await tx.query(
        `INSERT INTO sync_inbox (table_name, row_id, values, versions, seq, rank)
         SELECT x.table_name, x.row_id, x.values, x.versions, x.seq, x.rank
         FROM jsonb_to_recordset($1::jsonb)
           AS x(table_name text, row_id uuid, values jsonb, versions jsonb, seq bigint, rank smallint)
         ON CONFLICT (table_name, row_id) DO UPDATE
           SET values = EXCLUDED.values, versions = EXCLUDED.versions, seq = EXCLUDED.seq, error = NULL
           WHERE sync_inbox.seq < EXCLUDED.seq`,
        [
          JSON.stringify(
            changes.map((c) => ({
              table_name: c.table,
              row_id: c.rowId,
              values: c.values,
              versions: c.versions,
              seq: c.seq,
              rank: APPLY_ORDER.indexOf(c.table),
            })),
          ),
        ],
      )
    }
    await setState(tx, 'cursor', cursor)
  })
}

export async function waitingCount(pg: Queryable): Promise<{ waiting: number; stuck: number }> {
  const { rows } = await pg.query<{ waiting: number; stuck: number }>(
    'SELECT count(*)::int AS waiting, count(error)::int AS stuck FROM sync_inbox',
  )
  return rows[0] ?? { waiting: 0, stuck: 0 }
}

interface InboxRow {
  table_name: SyncedTable
  row_id: string
  values: Record<string, FieldValue>
  versions: Record<string, string>
  seq: string
}

/**
 * Merges waiting pulled rows into the tables, `chunk` rows per transaction, referenced
 * tables first and appointments by id (ids are time-ordered, so a follow-up comes after
 * the visit it follows). A chunk the database refuses is retried row by row; a row
 * still refused keeps its error and waits. Rows that were stuck before are tried after
 * the new ones, and only when something may have changed for them: this round merged a
 * row (what they refer to may have come), or `retryStuck` (a round someone asked for,
 * or a while since the last try). Otherwise every round would try them again, row by
 * row, for nothing. `pause` runs between transactions, so the app's own queries are
 * never held behind a long apply.
 */
export async function applyInbox(
  pg: PGlite,
  opts: {
    chunk?: number
    pause?: () => Promise<void>
    watchJobs?: boolean
    retryStuck?: boolean
  } = {},
): Promise<{ applied: number; failed: number; tables: string[]; jobs: JobChange[] }> {
  const jobs: JobChange[] = []
  const chunk = opts.chunk ?? 500
  let applied = 0
  let failed = 0
  // The tables that took at least one row, for the screens' "changed" notice.
  const tables = new Set<string>()
  // Rows refused in this round's first pass are not tried again in its second.
  const failedNow = new Set<string>()
  const keyOf = (r: InboxRow) => `${r.table_name}:${r.row_id}`
  const pass = async (stuck: boolean) => {
    let after: [number, string] = [-1, '00000000-0000-0000-0000-000000000000']
    for (;;) {
      const { rows: read } = await pg.query<InboxRow & { rank: number }>(
        `SELECT table_name, row_id, values, versions, seq, rank FROM sync_inbox
         WHERE (rank, row_id) > ($1, $2::uuid) AND (error IS NOT NULL) = $4
         ORDER BY rank, row_id LIMIT $3`,
        [after[0], after[1], chunk, stuck],
      )
      if (!read.length) break
      const last = read[read.length - 1] as InboxRow & { rank: number }
      after = [last.rank, last.row_id]
      const rows = stuck ? read.filter((r) => !failedNow.has(keyOf(r))) : read
      if (!rows.length) continue
      const jobIds = opts.watchJobs
        ? rows.filter((r) => r.table_name === 'appointments').map((r) => r.row_id)
        : []
      const before = jobIds.length ? await jobStates(pg, jobIds) : null
      try {
        await pg.transaction((tx) => applyRows(tx, rows))
        applied += rows.length
        for (const row of rows) tables.add(row.table_name)
      } catch {
        for (const row of rows) {
          try {
            await pg.transaction((tx) => applyRows(tx, [row]))
            applied += 1
            tables.add(row.table_name)
          } catch (e) {
            failed += 1
            failedNow.add(keyOf(row))
            await pg.query(
              'UPDATE sync_inbox SET error = $3 WHERE table_name = $1 AND row_id = $2',
              [row.table_name, row.row_id, describeRefusal(e)],
            )
          }
        }
      }
      if (before) {
        const now = await jobStates(pg, jobIds)
        for (const id of jobIds)
          jobs.push({ before: before.get(id) ?? null, after: now.get(id) ?? null })
      }
      await opts.pause?.()
    }
  }
  await pass(false)
  if (applied > 0 || (opts.retryStuck ?? true)) await pass(true)
  return { applied, failed, tables: [...tables], jobs }
}

/** A job before and after a pulled change (null: not on this laptop). */
export interface JobChange {
  before: JobState | null
  after: JobState | null
}

/** Jobs as a crew lead's notice reads them. */
async function jobStates(pg: PGlite, ids: string[]): Promise<Map<string, JobState>> {
  const { rows } = await pg.query<{
    id: string
    team_member_id: string | null
    scheduled_at: string
    status: string
    deleted: boolean
    client_name: string
    service_name: string
  }>(
    `SELECT a.id, a.team_member_id, a.scheduled_at::text, a.status, a.deleted_at IS NOT NULL AS deleted,
       c.name AS client_name, s.name AS service_name
     FROM appointments a JOIN clients c ON c.id = a.client_id JOIN services s ON s.id = a.service_id
     WHERE a.id = ANY($1::uuid[])`,
    [ids],
  )
  return new Map(
    rows.map((r) => [
      r.id,
      {
        teamMemberId: r.team_member_id,
        scheduledAtMs: Date.parse(r.scheduled_at),
        status: r.status,
        deleted: r.deleted,
        clientName: r.client_name,
        serviceName: r.service_name,
      },
    ]),
  )
}

/** A pulled row this laptop will not apply (yet), with the reason. */
class PulledRowRefused extends Error {
  override name = 'PulledRowRefused'
}

/** Why the database refused a pulled row, without its values. */
function describeRefusal(e: unknown): string {
  if (e instanceof PulledRowRefused) return e.message
  const err = e as { code?: string; constraint?: string }
  if (err.code === '23505') return `another row already uses this value (${err.constraint ?? ''})`
  if (err.code === '23503') return 'it refers to a row this laptop does not have yet'
  if (err.code === '23502') return 'the server has only part of this row'
  if (err.code === '23514') return `the value breaks a rule (${err.constraint ?? ''})`
  return `the database refused it (${err.code ?? 'unknown'})`
}

async function applyRows(tx: Transaction, rows: InboxRow[]): Promise<void> {
  // Before anything moves the clock (below): a refused row keeps its reason in the inbox.
  const now = Date.now()
  for (const r of rows) {
    const refusal = pulledVersionsRefusal(r.versions, now)
    if (refusal) throw new PulledRowRefused(refusal)
  }
  await tx.query("SELECT set_config('groundskeeper.applying', 'on', true)")
  const { rows: local } = await tx.query<
    { table_name: SyncedTable; row_id: string } & StoredVersions
  >(
    `SELECT v.table_name, v.row_id, v.versions, v.version FROM sync_versions v
     JOIN unnest($1::text[], $2::uuid[]) AS k(t, r) ON v.table_name = k.t AND v.row_id = k.r`,
    [rows.map((r) => r.table_name), rows.map((r) => r.row_id)],
  )
  const localVersions = new Map(
    local.map((l) => [`${l.table_name}:${l.row_id}`, expandVersions(l.table_name, l)]),
  )
  const merged: { table_name: string; row_id: string; versions: Record<string, string> }[] = []
  let newest = ''
  for (const table of APPLY_ORDER) {
    const mine = rows.filter((r) => r.table_name === table)
    if (!mine.length) continue
    const { rows: present } = await tx.query<{ id: string }>(
      `SELECT id FROM "${table}" WHERE id = ANY($1::uuid[])`,
      [mine.map((r) => r.row_id)],
    )
    const exists = new Set(present.map((p) => p.id))
    const inserts: { id: string; vals: Record<string, FieldValue>; made: string | null }[] = []
    const patches: { id: string; patch: Record<string, FieldValue> }[] = []
    for (const r of mine) {
      const seen = localVersions.get(`${table}:${r.row_id}`) ?? {}
      const versions = { ...seen }
      const patch: Record<string, FieldValue> = {}
      for (const [field, version] of Object.entries(r.versions)) {
        const clock = clockOf(version)
        if (clock > newest) newest = clock
        const current = Object.hasOwn(seen, field) ? seen[field] : undefined
        if (current === undefined || version > current) {
          patch[field] = r.values[field] ?? null
          versions[field] = version
        }
      }
      if (!exists.has(r.row_id))
        inserts.push({ id: r.row_id, vals: { ...r.values }, made: createdAtOf(r.versions) })
      else if (Object.keys(patch).length) patches.push({ id: r.row_id, patch })
      merged.push({ table_name: table, row_id: r.row_id, versions })
    }
    const fields = fieldsOf(table)
    // A new row is written with the fields it carries, grouped by which those are: a
    // field it lacks (a column newer than the server that sent it) takes its default.
    const byFields = new Map<string, { fields: string[]; rows: typeof inserts }>()
    for (const row of inserts) {
      const carried = fields.filter((f) => Object.hasOwn(row.vals, f))
      const key = carried.join(',')
      const group = byFields.get(key) ?? { fields: carried, rows: [] }
      group.rows.push(row)
      byFields.set(key, group)
    }
    for (const group of byFields.values()) {
      const list = group.fields.length ? `, ${quoted(group.fields)}` : ''
      // Made when its versions say, wherever it was made (`createdAtOf`).
      await tx.query(
        `INSERT INTO "${table}" (id${list}, created_at)
         SELECT x.id${group.fields.map((f) => `, p."${f}"`).join('')}, coalesce(x.made, now())
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, vals jsonb, made timestamptz),
              jsonb_populate_record(null::"${table}", x.vals) AS p`,
        [JSON.stringify(group.rows)],
      )
    }
    if (patches.length) {
      await tx.query(
        `UPDATE "${table}" AS t
         SET (${quoted(fields)}) = (
           SELECT ${fields.map((f) => `p."${f}"`).join(', ')} FROM jsonb_populate_record(t, x.patch) AS p
         ), updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, patch jsonb)
         WHERE t.id = x.id`,
        [JSON.stringify(patches)],
      )
    }
  }
  await tx.query(
    `INSERT INTO sync_versions (table_name, row_id, versions)
     SELECT x.table_name, x.row_id, x.versions
     FROM jsonb_to_recordset($1::jsonb) AS x(table_name text, row_id uuid, versions jsonb)
     ON CONFLICT (table_name, row_id) DO UPDATE SET versions = EXCLUDED.versions, version = NULL`,
    [JSON.stringify(merged)],
  )
  await tx.query(
    `DELETE FROM sync_inbox i USING unnest($1::text[], $2::uuid[], $3::bigint[]) AS k(t, r, s)
     WHERE i.table_name = k.t AND i.row_id = k.r AND i.seq = k.s`,
    [rows.map((r) => r.table_name), rows.map((r) => r.row_id), rows.map((r) => r.seq)],
  )
  if (newest) await advanceClock(tx, newest)
}

/** Local writes after this one must be later than everything seen (`newest`). */
export async function advanceClock(tx: Transaction, newest: string): Promise<void> {
  await tx.query('SELECT sync_tick()')
  await tx.query(
    `UPDATE sync_clock SET last = $1 WHERE id = 1 AND substr(last, 1, 21) < substr($1, 1, 21)`,
    [newest],
  )
}
