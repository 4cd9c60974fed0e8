import { count, eq, type SQL, sql } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { DrizzleDb } from '../db/create-db'

type Queryable = Pick<DrizzleDb, 'select'>
type Tx = Parameters<Parameters<DrizzleDb['transaction']>[0]>[0]

/** A table with the row columns every domain table has. */
type RowTable = PgTable & { id: PgColumn; updatedAt: PgColumn }

export interface PageInput {
  limit: number
  offset: number
}

/** `{ count, limit, offset, results }` in two queries: the count and the page. */
export async function pageOf<Row, Out>(
  db: Queryable,
  table: PgTable,
  where: SQL | undefined,
  orderBy: SQL[],
  input: PageInput,
  map: (row: Row) => Out,
) {
  const [[total], rows] = await Promise.all([
    db.select({ n: count() }).from(table).where(where),
    db
      .select()
      .from(table)
      .where(where)
      .orderBy(...orderBy)
      .limit(input.limit)
      .offset(input.offset),
  ])
  return {
    count: total?.n ?? 0,
    limit: input.limit,
    offset: input.offset,
    results: (rows as Row[]).map(map),
  }
}

/**
 * Applies `changes` to one existing row (NOT_FOUND from `get` otherwise), stamps
 * updated_at, and returns the row as the contract shows it.
 */
export async function updateRow<Out>(
  tx: Tx,
  table: RowTable,
  id: string,
  changes: Record<string, unknown>,
  get: (db: Queryable, id: string) => Promise<Out>,
): Promise<Out> {
  await get(tx, id)
  await tx
    .update(table)
    .set({ ...changes, updatedAt: sql`now()` } as never)
    .where(eq(table.id, id))
  return get(tx, id)
}
