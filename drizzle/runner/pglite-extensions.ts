import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'

/**
 * The PostgreSQL extensions the domain migrations create (0013: pg_trgm, for search).
 * A PGlite holding this schema must load them at every start, not only when migrating:
 * writing a row updates its trigram indexes, which calls into the extension's code.
 */
export const PGLITE_EXTENSIONS = { pg_trgm } as const
