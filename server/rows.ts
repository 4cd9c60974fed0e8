import type pg from 'pg'
import { fieldsOf, INSTANT_FIELDS, MONEY_FIELDS } from '../shared/sync/columns'
import { createdAtOf, type FieldValue } from '../shared/sync/merge'
import type { SyncedTable } from '../shared/sync/protocol'

/**
 * The central database keeps every synced row in its domain table (the same Drizzle
 * schema as the laptops), and beside it, in `sync_rows`, the row's per-field versions
 * and its change number. This module turns domain rows into the values the sync
 * protocol carries and back.
 */
export type Values = Record<string, FieldValue>

/**
 * Whether `sync_rows` has a column: it gains and loses some as a server upgrades, and an
 * upgrading server answers requests meanwhile (server/db.ts SERVE_WHILE_MOVING).
 */
export async function syncRowsHas(q: pg.Pool | pg.PoolClient, column: string): Promise<boolean> {
  const { rows } = await q.query(
    `SELECT 1 FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'sync_rows' AND column_name = $1`,
    [column],
  )
  return rows.length > 0
}

/** Whether the database has `table` yet (a server upgrading may not). */
export async function hasTable(q: pg.Pool | pg.PoolClient, table: string): Promise<boolean> {
  const { rows } = await q.query<{ has: boolean }>('SELECT to_regclass($1) IS NOT NULL AS has', [
    table,
  ])
  return rows[0]?.has === true
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`

/** One column as the protocol carries it: money as exact text, instants as ISO UTC. */
export function wireColumn(alias: string, field: string): string {
  const col = `${alias}.${ident(field)}`
  if (MONEY_FIELDS.has(field)) return `${col}::text`
  if (INSTANT_FIELDS.has(field))
    return `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
  // numeric coordinates become JSON numbers
  return col
}

/** A JSON object of a domain row's synced fields, as the protocol carries them. */
export function rowValuesSql(table: SyncedTable, alias: string): string {
  return `jsonb_build_object(${fieldsOf(table)
    .map((f) => `'${f}', ${wireColumn(alias, f)}`)
    .join(', ')})`
}

/** The stored values of some rows of one table, by id (absent ids are left out). */
export async function readValues(
  client: pg.PoolClient | pg.Pool,
  table: SyncedTable,
  ids: readonly string[],
): Promise<Map<string, Values>> {
  if (!ids.length) return new Map()
  const { rows } = await client.query<{ id: string; values: Values }>(
    `SELECT d.id, ${rowValuesSql(table, 'd')} AS values FROM ${ident(table)} d
     WHERE d.id = ANY($1::uuid[])`,
    [ids],
  )
  return new Map(rows.map((r) => [r.id, r.values]))
}

/**
 * Writes merged rows of one table: new rows are inserted with the fields they carry (the
 * columns they leave out take their defaults) and, given their versions, made when those
 * say (`createdAtOf`); known rows get every field written. One statement per set of
 * fields, so a batch of 500 costs a handful of statements.
 */
export async function writeValues(
  client: pg.PoolClient,
  table: SyncedTable,
  rows: readonly { id: string; values: Values; versions?: Record<string, string> }[],
): Promise<void> {
  const known = new Set(fieldsOf(table))
  const groups = new Map<string, { fields: string[]; rows: Record<string, unknown>[] }>()
  for (const r of rows) {
    const fields = Object.keys(r.values)
      .filter((f) => known.has(f))
      .sort()
    const made = r.versions ? createdAtOf(r.versions) : null
    if (made) fields.push('created_at')
    const key = fields.join(',')
    const group = groups.get(key) ?? { fields, rows: [] }
    group.rows.push({ ...r.values, id: r.id, ...(made ? { created_at: made } : {}) })
    groups.set(key, group)
  }
  for (const { fields, rows: group } of groups.values()) {
    const columns = ['id', ...fields].map(ident).join(', ')
    // A known row keeps when it was made.
    const updates = fields
      .filter((f) => f !== 'created_at')
      .map((f) => `${ident(f)} = EXCLUDED.${ident(f)}`)
    await client.query(
      `INSERT INTO ${ident(table)} (${columns})
       SELECT ${columns} FROM jsonb_populate_recordset(NULL::${ident(table)}, $1::jsonb)
       ON CONFLICT (id) DO UPDATE SET ${[...updates, 'updated_at = now()'].join(', ')}`,
      [JSON.stringify(group)],
    )
  }
}
