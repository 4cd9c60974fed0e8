import type { PGlite } from '@electric-sql/pglite'

/**
 * PGlite runs PostgreSQL in single-user mode: there is no autovacuum. Without it the
 * planner has no statistics (it then picks hash joins over 100,000 rows for a 20-row
 * page) and updated rows leave dead tuples behind. This does autovacuum's job at
 * moments the user does not wait on: after bulk loads and when the app closes, using
 * autovacuum's own thresholds (50 rows + 10% for ANALYZE, 50 rows + 20% for VACUUM, and
 * 1000 rows + 20% inserted since the last VACUUM). The last one matters for reads: only
 * VACUUM marks pages all-visible, and until then an index-only scan (a list page's ids,
 * a deep offset, a week's count) visits every row it passes. PGlite does not keep these
 * counters across restarts, so a table never analyzed (reltuples < 0) is analyzed too,
 * and one of a megabyte or more with no page marked all-visible is vacuumed.
 */
export interface MaintenanceReport {
  analyzed: string[]
  vacuumed: string[]
}

export async function maintain(pg: PGlite): Promise<MaintenanceReport> {
  // Counters reach the statistics views when the backend next idles: ask for it now.
  await pg.query('SELECT pg_stat_force_next_flush()')
  const { rows } = await pg.query<{
    name: string
    analyze: boolean
    vacuum: boolean
  }>(`SELECT c.relname AS name,
        (c.reltuples < 0 AND c.relpages > 0)
          OR coalesce(s.n_mod_since_analyze, 0) > 50 + 0.1 * greatest(c.reltuples, 0) AS analyze,
        coalesce(s.n_dead_tup, 0) > 50 + 0.2 * greatest(c.reltuples, 0)
          OR coalesce(s.n_ins_since_vacuum, 0) > 1000 + 0.2 * greatest(c.reltuples, 0)
          OR (c.relallvisible = 0 AND pg_relation_size(c.oid) >= 1048576) AS vacuum
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      WHERE n.nspname = 'public' AND c.relkind = 'r'`)
  const report: MaintenanceReport = { analyzed: [], vacuumed: [] }
  for (const r of rows) {
    const table = `"${r.name.replace(/"/g, '""')}"`
    if (r.vacuum) {
      await pg.exec(`VACUUM (ANALYZE) ${table}`)
      report.vacuumed.push(r.name)
      report.analyzed.push(r.name)
    } else if (r.analyze) {
      await pg.exec(`ANALYZE ${table}`)
      report.analyzed.push(r.name)
    }
  }
  return report
}
