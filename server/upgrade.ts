import { getTableName, is } from 'drizzle-orm'
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core'
import type pg from 'pg'
import * as schema from '../drizzle/schema'
import { APPLY_ORDER } from '../shared/sync/columns'
import type { SyncedTable } from '../shared/sync/protocol'
import { SYNCED_TABLES } from '../shared/sync/protocol'
import { readValues, syncRowsHas, type Values, writeValues } from './rows'

const SYNCED: ReadonlySet<string> = new Set(SYNCED_TABLES)

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
  const has = await syncRowsHas(client, 'values')
  legacy.set(client, has)
  return has
}

/**
 * The JSON copies of rows not moved yet. Read through `to_jsonb`, so that the query
 * cannot fail inside a push's transaction once another instance has dropped the column:
 * it then finds nothing.
 */
async function legacyValues(
  client: Queryable,
  table: SyncedTable,
  ids: readonly string[],
): Promise<Map<string, Values>> {
  const { rows } = await client.query<{ row_id: string; values: Values | null }>(
    `SELECT s.row_id, to_jsonb(s) -> 'values' AS values FROM sync_rows s
     WHERE s.table_name = $1 AND s.row_id = ANY($2::uuid[])`,
    [table, ids],
  )
  const found = new Map<string, Values>()
  for (const r of rows) if (r.values && typeof r.values === 'object') found.set(r.row_id, r.values)
  return found
}

/** Each synced table's foreign keys (column -> referenced synced table), from the schema. */
export const REFERENCES: ReadonlyMap<SyncedTable, [string, SyncedTable][]> = new Map(
  (Object.values(schema) as unknown[])
    .filter((t): t is PgTable => is(t, PgTable) && SYNCED.has(getTableName(t)))
    .map((t) => [
      getTableName(t) as SyncedTable,
      getTableConfig(t).foreignKeys.flatMap((fk) => {
        const ref = fk.reference()
        const target = getTableName(ref.foreignTable)
        const column = ref.columns[0]?.name
        return column && SYNCED.has(target)
          ? [[column, target as SyncedTable] as [string, SyncedTable]]
          : []
      }),
    ]),
)

/**
 * Before rows are written to their table while the move is under way: the rows they
 * refer to that have not moved yet move now (and theirs, first), so the keys hold.
 */
export async function placeReferenced(
  client: pg.PoolClient,
  table: SyncedTable,
  rows: readonly Values[],
  depth = 0,
): Promise<void> {
  if (!(await hasLegacyValues(client)) || depth > 8) return
  for (const [column, target] of REFERENCES.get(table) ?? []) {
    const ids = [...new Set(rows.map((r) => r[column]).filter((v) => typeof v === 'string'))]
    if (!ids.length) continue
    const present = await readValues(client, target, ids as string[])
    const missing = (ids as string[]).filter((id) => !present.has(id))
    if (!missing.length) continue
    const legacy = await legacyValues(client, target, missing)
    if (!legacy.size) continue
    await placeReferenced(client, target, [...legacy.values()], depth + 1)
    await writeValues(
      client,
      target,
      [...legacy].map(([id, values]) => ({ id, values })),
    )
  }
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
  for (const [id, v] of await legacyValues(client, table, missing)) found.set(id, v)
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
          waiting.map((r) => ({ id: r.row_id, values: r.values, versions: r.versions })),
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
      await writeValues(client, table, [{ id: r.row_id, values: r.values, versions: r.versions }])
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

/** Pools seen with the JSON copy gone: it never comes back. */
const settled = new WeakSet<pg.Pool>()
const lastLook = new WeakMap<pg.Pool, { at: number; moving: boolean }>()

/**
 * Whether rows kept as JSON are still moving into their tables (stage 2 under way, on
 * this instance or another). Readers of the tables alone (the REST API, snapshots) wait
 * for it: until then a table may lack rows. Looked up at most once a second.
 */
export async function rowsStillMoving(pool: pg.Pool, now = Date.now()): Promise<boolean> {
  if (settled.has(pool)) return false
  const last = lastLook.get(pool)
  if (last && now - last.at < 1000) return last.moving
  const { rows } = await pool.query<{ moving: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
       AND table_name = 'sync_rows' AND column_name = 'values') AS moving`,
  )
  const moving = rows[0]?.moving === true
  if (!moving) settled.add(pool)
  else lastLook.set(pool, { at: now, moving })
  return moving
}
