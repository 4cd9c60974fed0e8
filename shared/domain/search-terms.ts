/**
 * A search box's text as the original's DRF SearchFilter reads it, on the server's REST
 * API and in the app's lists alike: the text is split into terms
 * at spaces and commas (a "quoted phrase" stays one term), every term must match, and a
 * term matches when any searched field contains it, case aside. `%` and `_` are taken
 * literally. At most MAX_TERMS terms are used, so a long text cannot make a huge query.
 */
export const MAX_TERMS = 10

export function searchTerms(text: string | undefined): string[] {
  if (!text) return []
  const terms: string[] = []
  for (const m of text.replaceAll('\0', '').matchAll(/"([^"]*)"|[^\s,]+/g)) {
    const term = (m[1] ?? m[0]).trim()
    if (term && !terms.includes(term)) terms.push(term)
  }
  return terms.slice(0, MAX_TERMS)
}

const likeEscape = (term: string) => term.replace(/[\\%_]/g, (ch) => `\\${ch}`)

/** A term as an ILIKE pattern (backslash is PostgreSQL's default LIKE escape). */
export const likePattern = (term: string): string => `%${likeEscape(term)}%`

/**
 * A term as ILIKE patterns for the start of a word: the text's start, or after a space
 * ("o" finds O'Brien in "Victor O'Brien", not Jones).
 */
export const wordStartPatterns = (term: string): [string, string] => [
  `${likeEscape(term)}%`,
  `% ${likeEscape(term)}%`,
]

/** Each term as an ILIKE pattern. */
export const likeTerms = (text: string | undefined): string[] => searchTerms(text).map(likePattern)

/**
 * Where a term is looked for when appointments are searched, on the laptop and on the
 * server alike: the job's notes and place, its client's name and address, its service's
 * name (columns as the database names them). A job is found by where the crew goes.
 */
export const APPOINTMENT_SEARCH = {
  appointments: ['notes', 'location'],
  clients: ['name', 'address', 'postal_code'],
  services: ['name'],
} as const

/** Whose the columns of APPOINTMENT_SEARCH are, in words (a new table needs its word). */
const SEARCHED_OWNER: Record<keyof typeof APPOINTMENT_SEARCH, string> = {
  clients: "the client's",
  services: "the service's",
  appointments: "the job's",
}

/**
 * Where a term is looked for, in words, made from APPOINTMENT_SEARCH so that what the
 * documentation says cannot drift from what the query reads: "the client's name, address
 * or postal code, the service's name, or the job's notes or location".
 */
export const APPOINTMENT_SEARCH_DESCRIPTION: string = (() => {
  /** "a, b or c"; with `serial`, "a, b, or c" (for a list of lists). */
  const or = (words: readonly string[], serial = false) =>
    words.length < 2
      ? words.join('')
      : `${words.slice(0, -1).join(', ')}${serial ? ',' : ''} or ${words.at(-1)}`
  const tables = Object.keys(SEARCHED_OWNER) as (keyof typeof APPOINTMENT_SEARCH)[]
  return or(
    tables.map(
      (table) =>
        `${SEARCHED_OWNER[table]} ${or(APPOINTMENT_SEARCH[table].map((c) => c.replaceAll('_', ' ')))}`,
    ),
    true,
  )
})()
