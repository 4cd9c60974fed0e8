import { type PGlite, protocol } from '@electric-sql/pglite'

/**
 * A statement PostgreSQL keeps parsed and planned: for the reads a screen asks for again
 * and again (the appointments list), parsing and planning the same text on every call
 * cost more than running it (0.8 of 1.5 ms at 100,000 appointments). PGlite's `query`,
 * and so drizzle, always use the unnamed statement, parsed and planned anew each time,
 * and PGlite has no prepared statements of its own: so this speaks the extended
 * protocol's named statements itself (Parse once, then Bind / Execute / Sync), holding
 * PGlite's lock as its own queries do. PostgreSQL plans a named statement for the
 * values it gets for its first five runs and then keeps a generic plan only when that
 * is no dearer, and plans again by itself when the schema changes.
 *
 * Fields come back as PostgreSQL's text, or null: the caller reads them.
 */
const { serialize } = protocol

/** Statements kept per database, by their text; past this many a read runs unnamed. */
const MAX_STATEMENTS = 200
const kept = new WeakMap<PGlite, Map<string, string>>()

type Value = string | number | boolean | null

const asText = (v: Value): string | null => (v === null ? null : String(v))

const joined = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/**
 * Who hears of each read run as a kept statement (its text and values): the tests that
 * count a screen's queries, or explain their plans, see these as they see `pg.query`.
 */
export const keptReadWatchers = new Set<(query: { sql: string; params: unknown[] }) => void>()

/** Runs `query` (a drizzle query's `toSQL()`) as a kept statement; its rows' fields as text. */
export async function preparedRows(
  pg: PGlite,
  query: { sql: string; params: unknown[] },
): Promise<(string | null)[][]> {
  const { sql: text, params } = query
  const scalar = params.every(
    (p) => p === null || ['string', 'number', 'boolean'].includes(typeof p),
  )
  if (scalar) {
    for (const watch of keptReadWatchers) watch(query)
    const rows = await pg.runExclusive(async () => {
      let statements = kept.get(pg)
      if (!statements) {
        statements = new Map()
        kept.set(pg, statements)
      }
      const known = statements.get(text)
      if (!known && statements.size >= MAX_STATEMENTS) return null
      const name = known ?? `gk_read_${statements.size + 1}`
      const message = joined([
        ...(known ? [] : [serialize.parse({ name, text })]),
        serialize.bind({ statement: name, values: (params as Value[]).map(asText) }),
        serialize.execute({}),
        serialize.sync(),
      ])
      try {
        const { messages } = await pg.execProtocol(message)
        statements.set(text, name)
        return messages.flatMap((m) =>
          m.name === 'dataRow' ? [(m as unknown as { fields: (string | null)[] }).fields] : [],
        )
      } catch (e) {
        // Whatever failed, the name is not left half made: the next run starts afresh.
        if (!known)
          await pg
            .execProtocol(joined([serialize.close({ type: 'S', name }), serialize.sync()]))
            .catch(() => undefined)
        throw e
      }
    })
    if (rows) return rows
  }
  const { rows } = await pg.query<unknown[]>(text, params, { rowMode: 'array' })
  return rows.map((r) => r.map((v) => (v === null ? null : String(v))))
}
