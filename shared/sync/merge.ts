import { decode } from './hlc'

/**
 * Per-field last-writer-wins, the merge both the server and the laptops apply. Each
 * synced row keeps, beside its values, the clock value that last wrote each field; a
 * write to a field wins only if its clock value is greater. Deletion is the field
 * `deleted_at` like any other, so "edited here, deleted there" resolves the same way
 * everywhere (and is reported, see `metVersion`). Because the rule is a per-field
 * maximum, applying the same writes in any order, any number of times, gives the same
 * row: that is what makes devices converge.
 */
export type FieldValue = string | number | boolean | null

/**
 * A field's version written by the app itself, following a rule, rather than by a person:
 * the visits a series books, moves and removes (`reconcile`, shared/domain/series.ts).
 * It is the clock value with this mark in front, which sorts below every digit: a
 * person's write of a field wins over the series' write whatever their clocks, and among
 * the series' writes (or among people's) the later wins. So a visit a person moved or
 * deleted on one laptop keeps that change while the series changes on another, in
 * whichever order the two reach the server — the same outcome as had the person acted
 * after the series change (a visit changed on its own is an exception the series no
 * longer touches). Comparisons stay plain string order; `clockOf` gives the clock value.
 */
export const DERIVED_MARK = '!'

export const derivedVersion = (hlc: string) => `${DERIVED_MARK}${hlc}`

export const isDerived = (version: string) => version.startsWith(DERIVED_MARK)

/** The clock value a field version carries, marked or not. */
export const clockOf = (version: string) => (isDerived(version) ? version.slice(1) : version)

/**
 * When a row was made, as every copy of it can tell: the time of its oldest field
 * version (a row's fields are first written together, later writes make only some of
 * them newer). Each copy stamps `created_at` from it when the row first reaches it, so a
 * row pulled, uploaded or restored says when it was made, not when it arrived. Null for
 * a row without versions or with one that is not a clock value.
 */
export function createdAtOf(versions: Record<string, string>): string | null {
  let oldest: string | null = null
  for (const v of Object.values(versions)) {
    const clock = clockOf(v)
    if (oldest === null || clock < oldest) oldest = clock
  }
  if (oldest === null) return null
  try {
    return new Date(decode(oldest).ms).toISOString()
  } catch {
    return null
  }
}

export interface RowState {
  values: Record<string, FieldValue>
  /** Field name -> HLC string of the write that set it. */
  versions: Record<string, string>
}

export interface FieldWrite {
  hlc: string
  fields: Record<string, FieldValue>
  /**
   * A row sent again as it stands (to a server that may not have it): each field with
   * the version it already has, instead of `hlc` for all. `hlc` is then the newest.
   */
  versions?: Record<string, string>
}

export const DELETED_FIELD = 'deleted_at'

export interface MergeResult {
  row: RowState
  /** Fields this write changed (it won them). */
  changed: string[]
}

export function emptyRow(): RowState {
  return { values: {}, versions: {} }
}

/**
 * A copy without a prototype: field names come from the wire, and `__proto__` or
 * `constructor` must be plain keys here, never the object's own machinery.
 */
function bare<T>(from: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, from)
}

/** The version a row holds for a field: own keys only. */
const versionOf = (versions: Record<string, string>, field: string) =>
  Object.hasOwn(versions, field) ? versions[field] : undefined

/** The version a write gives one of its fields. */
export const writeVersion = (write: FieldWrite, field: string): string =>
  (write.versions && versionOf(write.versions, field)) || write.hlc

export function mergeWrite(current: RowState, write: FieldWrite): MergeResult {
  const row: RowState = { values: bare(current.values), versions: bare(current.versions) }
  const changed: string[] = []
  for (const [field, value] of Object.entries(write.fields)) {
    const seen = versionOf(row.versions, field)
    const version = writeVersion(write, field)
    // Ties cannot happen between different writes (the node id is part of the HLC);
    // the same write applied twice is a no-op.
    if (seen === undefined || version > seen) {
      row.values[field] = value
      row.versions[field] = version
      changed.push(field)
    }
  }
  return { row, changed }
}

export const isDeleted = (row: RowState) =>
  row.values[DELETED_FIELD] !== undefined && row.values[DELETED_FIELD] !== null

/** The field versions a device had of a row when it wrote it: field -> HLC. */
export type BaseVersions = Record<string, string>

/**
 * The clock value of the write on the other side of an edit-meets-deletion conflict, or
 * null when there is none. A restore (`deleted_at` set to null) never conflicts; the
 * series' own edits (marked versions) meet no deletion, in either order.
 *
 * With `base` (the versions the writer had seen), the rule is exact:
 * - deleting a live row conflicts when some other field holds a version newer than the
 *   deleter's base (an edit it had not seen): the other side is the newest such version;
 * - editing a deleted row conflicts when the deletion is newer than the editor's base
 *   (it had not seen the deletion): the other side is the deletion.
 * Without it, clocks stand in for what was seen: any edit of a deleted row conflicts,
 * and so does deleting a row with a field written after the deletion's clock.
 */
export function metVersion(
  before: RowState,
  write: FieldWrite,
  base?: BaseVersions,
): string | null {
  const setsDeleted = Object.hasOwn(write.fields, DELETED_FIELD)
  if (setsDeleted && write.fields[DELETED_FIELD] === null) return null
  // The series changing a visit a person deleted meanwhile: the deletion stands by rule
  // (a person's write outranks the series'), with nothing for anyone to decide.
  const derived = write.versions !== undefined && Object.values(write.versions).every(isDerived)
  if (derived && !setsDeleted) return null
  const deletedAt = versionOf(before.versions, DELETED_FIELD)
  // Past the restore, a write that sets `deleted_at` deletes.
  const deleting = setsDeleted
  const editing = Object.keys(write.fields).some((f) => f !== DELETED_FIELD)
  // The unseen edits a deletion meets: a person's. The series' own edits of a visit give
  // way to a deletion like to any person's write, with nothing to decide.
  const newestOther = (newerThan: (field: string) => string) => {
    let newest: string | null = null
    for (const [f, v] of Object.entries(before.versions)) {
      if (f === DELETED_FIELD || isDerived(v)) continue
      if (v > newerThan(f) && (newest === null || v > newest)) newest = v
    }
    return newest
  }
  if (base) {
    if (deleting && !isDeleted(before)) return newestOther((f) => versionOf(base, f) ?? '')
    if (editing && !setsDeleted && isDeleted(before) && deletedAt !== undefined) {
      return deletedAt > (versionOf(base, DELETED_FIELD) ?? '') ? clockOf(deletedAt) : null
    }
    return null
  }
  if (editing && isDeleted(before) && deletedAt !== undefined) return clockOf(deletedAt)
  // Deleting a row some of whose fields were written after the deleter last saw them.
  if (deleting && !isDeleted(before)) return newestOther(() => write.hlc)
  return null
}
