import { z } from 'zod'
import { protocolField, SYNCED_TABLES, type SyncedTable, wireId } from './protocol'

/**
 * A new laptop's first pull as one stream (`POST /v1/sync/snapshot`): every current row
 * (tombstones included) with its field versions, table by table in apply order and by
 * id within a table, taken in one consistent read of the server. The laptop loads it in
 * bulk and then pulls incrementally from the snapshot's cursor.
 *
 * The stream is text, one line each:
 * - first `{"snapshot":1,"cursor":N}`: N is the change number the snapshot includes
 *   everything up to (pulls after it ask for `seq > N`);
 * - per table `{"table":"clients","columns":["name",...]}`, then its rows;
 * - a row is PostgreSQL's text COPY format (tab-separated, `\N` for null, backslash
 *   escapes): the id, the listed columns, and last its versions: one clock value when
 *   every listed column was written by the same write (most rows), or a JSON object;
 * - last `{"end":true,"rows":N}`. A stream without it was cut: ask again with `after`.
 *
 * Rows are COPY lines so that the laptop loads them as they come (`COPY ... FROM`),
 * without decoding and re-encoding 100,000 rows; control lines start with `{` and rows
 * with a hexadecimal digit, so the two cannot be confused.
 */
export const SNAPSHOT_FORMAT = 1
/** How far back a crew lead's laptop holds its crew's jobs (older ones it never needs). */
export const CREW_DAYS_BACK = 30
/** The most held jobs a snapshot request names. */
export const MAX_HELD_JOBS = 5000

export const SNAPSHOT_CONTENT_TYPE = 'application/x-groundskeeper-snapshot'

const table = z.enum(SYNCED_TABLES as [SyncedTable, ...SyncedTable[]])

export const snapshotRequest = z.strictObject({
  protocol: protocolField,
  /**
   * Continue an interrupted snapshot: rows of `table` with an id greater than `id`, and
   * the tables after it. The rest comes from a new read of the server, whose cursor is
   * not the first one's: the laptop keeps the first cursor (see the laptop's loader).
   */
  after: z.strictObject({ table, id: wireId }).optional(),
  /**
   * A crew lead's laptop that already holds jobs (it synced before, as an office laptop
   * or under another token): the ids of its crew's recent ones. They come whatever their
   * crew is now, so a job given to another crew meanwhile arrives saying so; a snapshot
   * otherwise holds only the crew's own jobs, and the laptop would keep its old copy.
   */
  held: z.array(wireId).max(MAX_HELD_JOBS, `at most ${MAX_HELD_JOBS} jobs`).optional(),
})
export type SnapshotRequest = z.infer<typeof snapshotRequest>

export const snapshotHeader = z.strictObject({
  snapshot: z.literal(SNAPSHOT_FORMAT),
  cursor: z.number().int().min(0),
})
export const snapshotTable = z.strictObject({
  table,
  columns: z.array(z.string().max(64)).min(1),
})
export const snapshotEnd = z.strictObject({ end: z.literal(true), rows: z.number().int().min(0) })

export type SnapshotLine =
  | { kind: 'header'; cursor: number }
  | { kind: 'table'; table: SyncedTable; columns: string[] }
  | { kind: 'end'; rows: number }
  | { kind: 'row'; line: string }

/** One line of the stream, or null when it is not one this format knows. */
export function parseSnapshotLine(line: string): SnapshotLine | null {
  if (!line.startsWith('{')) return /^[0-9a-f]{8}-/.test(line) ? { kind: 'row', line } : null
  let json: unknown
  try {
    json = JSON.parse(line)
  } catch {
    return null
  }
  const header = snapshotHeader.safeParse(json)
  if (header.success) return { kind: 'header', cursor: header.data.cursor }
  const start = snapshotTable.safeParse(json)
  if (start.success) return { kind: 'table', ...start.data }
  const end = snapshotEnd.safeParse(json)
  if (end.success) return { kind: 'end', rows: end.data.rows }
  return null
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r' }

/** A COPY text field back to its text (only the escapes the server writes). */
export function copyUnescape(field: string): string {
  return field.includes('\\')
    ? field.replace(/\\(.)/g, (_, c: string) => COPY_ESCAPES[c] ?? c)
    : field
}

/** One row line split into its COPY part (id and columns) and its versions. */
export function splitRow(line: string): { id: string; copy: string; versions: string } {
  const last = line.lastIndexOf('\t')
  return { id: line.slice(0, 36), copy: line.slice(0, last), versions: line.slice(last + 1) }
}
