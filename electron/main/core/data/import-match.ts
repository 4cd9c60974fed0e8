import { isNull } from 'drizzle-orm'
import { normalizeMoney } from '../../../../shared/domain/money'
import {
  formatOverrides,
  type Override,
  parseOverrides,
} from '../../../../shared/notifications/preferences'
import type { DrizzleDb } from '../db/create-db'
import { schema } from '../db/schema'

/**
 * Which existing record an imported row is, so that importing a file twice changes
 * nothing the second time. A client is the one with the same email (case aside); a
 * row whose email matches no one is the client with the same name and phone (spacing,
 * case and phone punctuation aside) who has no other email. A service is the one with
 * the same name. A matched row updates the fields it gives that differ, or is skipped
 * when there are none; an empty cell never erases a value. A row that matches several
 * records, or a record an earlier row of the file already matched or created, is refused
 * rather than guessed.
 */
export type ImportKind = 'clients' | 'services'
type Values = Record<string, unknown>

export type Outcome =
  | { kind: 'created' }
  | { kind: 'updated'; id: string; changes: Values }
  | { kind: 'skipped'; id: string }
  | { kind: 'refused'; field: string; message: string }

interface Entry {
  /** null: created by this file. */
  id: string | null
  values: Values
  /** The line of the file that created or matched it. */
  claimedBy: number | null
}

type Tx = Pick<DrizzleDb, 'select'>

/** A row that passed the contract's checks; `given`: the fields its cells fill. */
export interface ImportRow {
  line: number
  row: Values
  given: ReadonlySet<string>
}

/** A name as matching sees it: spacing, case and Unicode forms aside. */
export const nameKey = (s: unknown) =>
  String(s ?? '')
    .normalize('NFKC')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase()
const digits = (s: unknown) => String(s ?? '').replace(/\D/g, '')
const email = (s: unknown) => (s ? String(s).trim().toLowerCase() : '')

/** Field by field, whether an imported value says the same as the stored one. */
const sameName = (a: unknown, b: unknown) => nameKey(a) === nameKey(b)
const SAME: Record<ImportKind, Record<string, (stored: unknown, given: unknown) => boolean>> = {
  clients: {
    // "maria  lopez" is Maria Lopez: keep the name as it is written here.
    name: sameName,
    email: (a, b) => email(a) === email(b),
    // "(555) 010-1234" and "555 010 1234" are the same number: keep how it is written.
    phone: (a, b) => (digits(a) ? digits(a) === digits(b) : a === b),
    latitude: (a, b) => a !== null && Number(a) === b,
    longitude: (a, b) => a !== null && Number(a) === b,
    notifyOff: (a, b) =>
      formatOverrides(parseOverrides(String(a ?? ''))) === formatOverrides(b as Override[]),
  },
  services: {
    name: sameName,
    basePrice: (a, b) => normalizeMoney(String(a)) === b,
  },
}

/** How a changed value is written to its column. */
export const toColumn = (field: string, value: unknown) =>
  field === 'notifyOff' && Array.isArray(value)
    ? formatOverrides(value as Override[])
    : (field === 'latitude' || field === 'longitude') && value !== null && value !== undefined
      ? String(value)
      : value

class Index {
  private readonly byKey = new Map<string, Entry[]>()

  add(key: string, entry: Entry) {
    if (!key) return
    const list = this.byKey.get(key) ?? []
    if (!list.includes(entry)) list.push(entry)
    this.byKey.set(key, list)
  }

  get(key: string): Entry[] {
    return key ? (this.byKey.get(key) ?? []) : []
  }
}

const namePhone = (v: Values) => `${nameKey(v.name)}|${digits(v.phone)}`

export class Matcher {
  private readonly primary = new Index()
  private readonly secondary = new Index()

  private constructor(
    private readonly kind: ImportKind,
    existing: Values[],
  ) {
    for (const values of existing) this.index({ id: String(values.id), values, claimedBy: null })
  }

  /** Every live record of the kind, read in the import's transaction. */
  static async load(tx: Tx, kind: ImportKind): Promise<Matcher> {
    const table = kind === 'clients' ? schema.clients : schema.services
    const rows = await tx.select().from(table).where(isNull(table.deletedAt))
    return new Matcher(kind, rows as Values[])
  }

  private index(entry: Entry) {
    if (this.kind === 'services') return this.primary.add(nameKey(entry.values.name), entry)
    this.primary.add(email(entry.values.email), entry)
    this.secondary.add(namePhone(entry.values), entry)
  }

  /**
   * The records `row` may be. By email first: among several with it (a household, an
   * office), the one with the row's name, then its phone. An email whose records all
   * have other names and were all named by earlier rows of this file belongs to a new
   * client sharing it. Without an email match: the same name and phone, among records
   * with no other email (another email is another person).
   */
  private candidates(row: Values): { hits: Entry[]; by: string } {
    if (this.kind === 'services') return { hits: this.primary.get(nameKey(row.name)), by: 'name' }
    const byEmail = this.primary.get(email(row.email))
    if (byEmail.length) {
      const named = byEmail.filter((e) => sameName(e.values.name, row.name))
      const phoned = named.filter((e) => digits(e.values.phone) === digits(row.phone))
      if (named.length) return { hits: phoned.length ? phoned : named, by: 'email' }
      return { hits: byEmail.filter((e) => !e.claimedBy), by: 'email' }
    }
    const hits = this.secondary
      .get(namePhone(row))
      .filter((e) => !email(row.email) || !email(e.values.email))
    return { hits, by: 'name' }
  }

  /**
   * What each row does, by line. Rows that name a record exactly (its email and name)
   * are matched first, so that the outcome does not depend on the order of the file.
   */
  matchAll(rows: readonly ImportRow[]): Map<number, Outcome> {
    const exact = (r: ImportRow) =>
      this.kind === 'services' ||
      this.primary.get(email(r.row.email)).some((e) => sameName(e.values.name, r.row.name))
    const outcomes = new Map<number, Outcome>()
    for (const r of rows.filter(exact)) outcomes.set(r.line, this.match(r))
    for (const r of rows.filter((r) => !exact(r) && !outcomes.has(r.line))) {
      outcomes.set(r.line, this.match(r))
    }
    return outcomes
  }

  private match({ row, given, line }: ImportRow): Outcome {
    const { hits, by } = this.candidates(row)
    const what = this.kind === 'clients' ? 'client' : 'service'
    if (hits.length > 1) {
      const how =
        by === 'email'
          ? 'this email'
          : this.kind === 'clients'
            ? 'this name and phone'
            : 'this name'
      return {
        kind: 'refused',
        field: by,
        message: `${hits.length} ${what}s already have ${how}: merge or archive them in the app, then import again`,
      }
    }
    const [hit] = hits
    if (hit?.claimedBy) {
      return { kind: 'refused', field: by, message: `is the same ${what} as line ${hit.claimedBy}` }
    }
    if (!hit) {
      this.index({ id: null, values: row, claimedBy: line })
      return { kind: 'created' }
    }
    hit.claimedBy = line
    const same = SAME[this.kind]
    const changes: Values = {}
    for (const field of given) {
      const stored = hit.values[field] ?? null
      const value = row[field]
      const equal = same[field] ? same[field](stored, value) : stored === value
      if (!equal) changes[field] = value
    }
    if (Object.keys(changes).length === 0) return { kind: 'skipped', id: String(hit.id) }
    hit.values = { ...hit.values, ...changes }
    this.index(hit)
    return { kind: 'updated', id: String(hit.id), changes }
  }
}
