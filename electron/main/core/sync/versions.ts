import { fieldsOf } from '../../../../shared/sync/columns'
import type { SyncedTable } from '../../../../shared/sync/protocol'

/**
 * A row's field versions as `sync_versions` stores them (drizzle/schema/sync.ts): the
 * fields `versions` names, and `version` for every other field of the table when set.
 * Whatever reads them for the merge reads them expanded, through these two.
 */
export interface StoredVersions {
  versions: Record<string, string>
  version: string | null
}

/** Every field's version of a stored row. */
export function expandVersions(table: SyncedTable, stored: StoredVersions): Record<string, string> {
  if (stored.version === null) return stored.versions
  const all: Record<string, string> = {}
  for (const f of fieldsOf(table)) all[f] = stored.version
  return Object.assign(all, stored.versions)
}

/**
 * The same in SQL, for the `sync_versions` row named `alias` of `table` (a jsonb value),
 * by the function the capture triggers use (migration 0021).
 */
export function versionsSql(alias: string, table: SyncedTable): string {
  const columns = fieldsOf(table)
    .map((f) => `'${f}'`)
    .join(', ')
  return `sync_versions_expanded(${alias}.versions, ${alias}.version, ARRAY[${columns}])`
}
