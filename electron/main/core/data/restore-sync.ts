import type { PGlite } from '@electric-sql/pglite'
import { restoreIndexes } from '../db/deferred-indexes'
import { enqueueRows, getState, resendScope, type SyncConfig, setState } from '../sync/store'

/**
 * A restore never re-points sync. A backup carries the sync settings of the laptop it
 * was made on (server, device token, cursor); restored as they are, a backup from
 * another laptop would silently connect this one to that laptop's server with that
 * laptop's token, and a cursor that does not describe the restored rows. So a restore
 * keeps this laptop's own connection, or leaves it disconnected if it had none.
 */
export interface LaptopSync {
  config: SyncConfig | undefined
  paused: boolean
}

/** This laptop's connection, read before its database is replaced. */
export async function readLaptopSync(pg: PGlite): Promise<LaptopSync> {
  return {
    config: await getState(pg, 'config'),
    paused: (await getState(pg, 'paused')) ?? false,
  }
}

/**
 * Drops the restored database's sync settings and progress and puts this laptop's
 * back. While connected, the cursor starts at 0: the restored rows are older than what
 * this laptop had pulled, so everything is pulled and merged again (the merge is per
 * field and idempotent), and every restored row is sent with its versions, as on
 * joining another server: the backup may come from a laptop synced elsewhere (a crew
 * lead's laptop sends what was written on it: `resendScope`).
 * Pulled rows still waiting in the backup's inbox came by the backup's cursor, maybe
 * from another server: they are dropped and pulled again if they belong here.
 * Returns the sentence the person restoring reads.
 */
export async function keepLaptopSync(pg: PGlite, ours: LaptopSync): Promise<string> {
  const theirs = await getState(pg, 'config')
  // A backup made during a first pull: its indexes put aside are built before the
  // record of them goes with the rest of its sync state.
  await restoreIndexes(pg)
  await pg.transaction(async (tx) => {
    await tx.query('DELETE FROM sync_state')
    await tx.query('DELETE FROM sync_inbox')
    if (!ours.config) return
    await setState(tx, 'config', ours.config)
    await setState(tx, 'cursor', 0)
    if (ours.paused) await setState(tx, 'paused', true)
  })
  if (ours.config) await enqueueRows(pg, resendScope(ours.config.device.role))
  const dropped =
    theirs &&
    (theirs.serverUrl !== ours.config?.serverUrl || theirs.device.id !== ours.config?.device.id)
      ? `The backup's own sync settings (${theirs.serverUrl}, device "${theirs.device.label}") were not restored. `
      : ''
  if (!ours.config) return `${dropped}This laptop stays disconnected from any sync server.`
  return (
    `${dropped}This laptop stays connected to ${ours.config.serverUrl} as "${ours.config.device.label}" ` +
    'and will bring the restored data up to date with the server.'
  )
}

/**
 * Who may use this laptop, read before its database is replaced. Users and their PINs
 * are the laptop's own, like its sync settings (never synced, never part of the
 * business's data): a backup, from another laptop or from this one last week, does not
 * bring back users removed since, nor lock out the admin restoring it with another
 * laptop's PINs.
 */
export async function readLaptopUsers(pg: PGlite): Promise<Record<string, unknown>[]> {
  const { rows } = await pg.query<Record<string, unknown>>('SELECT * FROM users')
  return rows
}

/**
 * Puts this laptop's users back over the backup's. A crew lead whose crew member the
 * restored data does not hold keeps their PIN with no crew, to be given one again.
 */
export async function keepLaptopUsers(
  pg: PGlite,
  ours: readonly Record<string, unknown>[],
): Promise<void> {
  const crews = ours.flatMap((u) =>
    typeof u.team_member_id === 'string' ? [u.team_member_id] : [],
  )
  const { rows } = await pg.query<{ id: string }>(
    'SELECT id FROM team_members WHERE id = ANY($1::uuid[])',
    [crews],
  )
  const held = new Set(rows.map((r) => r.id))
  const users = ours.map((u) => ({
    ...u,
    team_member_id:
      typeof u.team_member_id === 'string' && held.has(u.team_member_id) ? u.team_member_id : null,
  }))
  await pg.transaction(async (tx) => {
    await tx.query('DELETE FROM pin_attempts')
    await tx.query('DELETE FROM users')
    if (users.length)
      await tx.query(
        `INSERT INTO users SELECT * FROM jsonb_populate_recordset(null::users, $1::jsonb)`,
        [JSON.stringify(users)],
      )
  })
}
