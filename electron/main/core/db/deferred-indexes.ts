import type { PGlite, Transaction } from '@electric-sql/pglite'

/**
 * Indexes put aside while an empty table is loaded in bulk (a new laptop's first pull),
 * and built again once its rows are in. Building an index over 100,000 rows at once
 * takes a fraction of keeping it up to date row by row: for the appointments, a second
 * of the first pull.
 *
 * Only what no rule depends on is put aside: unique indexes (primary keys, the ones
 * `ON CONFLICT` and uniqueness rely on) and indexes behind constraints stay, and so do
 * the ones the screens read while the load runs (`KEPT`), so the app stays usable.
 *
 * Which indexes are aside is written in `sync_state` in the transaction that drops
 * them, and each is taken off that record in the transaction that builds it again: a
 * crash at any moment leaves the record matching the database. Whatever is still aside
 * is built again when the load ends or fails, when the database opens (before its
 * migrations, which may expect them), and before a restore drops a backup's sync state.
 */
type Queryable = PGlite | Transaction

const RECORD = 'deferred_indexes'

/** What the app reads while a table loads: the list page and the calendar's range. */
const KEPT: ReadonlySet<string> = new Set(['appointments_live_list_idx'])

async function aside(pg: Queryable): Promise<string[]> {
  const { rows } = await pg.query<{ value: string[] }>(
    'SELECT value FROM sync_state WHERE key = $1',
    [RECORD],
  )
  return rows[0]?.value ?? []
}

async function record(tx: Transaction, definitions: string[]): Promise<void> {
  if (!definitions.length) {
    await tx.query('DELETE FROM sync_state WHERE key = $1', [RECORD])
    return
  }
  await tx.query(
    `INSERT INTO sync_state (key, value, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [RECORD, JSON.stringify(definitions)],
  )
}

/**
 * Puts aside the indexes of `table` that may go, when it holds no row. Returns how many
 * went (0 when the table holds rows: building over them again would cost more).
 */
export async function deferIndexes(pg: PGlite, table: string): Promise<number> {
  return pg.transaction(async (tx) => {
    const { rows: held } = await tx.query(`SELECT 1 FROM "${table}" LIMIT 1`)
    if (held.length) return 0
    const { rows } = await tx.query<{ name: string; definition: string }>(
      `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = $1::regclass AND i.indisvalid
         AND NOT i.indisunique AND NOT i.indisprimary AND NOT i.indisexclusion
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
       ORDER BY c.relname`,
      [table],
    )
    const going = rows.filter((r) => !KEPT.has(r.name))
    if (!going.length) return 0
    await record(tx, [...(await aside(tx)), ...going.map((r) => r.definition)])
    for (const r of going) await tx.query(`DROP INDEX "${r.name}"`)
    return going.length
  })
}

/**
 * Builds again every index put aside, one transaction each (`between` runs after each:
 * the app's queries go in between). Safe to call at any time: without a record it does
 * nothing.
 */
export async function restoreIndexes(pg: PGlite, between?: () => Promise<void>): Promise<number> {
  const { rows } = await pg.query<{ present: boolean }>(
    "SELECT to_regclass('sync_state') IS NOT NULL AS present",
  )
  if (!rows[0]?.present) return 0
  let built = 0
  for (;;) {
    const left = await aside(pg)
    const [next, ...rest] = left
    if (next === undefined) return built
    await pg.transaction(async (tx) => {
      // An index of that name made meanwhile (by a migration) is left as it is.
      await tx.exec(next.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX IF NOT EXISTS '))
      await record(tx, rest)
    })
    built += 1
    await between?.()
  }
}
