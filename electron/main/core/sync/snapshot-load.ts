import type { PGlite, Transaction } from '@electric-sql/pglite'
import { APPLY_ORDER, fieldsOf } from '../../../../shared/sync/columns'
import { clockOf, createdAtOf } from '../../../../shared/sync/merge'
import type { SyncedTable } from '../../../../shared/sync/protocol'
import { pulledVersionsRefusal } from '../../../../shared/sync/pulled-versions'
import { copyUnescape, splitRow } from '../../../../shared/sync/snapshot'
import { advanceClock, type SnapshotProgress, setState } from './store'

/**
 * Writes a chunk of snapshot rows into this laptop's database, in one transaction with
 * the progress that lets an interrupted first pull resume after it.
 *
 * The fast way COPYs the rows straight into their table and their versions into
 * `sync_versions`, with the table's triggers off (`session_replication_role = replica`).
 * What those triggers do is done here for the whole chunk at once instead of row by
 * row: foreign keys are checked by one query over the distinct ids the chunk refers to
 * (row-by-row checks were three quarters of the load's time), and each trigger stands in
 * by the entry of `TRIGGERS` named after its function, fed the chunk's values of the
 * columns it names (read from the lines: looking the rows up again cost a tenth of the
 * load). A trigger this module does not know keeps its table on the slow way: a test
 * lists the triggers of every synced table, so whoever adds one decides here.
 *
 * The slow way is the inbox: the chunk waits there and is merged by the normal pull's
 * rule (store.ts `applyInbox`), row by row if need be. A chunk takes it when the fast way
 * fails: a row this laptop already has (a local row, or one another server sent), a
 * reference not there yet, anything the database refuses.
 */
type Queryable = PGlite | Transaction

/**
 * A statement run after a chunk's rows are in: `$1`, `$2`... are the chunk's values of
 * `columns`, in order, as text arrays (null for null).
 */
interface AfterChunk {
  sql: string
  columns: string[]
}

interface TriggerRole {
  why: string
  /** What the trigger would have done for the chunk's rows. */
  after?: (table: SyncedTable, args: string[]) => AfterChunk
  /** A condition on a loaded row (alias `t`) that sends the chunk the slow way. */
  refuse?: string
}

export const TRIGGERS: Readonly<Record<string, TriggerRole>> = {
  sync_capture: { why: 'records local writes; rows from the server are not local writes' },
  sync_capture_inserts: {
    why: 'records local inserts, a statement at a time; rows from the server are not local writes',
  },
  live_name_unique: { why: 'checks names of local writes only, never of merged rows' },
  specialty_set_id: {
    why: "a specialty's id is its pair's; the server's rows carry that id",
    refuse: 't.id <> specialty_id(t.team_member_id, t.service_id)',
  },
  appointment_counts_apply: {
    why: 'counts jobs by status: the inserted rows are counted here',
    after: () => ({
      sql: `INSERT INTO appointment_counts (status, n)
        SELECT x.status, count(*) FROM unnest($1::text[], $2::text[]) AS x(status, deleted_at)
        WHERE x.deleted_at IS NULL GROUP BY x.status
        ON CONFLICT (status) DO UPDATE SET n = appointment_counts.n + EXCLUDED.n`,
      columns: ['status', 'deleted_at'],
    }),
  },
  change_counters_bump: {
    why: 'tells caches their table changed: bumped once per chunk',
    after: (_t, [name]) => ({
      sql: `INSERT INTO change_counters (name, n) VALUES ('${(name ?? '').replaceAll("'", "''")}', 1)
        ON CONFLICT (name) DO UPDATE SET n = change_counters.n + 1`,
      columns: [],
    }),
  },
}

export interface LoadPlan {
  table: SyncedTable
  /** The server's columns for this table, in its order. */
  columns: string[]
  /** Whether the fast way may be tried. */
  bulk: boolean
  /**
   * Ids a chunk refers to that are not there (`$1`, `$2`...: the distinct values of
   * `columns`), and rows (`$n+1`: the chunk's ids) breaking a trigger's rule.
   */
  check: { sql: string; columns: string[] } | null
  after: AfterChunk[]
}

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ')

/** The triggers and foreign keys of a table, and how the fast way stands in for them. */
export async function planLoad(
  pg: Queryable,
  table: SyncedTable,
  columns: string[],
): Promise<LoadPlan> {
  const { rows: triggers } = await pg.query<{ fn: string; args: string }>(
    `SELECT p.proname AS fn, encode(t.tgargs, 'escape') AS args
     FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
     WHERE t.tgrelid = $1::regclass AND NOT t.tgisinternal`,
    [table],
  )
  const { rows: keys } = await pg.query<{
    col: string
    type: string
    ref: string
    refcol: string
    n: number
  }>(
    `SELECT a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type,
       c.confrelid::regclass::text AS ref, af.attname AS refcol, array_length(c.conkey, 1) AS n
     FROM pg_constraint c
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
     WHERE c.conrelid = $1::regclass AND c.contype = 'f'`,
    [table],
  )
  const roles = triggers.map((t) => ({ role: TRIGGERS[t.fn], args: t.args.split('\\000') }))
  const after = [
    ...new Map(
      roles.flatMap((r) => {
        const step = r.role?.after?.(table, r.args)
        return step ? [[step.sql, step] as const] : []
      }),
    ).values(),
  ]
  const has = new Set(['id', ...columns])
  const bulk =
    roles.every((r) => r.role) &&
    keys.every((k) => k.n === 1) &&
    after.every((a) => a.columns.every((c) => has.has(c)))
  // A column the server does not send is null in every row: it refers to nothing.
  const sent = keys.filter((k) => has.has(k.col))
  const missing = sent.map(
    (k, i) =>
      `(SELECT count(*) FROM unnest($${i + 1}::${k.type}[]) AS x(v)
        WHERE NOT EXISTS (SELECT 1 FROM ${k.ref} r WHERE r."${k.refcol}" = x.v))`,
  )
  const refused = roles.flatMap((r) => (r.role?.refuse ? [`(${r.role.refuse})`] : []))
  if (refused.length)
    missing.push(
      `(SELECT count(*) FROM "${table}" t WHERE t.id = ANY($${sent.length + 1}::uuid[])
        AND (${refused.join(' OR ')}))`,
    )
  return {
    table,
    columns,
    bulk,
    check: missing.length
      ? {
          sql: `SELECT (${missing.join(' + ')})::int AS n`,
          columns: [...sent.map((k) => k.col), ...(refused.length ? ['id'] : [])],
        }
      : null,
    after,
  }
}

/** COPY text fields back to values: null for `\N`. */
const fieldValue = (field: string | undefined) =>
  field === undefined || field === '\\N' ? null : copyUnescape(field)

/** A chunk's rows sorted by how they travel. */
interface Sorted {
  ids: string[]
  copy: string[]
  /** The loaded rows' COPY fields: the id, then the columns. */
  fields: string[][]
  /** Rows whose columns all share one version: their ids and that version. */
  same: { ids: string[]; versions: string[] }
  /** Rows with versions per column: `sync_versions` COPY lines. */
  perColumn: string[]
  /** Rows whose versions this laptop will not adopt yet: they wait in the inbox. */
  refused: string[]
  newest: string
}

function sortRows(table: SyncedTable, lines: string[], nowMs: number): Sorted {
  const out: Sorted = {
    ids: [],
    copy: [],
    fields: [],
    same: { ids: [], versions: [] },
    perColumn: [],
    refused: [],
    newest: '',
  }
  for (const line of lines) {
    const { id, copy, versions } = splitRow(line)
    const one = !versions.startsWith('{')
    let parsed: Record<string, unknown>
    try {
      parsed = one ? { version: versions } : (JSON.parse(copyUnescape(versions)) as typeof parsed)
    } catch {
      parsed = { versions: null }
    }
    if (pulledVersionsRefusal(parsed, nowMs)) {
      out.refused.push(line)
      continue
    }
    for (const v of Object.values(parsed)) {
      const clock = clockOf(v as string)
      if (clock > out.newest) out.newest = clock
    }
    out.ids.push(id)
    out.fields.push(copy.split('\t'))
    // Made when its versions say (`createdAtOf`), as a pulled row is.
    const made = createdAtOf(parsed as Record<string, string>) ?? new Date(nowMs).toISOString()
    out.copy.push(`${copy}\t${made}`)
    if (one) {
      out.same.ids.push(id)
      out.same.versions.push(versions)
    } else out.perColumn.push(`${table}\t${id}\t${versions}`)
  }
  return out
}

const blob = (lines: string[]) => new Blob([`${lines.join('\n')}\n`])

/** The chunk's values of a column (the id or one of the plan's), for a statement's parameter. */
function columnValues(plan: LoadPlan, rows: Sorted, column: string, distinct: boolean) {
  const at = column === 'id' ? 0 : plan.columns.indexOf(column) + 1
  const values = rows.fields.map((f) => fieldValue(f[at]))
  return distinct ? [...new Set(values.filter((v) => v !== null))] : values
}

/** The fast way. Throws (and the transaction rolls back) when a row cannot go this way. */
export async function loadChunk(
  pg: PGlite,
  plan: LoadPlan,
  lines: string[],
  progress: SnapshotProgress,
): Promise<{ loaded: number; staged: number }> {
  const rows = sortRows(plan.table, lines, Date.now())
  const { table, columns } = plan
  await pg.transaction(async (tx) => {
    await tx.query("SELECT set_config('groundskeeper.applying', 'on', true)")
    // The commit need not wait for the disk: a crash loses the last chunks together with
    // the progress stored beside them (the log is replayed in order), and the load resumes
    // from the progress that survived.
    await tx.query('SET LOCAL synchronous_commit = off')
    await tx.query('SET LOCAL session_replication_role = replica')
    if (rows.ids.length) {
      await tx.query(`COPY "${table}" (id, ${quoted(columns)}, created_at) FROM '/dev/blob'`, [], {
        blob: blob(rows.copy),
      })
    }
    if (rows.same.ids.length) {
      // Stored as the one value (sync/versions.ts): written out per field, this was a
      // third of the load's time. That value stands for every field of the table, so a
      // server sending fewer columns (older than this app) has them written out.
      if (columns.length === fieldsOf(table).length)
        await tx.query(
          `INSERT INTO sync_versions (table_name, row_id, versions, version)
           SELECT $1, x.id, '{}', x.v FROM unnest($2::uuid[], $3::text[]) AS x(id, v)`,
          [table, rows.same.ids, rows.same.versions],
        )
      else
        await tx.query(
          `INSERT INTO sync_versions (table_name, row_id, versions)
           SELECT $1, x.id, jsonb_object($4::text[], array_fill(x.v, ARRAY[${columns.length}]))
           FROM unnest($2::uuid[], $3::text[]) AS x(id, v)`,
          [table, rows.same.ids, rows.same.versions, columns],
        )
    }
    if (rows.perColumn.length) {
      await tx.query(`COPY sync_versions (table_name, row_id, versions) FROM '/dev/blob'`, [], {
        blob: blob(rows.perColumn),
      })
    }
    if (plan.check && rows.ids.length) {
      const { rows: bad } = await tx.query<{ n: number }>(
        plan.check.sql,
        plan.check.columns.map((c) => columnValues(plan, rows, c, c !== 'id')),
      )
      if (bad[0]?.n) throw new Error('a row of the chunk refers to a row not here')
    }
    for (const step of plan.after) {
      if (!rows.ids.length && step.columns.length) continue
      await tx.query(
        step.sql,
        step.columns.map((c) => columnValues(plan, rows, c, false)),
      )
    }
    await tx.query('SET LOCAL session_replication_role = origin')
    if (rows.refused.length) await stageRows(tx, plan, rows.refused, progress.cursor)
    if (rows.newest) await advanceClock(tx, rows.newest)
    await setState(tx, 'snapshot', progress)
  })
  return { loaded: rows.ids.length, staged: rows.refused.length }
}

/** The slow way: the whole chunk into the inbox, with the progress. */
export async function stageChunk(
  pg: PGlite,
  plan: LoadPlan,
  lines: string[],
  progress: SnapshotProgress,
): Promise<{ loaded: number; staged: number }> {
  await pg.transaction(async (tx) => {
    await stageRows(tx, plan, lines, progress.cursor)
    await setState(tx, 'snapshot', progress)
  })
  return { loaded: 0, staged: lines.length }
}

/**
 * Rows into the inbox as a pull would leave them: values as JSON (the merge reads them
 * with `jsonb_populate_record`), versions expanded, the snapshot's cursor as their
 * change number (a later pull of the same row replaces them).
 */
async function stageRows(tx: Transaction, plan: LoadPlan, lines: string[], seq: number) {
  const { table, columns } = plan
  await tx.query(
    `CREATE TEMP TABLE snapshot_stage ON COMMIT DROP AS
     SELECT id, ${quoted(columns)}, NULL::text AS v FROM "${table}" WITH NO DATA`,
  )
  await tx.query(`COPY snapshot_stage FROM '/dev/blob'`, [], { blob: blob(lines) })
  await tx.query(
    `INSERT INTO sync_inbox (table_name, row_id, values, versions, seq, rank)
     SELECT $1, s.id, to_jsonb(s) - 'id' - 'v',
       CASE WHEN left(s.v, 1) = '{' THEN s.v::jsonb
         ELSE jsonb_build_object(${columns.map((c) => `'${c}', s.v`).join(', ')}) END,
       $2, $3
     FROM snapshot_stage s
     ON CONFLICT (table_name, row_id) DO UPDATE
       SET values = EXCLUDED.values, versions = EXCLUDED.versions, seq = EXCLUDED.seq, error = NULL
       WHERE sync_inbox.seq <= EXCLUDED.seq`,
    [table, seq, APPLY_ORDER.indexOf(table)],
  )
  await tx.query('DROP TABLE snapshot_stage')
}
