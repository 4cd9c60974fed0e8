/**
 * Per-field last-writer-wins, the merge both the server and the laptops apply. Each
 * synced row keeps, beside its values, the clock value that last wrote each field; a
 * write to a field wins only if its clock value is greater. Deletion is the field
 * `deleted_at` like any other, so "edited here, deleted there" resolves the same way
 * everywhere (and is reported, see `conflictsOf`). Because the rule is a per-field
 * maximum, applying the same writes in any order, any number of times, gives the same
 * row: that is what makes devices converge.
 */
export type FieldValue = string | number | boolean | null

export interface RowState {
  values: Record<string, FieldValue>
  /** Field name -> HLC string of the write that set it. */
  versions: Record<string, string>
}

export interface FieldWrite {
  hlc: string
  fields: Record<string, FieldValue>
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

export function mergeWrite(current: RowState, write: FieldWrite): MergeResult {
  const row: RowState = { values: { ...current.values }, versions: { ...current.versions } }
  const changed: string[] = []
  for (const [field, value] of Object.entries(write.fields)) {
    const seen = row.versions[field]
    // Ties cannot happen between different writes (the node id is part of the HLC);
    // the same write applied twice is a no-op.
    if (seen === undefined || write.hlc > seen) {
      row.values[field] = value
      row.versions[field] = write.hlc
      changed.push(field)
    }
  }
  return { row, changed }
}

/** Merges two full states (a pull into local state, for instance): field by field, the later wins. */
export function mergeRows(a: RowState, b: RowState): RowState {
  const row: RowState = { values: { ...a.values }, versions: { ...a.versions } }
  for (const [field, version] of Object.entries(b.versions)) {
    const mine = row.versions[field]
    if (mine === undefined || version > mine) {
      row.values[field] = b.values[field] ?? null
      row.versions[field] = version
    }
  }
  return row
}

export const isDeleted = (row: RowState) =>
  row.values[DELETED_FIELD] !== undefined && row.values[DELETED_FIELD] !== null

/**
 * An edit and a deletion of the same row made without seeing each other: the edit's
 * clock is later than the deletion's but the row stays deleted (or the reverse). Both
 * sides keep the merge result; the office sees the conflict and decides.
 */
export function editMeetsDelete(before: RowState, write: FieldWrite): boolean {
  const deletedAt = before.versions[DELETED_FIELD]
  const deleting = DELETED_FIELD in write.fields && write.fields[DELETED_FIELD] !== null
  const editing = Object.keys(write.fields).some((f) => f !== DELETED_FIELD)
  if (editing && isDeleted(before) && deletedAt !== undefined) return true
  if (deleting && !isDeleted(before)) {
    // Deleting a row some of whose fields were written after the deleter last saw them.
    return Object.entries(before.versions).some(([f, v]) => f !== DELETED_FIELD && v > write.hlc)
  }
  return false
}
