import type { SyncedTable } from '../shared/sync/protocol'
import { CREW_DAYS_BACK } from '../shared/sync/snapshot'
import type { Device } from './tokens'

/**
 * What a device's first pull (the snapshot) holds of each table. Office devices receive
 * everything. A crew lead's device receives the jobs its days need, not the whole
 * business's history: its crew's jobs from 30 days back onwards and the visits those
 * follow up (the chain, whatever its age or crew: a follow-up refers to its visit), with
 * their product lines. Every other table — clients, services, products, crew members
 * with their specialties, the business settings — comes whole: they are small beside
 * the jobs, and the pulls after the snapshot hand out the changes of every job that is or
 * was the crew's (server/pull.ts: a job reassigned away must reach its laptop too), so
 * any job arriving later finds the client, service and crew it names. `$crew` is the
 * device's crew member (null: no jobs).
 */
const CREW_CTES = `jobs(id, follow_up_of_id) AS (
    SELECT a.id, a.follow_up_of_id FROM appointments a
    WHERE a.team_member_id = $crew::uuid AND a.scheduled_at >= now() - interval '${CREW_DAYS_BACK} days'
    UNION
    SELECT p.id, p.follow_up_of_id FROM appointments p JOIN jobs j ON p.id = j.follow_up_of_id
  )`

/** Per table: which of its rows (alias `d`) a crew lead's device receives. */
const CREW_ROWS: Record<SyncedTable, string | null> = {
  business_settings: null,
  team_members: null,
  clients: null,
  services: null,
  products: null,
  team_member_specialties: null,
  appointments: 'd.id IN (SELECT id FROM jobs)',
  appointment_products: 'd.appointment_id IN (SELECT id FROM jobs)',
  notification_templates: null,
  time_off: null,
  // Series are one per recurring client: small beside the jobs, and a crew's visit names its series.
  series: null,
  weather_forecasts: null,
  geocodes: null,
  // Their jobs' messages to clients.
  notifications: 'd.appointment_id IN (SELECT id FROM jobs)',
}

export interface Scope {
  /** Common table expressions to put after `WITH RECURSIVE` (empty: none needed). */
  ctes: string
  /** A condition on the domain row `d` (`true`: every row). */
  where: string
}

/**
 * The scope of `device` over `table`, for a query whose parameter number `crewParam`
 * holds `crewOf(device)`, and `heldParam` (if given) the jobs the laptop holds already:
 * those that were ever the crew's come too, whatever their crew now (a laptop naming
 * another crew's job learns nothing of it).
 */
export function scopeOf(
  device: Device,
  table: SyncedTable,
  crewParam: number,
  heldParam?: number,
): Scope {
  const rows = device.role === 'crew_lead' ? CREW_ROWS[table] : null
  if (rows === null) return { ctes: '', where: 'true' }
  const param = `$${crewParam}`
  const held =
    heldParam !== undefined && table === 'appointments'
      ? ` OR (d.id = ANY($${heldParam}::uuid[]) AND d.id IN (
           SELECT appointment_id FROM appointment_crews WHERE team_member_id = ${param}::uuid))`
      : ''
  return {
    ctes: CREW_CTES.replaceAll('$crew', param),
    where: `${rows}${held}`,
  }
}

/** The parameter `scopeOf` refers to. */
export const crewOf = (device: Device): string | null =>
  device.role === 'crew_lead' ? device.teamMemberId : null
