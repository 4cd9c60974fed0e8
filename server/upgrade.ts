import type pg from 'pg'
import { APPLY_ORDER } from '../shared/sync/columns'
import type { SyncedTable } from '../shared/sync/protocol'
import { readValues, type Values, writeValues } from './rows'

/**
 * Moving a server's rows from the JSON store (`sync_rows.values`, before migration 0004)
 * into the domain tables, the way the original rolled out `priority`: the tables exist
 * (stage 1), the rows move in short batches with progress while the server serves
 * (stage 2, here), and the JSON goes (stage 3, migration 0008) once all have moved.
 *
 * Meanwhile the server reads a row that has not moved yet from its JSON copy
 * (`withLegacyValues`) and its next write puts it into its table: a push never waits
 * for the move, and never loses a field to it.
 */

/** The advisory lock pushes take (server/sync.ts): a batch moves while no push writes. */
export const SEQ_LOCK = 0x67_6b_73_71 // "gksq"

type Queryable = pg.PoolClient | pg.Pool

/**
 * Whether `sync_rows` still holds JSON values, per pool or pooled connection (checked
 * once each; false once 0008 has run).
 */
const legacy = new WeakMap<Queryable, boolean>()

async function hasLegacyValues(client: Queryable): Promise<boolean> {
  const known = legacy.get(client)
  if (known !== undefined) return known
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'sync_rows' AND column_name = 'values'`,
  )
  const has = (rows[0]?.n ?? 0) > 0
  legacy.set(client, has)
  return has
}

/**
 * The values of rows of one table: from the domain table, or, for rows not moved yet,
 * from their JSON copy.
 */
export async function valuesOf(
  client: Queryable,
  table: SyncedTable,
  ids: readonly string[],
): Promise<Map<string, Values>> {
  const found = await readValues(client, table, ids)
  const missing = ids.filter((id) => !found.has(id))
  if (!missing.length || !(await hasLegacyValues(client))) return found
  try {
    const { rows } = await client.query<{ row_id: string; values: Values }>(
      `SELECT row_id, "values" FROM sync_rows
       WHERE table_name = $1 AND row_id = ANY($2::uuid[]) AND "values" IS NOT NULL`,
      [table, missing],
    )
    for (const r of rows) found.set(r.row_id, r.values)
  } catch (e) {
    // Another instance finished the upgrade meanwhile: the column is gone.
    if ((e as { code?: string }).code !== '42703') throw e
    legacy.set(client, false)
  }
  return found
}

export interface MoveProgress {
  table: SyncedTable
  done: number
  total: number
}

/**
 * Stage 2: moves every row whose values are only in JSON into its table, `batchSize`
 * rows per transaction, referenced tables first. Each batch holds the push lock for its
 * few milliseconds, so a push never writes a row the batch is moving; a row a push
 * already wrote to its table is left as the push wrote it. Resumable: a run that stops
 * starts again with the rows still left. A row the table refuses is set aside in
 * `sync_rows_unplaced` with the reason and its versions, and is no longer handed out. Returns how many rows were moved.
 */
export async function moveRowsToTables(
  pool: pg.Pool,
  opts: { batchSize?: number; onProgress?: (p: MoveProgress) => void } = {},
): Promise<number> {
  if (!(await hasLegacyValues(pool))) return 0
  const batchSize = opts.batchSize ?? 2000
  let moved = 0
  for (const table of APPLY_ORDER) {
    const { rows: counted } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sync_rows WHERE table_name = $1 AND "values" IS NOT NULL`,
      [table],
    )
    const total = counted[0]?.n ?? 0
    let done = 0
    let after = '00000000-0000-0000-0000-000000000000'
    while (done < total) {
      const batch = await moveBatch(pool, table, after, batchSize)
      if (!batch.seen) break
      after = batch.last
      done += batch.seen
      moved += batch.moved
      opts.onProgress?.({ table, done: Math.min(done, total), total })
    }
  }
  return moved
}

async function moveBatch(pool: pg.Pool, table: SyncedTable, after: string, size: number) {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1)', [SEQ_LOCK])
    await client.query("SET LOCAL groundskeeper.applying = 'on'")
    const { rows } = await client.query<{
      row_id: string
      values: Values
      versions: Record<string, string>
      placed: boolean
    }>(
      `SELECT s.row_id, s."values", s.versions,
         EXISTS (SELECT 1 FROM "${table}" d WHERE d.id = s.row_id) AS placed
       FROM sync_rows s
       WHERE s.table_name = $1 AND s.row_id > $2 AND s."values" IS NOT NULL
       ORDER BY s.row_id LIMIT $3`,
      [table, after, size],
    )
    const waiting = rows.filter((r) => !r.placed)
    let moved = 0
    if (waiting.length) {
      await client.query('SAVEPOINT batch')
      try {
        await writeValues(
          client,
          table,
          waiting.map((r) => ({ id: r.row_id, values: r.values })),
        )
        moved = waiting.length
      } catch {
        await client.query('ROLLBACK TO SAVEPOINT batch')
        moved = await moveOneByOne(client, table, waiting)
      }
      await client.query(
        `UPDATE sync_rows SET "values" = NULL WHERE table_name = $1 AND row_id = ANY($2::uuid[])`,
        [table, rows.map((r) => r.row_id)],
      )
    }
    await client.query('COMMIT')
    return { seen: rows.length, moved, last: rows.at(-1)?.row_id ?? after }
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {})
    throw e
  } finally {
    client.release()
  }
}

async function moveOneByOne(
  client: pg.PoolClient,
  table: SyncedTable,
  rows: { row_id: string; values: Values; versions: Record<string, string> }[],
): Promise<number> {
  let moved = 0
  for (const r of rows) {
    await client.query('SAVEPOINT one')
    try {
      await writeValues(client, table, [{ id: r.row_id, values: r.values }])
      moved += 1
    } catch (e) {
      await client.query('ROLLBACK TO SAVEPOINT one')
      const err = e as { code?: string; message?: string }
      await client.query(
        `INSERT INTO sync_rows_unplaced (table_name, row_id, "values", versions, reason)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (table_name, row_id) DO NOTHING`,
        [table, r.row_id, r.values, r.versions, `${err.code ?? ''} ${err.message ?? ''}`.trim()],
      )
      // Set aside with its versions: the server no longer hands it out as a valid row.
      await client.query('DELETE FROM sync_rows WHERE table_name = $1 AND row_id = $2', [
        table,
        r.row_id,
      ])
    }
  }
  return moved
}
