import type { PGlite } from '@electric-sql/pglite'

/** Every index of the app's tables, as its definition, in order. */
export async function indexDefinitions(pg: PGlite): Promise<string[]> {
  const { rows } = await pg.query<{ d: string }>(
    "SELECT indexdef AS d FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname",
  )
  return rows.map((r) => r.d)
}
