import type { PGlite, Transaction } from '@electric-sql/pglite'

/**
 * The little a migration or a maintenance task needs from a database. PGlite (the
 * desktop) and node-postgres (the central server) both fit behind it, so the
 * migration history and the backfill run the same way on both.
 */
export interface SqlRunner {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>
  /** Runs one or more statements without parameters. */
  exec(text: string): Promise<void>
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>
}

function fromPgliteTx(tx: Transaction): SqlRunner {
  return {
    query: async <T>(text: string, params?: unknown[]) =>
      (await tx.query<T>(text, params as unknown[])).rows,
    exec: async (text: string) => {
      await tx.exec(text)
    },
    transaction: (fn) => fn(fromPgliteTx(tx)),
  }
}

export function pgliteRunner(pg: PGlite): SqlRunner {
  return {
    query: async <T>(text: string, params?: unknown[]) =>
      (await pg.query<T>(text, params as unknown[])).rows,
    exec: async (text: string) => {
      await pg.exec(text)
    },
    transaction: (fn) => pg.transaction((tx) => fn(fromPgliteTx(tx))),
  }
}
