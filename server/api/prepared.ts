import { createHash } from 'node:crypto'
import type pg from 'pg'

/**
 * A query the API runs over and over, as a named prepared statement: each pooled
 * connection parses and plans it once. For these joins planning costs about as much as
 * running them, so this halves the database time of a page. Every name stays prepared
 * on every connection, so only a bounded set of query shapes may be named.
 */
export const prepared = (text: string): pg.QueryConfig => ({
  name: `api_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`,
  text,
})
