import { Readable } from 'node:stream'
import type { FastifyReply } from 'fastify'
import type pg from 'pg'
import { APPLY_ORDER, fieldsOf, INSTANT_FIELDS } from '../shared/sync/columns'
import type { SyncedTable } from '../shared/sync/protocol'
import {
  SNAPSHOT_CONTENT_TYPE,
  SNAPSHOT_FORMAT,
  type SnapshotRequest,
  snapshotRequest,
} from '../shared/sync/snapshot'
import { explain } from './explain'
import { syncRowsHas, wireColumn } from './rows'
import { crewOf, HELD_SCOPED, scopeOf } from './snapshot-scope'
import type { Device } from './tokens'

/**
 * A new laptop's first pull as one stream (format: shared/sync/snapshot.ts): every
 * current row of each table with its versions, read in one REPEATABLE READ transaction,
 * so the stream is one consistent state of the business, and its cursor is the largest
 * change number that state holds.
 *
 * Why pulls after the cursor miss nothing: change numbers are handed out under SEQ_LOCK,
 * held by each push to its commit, and PostgreSQL releases a transaction's locks only
 * after its commit is visible. A push this snapshot does not see either committed after
 * the snapshot began or was still holding the lock; every push it does see took the lock
 * before, and so took smaller numbers. Every change the snapshot lacks therefore has a
 * number above the largest it has: `seq > cursor` finds it. (The sequence's own position
 * could not serve: numbers of pushes still running are already taken from it.)
 */
const PAGE_ROWS = 5000
const READ_AHEAD_BYTES = 4 * 2 ** 20
/** A reader that stops reading leaves the transaction idle: PostgreSQL ends it then. */
const IDLE_LIMIT = '120s'

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`
/** Text as a COPY field: backslash, newline, carriage return and tab escaped. */
const escaped = (sql: string) =>
  `replace(replace(replace(replace(${sql}, '\\', '\\\\'), E'\\n', '\\n'), E'\\r', '\\r'), E'\\t', '\\t')`

/** Column types of the synced tables, per database (read once). */
const typesOf = new WeakMap<pg.Pool, Promise<Map<string, string>>>()

function columnTypes(pool: pg.Pool): Promise<Map<string, string>> {
  let types = typesOf.get(pool)
  if (!types) {
    types = pool
      .query<{ key: string; data_type: string }>(
        `SELECT table_name || '.' || column_name AS key, data_type FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = ANY($1)`,
        [APPLY_ORDER],
      )
      .then(({ rows }) => new Map(rows.map((r) => [r.key, r.data_type])))
    types.catch(() => typesOf.delete(pool))
    typesOf.set(pool, types)
  }
  return types
}

/** One column of `d` as a COPY field: instants in ISO UTC, text escaped, `\N` for null. */
function copyField(table: SyncedTable, field: string, types: Map<string, string>): string {
  const col = `d.${ident(field)}`
  const type = types.get(`${table}.${field}`)
  if (!type) throw new Error(`the central table ${table} has no column ${field}`)
  // Instants and money exactly as a paged pull carries them.
  const text = INSTANT_FIELDS.has(field)
    ? wireColumn('d', field)
    : type === 'text' || type === 'character varying'
      ? escaped(col)
      : `${col}::text`
  return `coalesce(${text}, '\\N')`
}

/**
 * The versions field: one clock value when every column has the same one, else the JSON
 * object. (Versions name only the table's columns: pushes are checked against them.)
 */
function versionsField(fields: string[]): string {
  const first = `s.versions ->> '${fields[0]}'`
  const same = fields.slice(1).map((f) => `s.versions ->> '${f}' = ${first}`)
  return `CASE WHEN ${[`${first} IS NOT NULL`, ...same].join(' AND ')}
    THEN ${first} ELSE ${escaped('s.versions::text')} END`
}

/**
 * A table's rows after an id, as stream lines, in id order; `$1` after, `$2` crew, `$3`
 * the jobs the laptop holds (when `held`).
 */
function pageQuery(
  device: Device,
  table: SyncedTable,
  types: Map<string, string>,
  held: boolean,
): { text: string; scoped: boolean } {
  const fields = fieldsOf(table)
  const scope = scopeOf(device, table, 2, held ? 3 : undefined)
  const line = [
    'd.id::text',
    ...fields.map((f) => copyField(table, f, types)),
    versionsField(fields),
  ].join(", E'\\t', ")
  const text = `${scope.ctes ? `WITH RECURSIVE ${scope.ctes}` : ''}
    SELECT concat(${line}) AS line
    FROM sync_rows s JOIN ${ident(table)} d ON d.id = s.row_id
    WHERE s.table_name = '${table}' AND s.row_id > $1::uuid AND (${scope.where})
    ORDER BY s.row_id`
  return { text, scoped: scope.ctes !== '' }
}

const NO_ID = '00000000-0000-0000-0000-000000000000'

/**
 * The stream's text, page by page: one cursor per table, fetched a page at a time. (A
 * query per page with LIMIT was planned anew each page, and on tables not yet analyzed,
 * as right after a large import, the planner chose to join and sort the whole table for
 * every page: 20 times the work for 100,000 rows.) The transaction is read-only and ends
 * with the stream, however it ends: a reader that goes away destroys the stream, which
 * ends the generator (its `finally`), which rolls back and frees the connection.
 */
export async function* snapshotText(
  pool: pg.Pool,
  device: Device,
  request: SnapshotRequest,
  opts: { pageRows?: number } = {},
): AsyncGenerator<string> {
  const pageRows = opts.pageRows ?? PAGE_ROWS
  const types = await columnTypes(pool)
  const client = await pool.connect()
  let failed = false
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    await client.query(`SET LOCAL idle_in_transaction_session_timeout = '${IDLE_LIMIT}'`)
    const { rows } = await client.query<{ cursor: string }>(
      'SELECT coalesce(max(seq), 0)::text AS cursor FROM sync_rows',
    )
    yield `${JSON.stringify({ snapshot: SNAPSHOT_FORMAT, cursor: Number(rows[0]?.cursor ?? 0) })}\n`
    const from = request.after ? APPLY_ORDER.indexOf(request.after.table) : 0
    let total = 0
    for (const table of APPLY_ORDER.slice(from)) {
      yield `${JSON.stringify({ table, columns: fieldsOf(table) })}\n`
      const held = HELD_SCOPED.includes(table) && !!request.held?.length
      const query = pageQuery(device, table, types, held)
      const after = request.after?.table === table ? request.after.id : NO_ID
      await client.query(
        `DECLARE snapshot_rows NO SCROLL CURSOR FOR ${query.text}`,
        query.scoped ? [after, crewOf(device), ...(held ? [request.held] : [])] : [after],
      )
      for (;;) {
        const page = await client.query<{ line: string }>({
          text: `FETCH FORWARD ${pageRows} FROM snapshot_rows`,
          rowMode: 'array',
        } as pg.QueryConfig)
        const lines = page.rows as unknown as [string][]
        if (!lines.length) break
        total += lines.length
        yield `${lines.map((l) => l[0]).join('\n')}\n`
        if (lines.length < pageRows) break
      }
      await client.query('CLOSE snapshot_rows')
    }
    yield `${JSON.stringify({ end: true, rows: total })}\n`
  } catch (e) {
    failed = true
    throw e
  } finally {
    await client.query('ROLLBACK').catch(() => {})
    // A connection PostgreSQL ended (idle too long) or that failed is not reused.
    client.release(failed)
  }
}

/** Whether rows may still be waiting in the JSON store (an upgrade in progress). */
const upgradeInProgress = (pool: pg.Pool) => syncRowsHas(pool, 'values')

const refuse = (reply: FastifyReply, status: number, code: string, message: string) =>
  reply.code(status).send({ ok: false, error: { code, message } })

/** `POST /v1/sync/snapshot`: the stream, or the app's error envelope before it starts. */
export async function serveSnapshot(
  pool: pg.Pool,
  device: Device,
  body: unknown,
  reply: FastifyReply,
) {
  const parsed = snapshotRequest.safeParse(body ?? {})
  if (!parsed.success) return refuse(reply, 400, 'VALIDATION', explain(parsed.error, body))
  // Rows not yet moved into their tables would be missing: pull page by page meanwhile.
  if (await upgradeInProgress(pool))
    return refuse(reply, 404, 'NOT_FOUND', 'snapshots are served once the upgrade is complete')
  // Pages are read ahead while the laptop stores the previous ones.
  const stream = Readable.from(snapshotText(pool, device, parsed.data), {
    objectMode: false,
    highWaterMark: READ_AHEAD_BYTES,
  })
  return reply.type(SNAPSHOT_CONTENT_TYPE).header('cache-control', 'no-store').send(stream)
}
