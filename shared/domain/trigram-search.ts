/**
 * Whether a trigram index (pg_trgm, migration 0013) can serve `ILIKE '%term%'`: it
 * looks up the term's three-character pieces within words, so a term needs three
 * letters or digits in a row. A shorter term yields no piece to look up, and the index
 * would be read whole, slower than reading the table: the laptop's and the server's
 * searches then keep a form the planner answers without it. Either form finds the same
 * rows; only the plan differs.
 */
export const servedByTrigrams = (term: string): boolean => /[\p{L}\p{N}]{3}/u.test(term)
