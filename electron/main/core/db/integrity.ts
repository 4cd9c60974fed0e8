import type { PGlite } from '@electric-sql/pglite'

/**
 * Checks the physical consistency of the database with amcheck (PGlite must be opened
 * with the amcheck extension): every heap page of the app's tables and every B-tree
 * index, including that each heap row is present in each index. The extension is
 * created inside a transaction that is rolled back, so the check changes nothing.
 */
export interface IntegrityReport {
  tables: number
  indexes: number
  problems: string[]
}

export async function checkIntegrity(pg: PGlite): Promise<IntegrityReport> {
  const report: IntegrityReport = { tables: 0, indexes: 0, problems: [] }
  await pg.transaction(async (tx) => {
    await tx.exec('CREATE EXTENSION IF NOT EXISTS amcheck')
    const tables = await tx.query<{ oid: number; name: string }>(
      `SELECT c.oid::int AS oid, c.relname AS name FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname IN ('public', 'drizzle') AND c.relkind = 'r'`,
    )
    for (const t of tables.rows) {
      const bad = await tx.query<{ msg: string }>(
        'SELECT msg FROM verify_heapam($1::regclass) LIMIT 5',
        [t.oid],
      )
      for (const b of bad.rows) report.problems.push(`${t.name}: ${b.msg}`)
      report.tables += 1
    }
    const indexes = await tx.query<{ oid: number; name: string }>(
      `SELECT c.oid::int AS oid, c.relname AS name FROM pg_index i
       JOIN pg_class c ON c.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_am am ON am.oid = c.relam
       WHERE n.nspname IN ('public', 'drizzle') AND am.amname = 'btree'`,
    )
    for (const i of indexes.rows) {
      try {
        await tx.query('SELECT bt_index_check($1::regclass, true)', [i.oid])
      } catch (e) {
        report.problems.push(`${i.name}: ${(e as Error).message}`)
      }
      report.indexes += 1
    }
    await tx.rollback()
  })
  return report
}
