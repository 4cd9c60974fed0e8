import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { backfillPriority, PRIORITY_NOT_NULL_MIGRATION } from '../drizzle/runner/backfill-priority'
import { DOMAIN_MIGRATIONS_FOLDER } from '../drizzle/runner/folders'
import { loadMigrations, migrate } from '../drizzle/runner/migrations'
import type { SqlRunner } from '../drizzle/runner/sql-runner'
import { CONNECT_TIMEOUT_MS, databaseProblem } from './database-problem'
import { type MoveProgress, moveRowsToTables } from './upgrade'

export const SERVER_MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), 'migrations')

/**
 * The central PostgreSQL. The server runs the same domain migration history as the
 * laptops — on a large live table the staged priority rollout matters most here:
 * `lock_timeout` in the migrations, the batched backfill (each batch its own short
 * transaction) before NOT NULL, which is set through a validated CHECK — and then its
 * own history (`server/migrations`) for server-only tables.
 */
export function pgRunner(pool: pg.Pool | pg.PoolClient): SqlRunner {
  const query = async <T>(text: string, params?: unknown[]) =>
    (await pool.query(text, params as unknown[])).rows as T[]
  return {
    query,
    exec: async (text) => {
      await pool.query(text)
    },
    transaction: async (fn) => {
      const client = 'release' in pool ? pool : await pool.connect()
      try {
        await client.query('BEGIN')
        const result = await fn(pgRunner(client))
        await client.query('COMMIT')
        return result
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {})
        throw e
      } finally {
        if (client !== pool) (client as pg.PoolClient).release()
      }
    },
  }
}

export const SERVER_MIGRATIONS_TABLE = '__server_migrations'

/** The last server migration a server may serve at while its rows move into their tables. */
export const SERVE_WHILE_MOVING = '0007_api_list'
/** Drops the JSON copy of the rows: runs only once every row has moved (server/upgrade.ts). */
export const VALUES_DROPPED_MIGRATION = '0008_sync_rows_values_dropped'

export interface MigrateServerOptions {
  onBackfill?: (done: number, total: number) => void
  onMove?: (p: MoveProgress) => void
  /** Rows moved per transaction while upgrading from the JSON store. */
  moveBatchSize?: number
  /**
   * Stop where the server can already serve (SERVE_WHILE_MOVING); `finishServerUpgrade`
   * then moves the stored rows and applies the rest while requests are answered.
   */
  serveFirst?: boolean
}

export async function migrateServer(
  pool: pg.Pool,
  opts: MigrateServerOptions | ((done: number, total: number) => void) = {},
): Promise<void> {
  const o = typeof opts === 'function' ? { onBackfill: opts } : opts
  const runner = pgRunner(pool)
  await migrate(runner, loadMigrations(DOMAIN_MIGRATIONS_FOLDER), {
    gates: {
      [PRIORITY_NOT_NULL_MIGRATION]: async (r) => {
        await backfillPriority(r, {
          batchSize: 2000,
          ...(o.onBackfill ? { onProgress: (p) => o.onBackfill?.(p.done, p.total) } : {}),
        })
      },
    },
  })
  if (o.serveFirst) {
    await migrate(runner, loadMigrations(SERVER_MIGRATIONS_FOLDER), {
      table: SERVER_MIGRATIONS_TABLE,
      target: SERVE_WHILE_MOVING,
    })
    await alignChangeNumbers(pool)
    return
  }
  await finishServerUpgrade(pool, o)
  await alignChangeNumbers(pool)
}

/** The last change number handed out (SQL): what a pull's cursor can reach at most. */
export const LAST_CHANGE_NUMBER =
  '(SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM sync_seq)'

/**
 * The change-number sequence never behind the numbers rows hold: a database whose
 * tables were restored without their sequence would hand out numbers rows already have
 * (pushes refused), and tell every laptop it had been restored (server/pull.ts).
 */
async function alignChangeNumbers(pool: pg.Pool): Promise<void> {
  await pool.query(
    `SELECT setval('sync_seq', (SELECT max(seq) FROM sync_rows))
     WHERE (SELECT max(seq) FROM sync_rows) > ${LAST_CHANGE_NUMBER}`,
  )
}

/**
 * The rest of the server's migrations, moving rows stored as JSON into their tables
 * (in short batches, pushes going on between them) before the JSON is dropped.
 */
export async function finishServerUpgrade(
  pool: pg.Pool,
  o: Pick<MigrateServerOptions, 'onMove' | 'moveBatchSize'> = {},
): Promise<void> {
  await migrate(pgRunner(pool), loadMigrations(SERVER_MIGRATIONS_FOLDER), {
    table: SERVER_MIGRATIONS_TABLE,
    gates: {
      [VALUES_DROPPED_MIGRATION]: async () => {
        await moveRowsToTables(pool, {
          ...(o.moveBatchSize ? { batchSize: o.moveBatchSize } : {}),
          ...(o.onMove ? { onProgress: o.onMove } : {}),
        })
      },
    },
  })
}

export function createPool(
  databaseUrl: string,
  max = 10,
  opts: { connectTimeoutMs?: number } = {},
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    idleTimeoutMillis: 30_000,
    // A host that takes the connection and never answers would otherwise hang forever.
    connectionTimeoutMillis: opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
  })
  // An idle connection the database closed (a restart, a failover, a proxy's idle cut)
  // leaves the pool, and the next query opens another. Unheard, the pool's error event
  // would end the process.
  pool.on('error', (e) => {
    console.error(`database connection lost (${databaseProblem(e)}); the next request reconnects`)
  })
  return pool
}
