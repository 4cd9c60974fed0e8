import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { backfillPriority, PRIORITY_NOT_NULL_MIGRATION } from '../drizzle/runner/backfill-priority'
import { DOMAIN_MIGRATIONS_FOLDER } from '../drizzle/runner/folders'
import { loadMigrations, migrate } from '../drizzle/runner/migrations'
import type { SqlRunner } from '../drizzle/runner/sql-runner'

const SERVER_MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), 'migrations')

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

export async function migrateServer(
  pool: pg.Pool,
  onBackfill?: (done: number, total: number) => void,
): Promise<void> {
  const runner = pgRunner(pool)
  await migrate(runner, loadMigrations(DOMAIN_MIGRATIONS_FOLDER), {
    gates: {
      [PRIORITY_NOT_NULL_MIGRATION]: async (r) => {
        await backfillPriority(r, {
          batchSize: 2000,
          ...(onBackfill ? { onProgress: (p) => onBackfill(p.done, p.total) } : {}),
        })
      },
    },
  })
  await migrate(runner, loadMigrations(SERVER_MIGRATIONS_FOLDER), {
    table: SERVER_MIGRATIONS_TABLE,
  })
}

export function createPool(databaseUrl: string, max = 10): pg.Pool {
  return new pg.Pool({ connectionString: databaseUrl, max, idleTimeoutMillis: 30_000 })
}
