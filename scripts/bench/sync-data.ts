import type pg from 'pg'
import { SYNCED_FIELDS, type SyncedTable } from '../../shared/sync/protocol'

/**
 * Server rows written straight into its tables: a business that has been syncing for a
 * year. `legacy` writes them the way servers before migration 0004 stored them (values as
 * JSON in `sync_rows`), to test and time the upgrade.
 */
export async function populate(
  pool: pg.Pool,
  appointments: number,
  opts: { legacy?: boolean } = {},
) {
  const hlc = `${String(Date.now() - 86_400_000).padStart(15, '0')}-00000-seed`
  const row = (table: SyncedTable, values: string, ids: string) => {
    const fields = Object.keys(SYNCED_FIELDS[table])
    const versions = `jsonb_build_object(${fields.map((f) => `'${f}', '${hlc}'`).join(', ')})`
    if (opts.legacy)
      return `INSERT INTO sync_rows (table_name, row_id, values, versions, seq)
        SELECT '${table}', id, ${values}, ${versions}, nextval('sync_seq') FROM (${ids}) AS s`
    const columns = fields.map((f) => `"${f}"`).join(', ')
    return `WITH src AS (SELECT id, ${values} AS v FROM (${ids}) AS s ORDER BY id),
      placed AS (
        INSERT INTO "${table}" (id, ${columns})
        SELECT src.id, ${fields.map((f) => `p."${f}"`).join(', ')}
        FROM src, jsonb_populate_record(NULL::"${table}", src.v) AS p
      )
      INSERT INTO sync_rows (table_name, row_id, versions, seq)
      SELECT '${table}', id, ${versions}, nextval('sync_seq') FROM src`
  }
  const client = await pool.connect()
  try {
    await client.query("SELECT set_config('groundskeeper.applying', 'on', false)")
    await fill(client, appointments, row)
  } finally {
    await client.query("SELECT set_config('groundskeeper.applying', '', false)")
    client.release()
  }
}

async function fill(
  pool: pg.PoolClient,
  appointments: number,
  row: (table: SyncedTable, values: string, ids: string) => string,
) {
  await pool.query(
    row(
      'team_members',
      `jsonb_build_object('name', 'Crew ' || i, 'email', null, 'phone', null, 'color', '#2e7d32', 'is_available', true, 'deleted_at', null)`,
      "SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid AS id, i FROM generate_series(1, 8) i",
    ),
  )
  await pool.query(
    row(
      'services',
      `jsonb_build_object('name', 'Service ' || i, 'description', '', 'priority', 'MEDIUM', 'base_price', '55.00', 'duration_minutes', 60, 'is_active', true, 'deleted_at', null)`,
      "SELECT ('00000000-0000-7000-9000-' || lpad(to_hex(i), 12, '0'))::uuid AS id, i FROM generate_series(1, 12) i",
    ),
  )
  await pool.query(
    row(
      'clients',
      `jsonb_build_object('name', 'Client ' || i, 'email', null, 'phone', null, 'address', i || ' Main St', 'postal_code', null, 'latitude', null, 'longitude', null, 'notes', '', 'notify_email', true, 'notify_sms', false, 'notify_off', '', 'locale', 'en', 'deleted_at', null)`,
      "SELECT ('00000000-0000-7000-a000-' || lpad(to_hex(i), 12, '0'))::uuid AS id, i FROM generate_series(1, 2000) i",
    ),
  )
  await pool.query(
    row(
      'appointments',
      `jsonb_build_object(
        'client_id', ('00000000-0000-7000-a000-' || lpad(to_hex(1 + i % 2000), 12, '0')),
        'service_id', ('00000000-0000-7000-9000-' || lpad(to_hex(1 + i % 12), 12, '0')),
        'team_member_id', ('00000000-0000-7000-8000-' || lpad(to_hex(1 + i % 8), 12, '0')),
        'scheduled_at', to_char(timestamptz '2026-01-05 13:00Z' + (i / 8) * interval '75 minutes', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'duration_minutes', 60, 'status', 'scheduled', 'notes', '', 'price', '55.00',
        'follow_up_of_id', null, 'started_at', null, 'completed_at', null, 'location', null,
        'series_id', null, 'series_occurrence', null, 'series_exception', false, 'deleted_at', null)`,
      `SELECT ('00000000-0000-7000-b000-' || lpad(to_hex(i), 12, '0'))::uuid AS id, i FROM generate_series(1, ${appointments}) i`,
    ),
  )
}
