import type { PGlite } from '@electric-sql/pglite'
import { fieldsOf } from '../../../../shared/sync/columns'
import { PROTOCOL_VERSION } from '../../../../shared/sync/protocol'
import { CREW_DAYS_BACK, MAX_HELD_JOBS, parseSnapshotLine } from '../../../../shared/sync/snapshot'
import { deferIndexes, restoreIndexes } from '../db/deferred-indexes'
import { type SyncHttp, SyncHttpError } from './http'
import { type LoadPlan, loadChunk, planLoad, stageChunk } from './snapshot-load'
import { applyInbox, clearState, getState, type SnapshotProgress, setState } from './store'

/**
 * A new laptop's first pull: the server's snapshot (shared/sync/snapshot.ts) loaded in
 * bulk as it streams in, chunk by chunk, each chunk one short transaction (the app's own
 * queries go between them). Then the sync loop pulls incrementally from its cursor.
 *
 * Rows this laptop already holds are never overwritten: a chunk holding one goes through
 * the inbox and is merged by the normal pull's rule (snapshot-load.ts), so pending local
 * writes, rows made here and never synced, and rows from another server all survive as
 * a paged pull would leave them.
 *
 * Interrupted (the connection cut, the app closed), it resumes: each chunk stores, with
 * its rows, where the stream got to, and the next round asks the server for the rows
 * after it. That rest comes from a newer read of the server, so the cursor stored at the
 * end is the first part's, never the newer one's: the rows loaded before the cut may have
 * changed since, and only pulling from the first cursor brings those changes. Rows
 * loaded from the newer read come again in that pull, and merge as no-ops.
 *
 * A table this laptop holds no row of loads without its secondary indexes, which are
 * built again once its rows are in (db/deferred-indexes.ts): however the load ends.
 */
export interface SnapshotOptions {
  /** Rows per transaction. */
  chunk?: number
  /** Rows per transaction when merging rows that went through the inbox. */
  applyChunk?: number
  /** Runs between transactions (lets the app's queries in; throws to stop). */
  pause?: () => Promise<void>
  /** Told which tables took rows, as each table is done. */
  onTables?: (tables: string[]) => void
  /** A crew lead's laptop: its crew's jobs it holds already (see `snapshotRequest.held`). */
  held?: string[]
}

export interface SnapshotReport {
  cursor: number
  /** Rows received, rows loaded in bulk, rows merged through the inbox. */
  rows: number
  loaded: number
  staged: number
}

const unreadable = () =>
  new SyncHttpError('protocol', 'the server sent a first pull this app does not understand')

/**
 * Loads the snapshot, or resumes the one under way. Null when the server serves none or
 * one this app cannot load (the loop then pulls page by page, which merges whatever part
 * of a snapshot is already here). `from` names the server and device.
 */
export async function pullSnapshot(
  pg: () => PGlite,
  http: SyncHttp,
  from: string,
  opts: SnapshotOptions = {},
): Promise<SnapshotReport | null> {
  const size = opts.chunk ?? 5000
  // Indexes an earlier, interrupted load put aside come back before anything else.
  await restoreIndexes(pg())
  const saved = await getState(pg(), 'snapshot')
  const resumed = saved?.from === from ? saved : undefined
  const lines = await http.snapshot({
    protocol: PROTOCOL_VERSION,
    ...(resumed ? { after: { table: resumed.table, id: resumed.after } } : {}),
    ...(opts.held?.length ? { held: opts.held } : {}),
  })
  if (!lines) return null
  let cursor = resumed?.cursor ?? null
  let plan: LoadPlan | null = null
  let chunk: string[] = []
  let tableRows = 0
  let tableStaged = 0
  const report: SnapshotReport = { cursor: 0, rows: 0, loaded: 0, staged: 0 }

  const flush = async () => {
    if (!plan || !chunk.length || cursor === null) return
    const rows = chunk
    chunk = []
    const at: SnapshotProgress = {
      from,
      cursor,
      table: plan.table,
      after: (rows.at(-1) as string).slice(0, 36),
    }
    let done: { loaded: number; staged: number }
    try {
      done = plan.bulk
        ? await loadChunk(pg(), plan, rows, at)
        : await stageChunk(pg(), plan, rows, at)
    } catch (e) {
      if (!plan.bulk) throw e
      done = await stageChunk(pg(), plan, rows, at)
    }
    report.rows += rows.length
    report.loaded += done.loaded
    report.staged += done.staged
    tableRows += rows.length
    tableStaged += done.staged
    await opts.pause?.()
  }

  /** A table is in: rows it sent through the inbox merge now, before tables that refer to them. */
  const endTable = async () => {
    await flush()
    await restoreIndexes(pg(), opts.pause)
    if (plan && tableStaged) {
      await applyInbox(pg(), {
        ...(opts.applyChunk ? { chunk: opts.applyChunk } : {}),
        ...(opts.pause ? { pause: opts.pause } : {}),
      })
    }
    if (plan && tableRows) opts.onTables?.([plan.table])
    tableRows = 0
    tableStaged = 0
  }

  try {
    for await (const batch of lines) {
      for (const line of batch) {
        const parsed = parseSnapshotLine(line)
        if (!parsed) throw unreadable()
        if (parsed.kind === 'header') {
          cursor ??= parsed.cursor
        } else if (parsed.kind === 'row') {
          if (!plan) throw unreadable()
          chunk.push(parsed.line)
          if (chunk.length >= size) await flush()
        } else if (parsed.kind === 'table') {
          if (cursor === null) throw unreadable()
          await endTable()
          const known = new Set(fieldsOf(parsed.table))
          if (!parsed.columns.every((c) => known.has(c))) {
            // A newer server's columns: this app cannot COPY them, a paged pull can merge them.
            await lines.return(undefined)
            await clearState(pg(), ['snapshot'])
            return null
          }
          plan = await planLoad(pg(), parsed.table, parsed.columns)
          if (plan.bulk) await deferIndexes(pg(), plan.table)
        } else {
          await endTable()
          if (cursor === null) throw unreadable()
          const end = cursor
          await pg().transaction(async (tx) => {
            await setState(tx, 'cursor', end)
            await clearState(tx, ['snapshot'])
          })
          return { ...report, cursor: end }
        }
      }
    }
    throw new SyncHttpError('offline', 'the first pull was cut; it resumes where it stopped')
  } finally {
    // Cut or stopped: the rows loaded so far are indexed as always (a failure here is
    // repaired when the database next opens).
    await restoreIndexes(pg()).catch(() => {})
  }
}

/**
 * The crew's recent jobs this laptop holds, newest first: a crew lead's first pull names
 * them, so that one given to another crew since comes too and says so.
 */
export async function heldJobs(pg: PGlite, crew: string): Promise<string[]> {
  const { rows } = await pg.query<{ id: string }>(
    `SELECT id FROM appointments
     WHERE team_member_id = $1 AND deleted_at IS NULL
       AND scheduled_at >= now() - make_interval(days => $2)
     ORDER BY scheduled_at DESC LIMIT $3`,
    [crew, CREW_DAYS_BACK, MAX_HELD_JOBS],
  )
  return rows.map((r) => r.id)
}
