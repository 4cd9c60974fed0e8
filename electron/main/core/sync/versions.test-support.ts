import type { PGlite } from '@electric-sql/pglite'
import type { SyncedTable } from '../../../../shared/sync/protocol'
import { expandVersions, type StoredVersions } from './versions'

/** Every row's field versions as the merge reads them, `table:id` in order (or one row's). */
export async function readVersions(
  pg: PGlite,
  row?: { table: SyncedTable; id: string },
): Promise<{ k: string; versions: Record<string, string> }[]> {
  const { rows } = await pg.query<{ table_name: SyncedTable; row_id: string } & StoredVersions>(
    `SELECT table_name, row_id, versions, version FROM sync_versions
     WHERE $1::text IS NULL OR (table_name = $1 AND row_id = $2::uuid)
     ORDER BY table_name || ':' || row_id`,
    [row?.table ?? null, row?.id ?? null],
  )
  return rows.map((r) => ({
    k: `${r.table_name}:${r.row_id}`,
    versions: expandVersions(r.table_name, r),
  }))
}
