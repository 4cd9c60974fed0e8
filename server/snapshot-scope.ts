import type { SyncedTable } from '../shared/sync/protocol'
import type { Device } from './tokens'

/**
 * What a device receives of each table. Office devices receive everything. A crew
 * lead's device receives what its day needs and nothing more:
 * - its crew's jobs from 30 days back onwards, and the visits those follow up (the
 *   chain, whatever its age or crew: a follow-up refers to its visit, and the laptop's
 *   tables hold the same foreign keys as the server's);
 * - the clients of those jobs, and their product lines with the products they name;
 * - its own crew member and any other those jobs name, with their specialties, and the
 *   services those jobs and specialties name;
 * - the business settings.
 * Every row it receives can be stored on the laptop: what a row refers to is in scope
 * too. `$crew` is the device's crew member (null: no jobs at all).
 */
export const CREW_DAYS_BACK = 30

const CREW_CTES = `jobs(id, follow_up_of_id) AS (
    SELECT a.id, a.follow_up_of_id FROM appointments a
    WHERE a.team_member_id = $crew::uuid AND a.scheduled_at >= now() - interval '${CREW_DAYS_BACK} days'
    UNION
    SELECT p.id, p.follow_up_of_id FROM appointments p JOIN jobs j ON p.id = j.follow_up_of_id
  ),
  job_rows AS (SELECT a.* FROM appointments a WHERE a.id IN (SELECT id FROM jobs)),
  members(id) AS (
    SELECT $crew::uuid WHERE $crew::uuid IS NOT NULL
    UNION SELECT team_member_id FROM job_rows WHERE team_member_id IS NOT NULL
  )`

/** Per table: which of its rows (alias `d`) a crew lead's device receives. */
const CREW_ROWS: Record<SyncedTable, string | null> = {
  business_settings: null,
  team_members: 'd.id IN (SELECT id FROM members)',
  clients: 'd.id IN (SELECT client_id FROM job_rows)',
  services: `d.id IN (SELECT service_id FROM job_rows
    UNION SELECT x.service_id FROM team_member_specialties x WHERE x.team_member_id IN (SELECT id FROM members))`,
  products: `d.id IN (SELECT x.product_id FROM appointment_products x
    WHERE x.appointment_id IN (SELECT id FROM jobs))`,
  team_member_specialties: 'd.team_member_id IN (SELECT id FROM members)',
  appointments: 'd.id IN (SELECT id FROM jobs)',
  appointment_products: 'd.appointment_id IN (SELECT id FROM jobs)',
}

export interface Scope {
  /** Common table expressions to put after `WITH RECURSIVE` (empty: none needed). */
  ctes: string
  /** A condition on the domain row `d` (`true`: every row). */
  where: string
}

/**
 * The scope of `device` over `table`, for a query whose parameter number `crewParam`
 * holds `crewOf(device)`.
 */
export function scopeOf(device: Device, table: SyncedTable, crewParam: number): Scope {
  const rows = device.role === 'crew_lead' ? CREW_ROWS[table] : null
  if (rows === null) return { ctes: '', where: 'true' }
  const param = `$${crewParam}`
  return {
    ctes: CREW_CTES.replaceAll('$crew', param),
    where: rows,
  }
}

/** The parameter `scopeOf` refers to. */
export const crewOf = (device: Device): string | null =>
  device.role === 'crew_lead' ? device.teamMemberId : null
