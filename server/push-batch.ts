import type { Replaced } from '../shared/domain/series'
import type { RowState } from '../shared/sync/merge'
import type { Mutation, SyncedTable } from '../shared/sync/protocol'
import type { Values } from './rows'

/**
 * What one push transaction has read and not yet written. The batch's rows are read
 * (and locked) in one query, mutations merge into them in memory, and the rows, the
 * mutation records and the double-booking checks are written once at the end: a batch
 * of 500 costs a handful of round trips, not thousands.
 */
export interface Batch {
  rows: Map<string, RowState | undefined>
  /**
   * The values series' writes replaced, per row that has any (shared/domain/series.ts);
   * null where the database does not keep them yet (a server still upgrading).
   */
  replaced: Map<string, Replaced> | null
  /** Whether the database keeps every crew each job was given to (`appointment_crews`). */
  keepsCrews: boolean
  changed: Map<string, { table: SyncedTable; rowId: string }>
  /** Each changed row's values before this batch: null for a row it creates. */
  before: Map<string, Values | null>
  /** The rows this batch creates from a device's upload (`Mutation.uploaded`). */
  uploaded: Set<string>
  /** Per appointment whose booking fields changed: the last mutation that changed them. */
  bookings: Map<string, Mutation>
  seen: Map<string, { status: string; reason: string | null }>
  records: {
    id: string
    status: string
    reason: string | null
    table: string
    rowId: string
    hlc: string
  }[]
}

export const keyOf = (table: string, rowId: string) => `${table}:${rowId}`
