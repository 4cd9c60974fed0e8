import type { SyncedTable } from '../shared/sync/protocol'
import { CREW_DAYS_BACK } from '../shared/sync/snapshot'
import type { Device } from './tokens'

/**
 * What a device's first pull (the snapshot) holds of each table. Office devices receive
 * everything. A crew lead's device receives what its days need, not the whole business:
 * its crew's jobs from 30 days back onwards and the visits those follow up (the chain,
 * whatever its age or crew: a follow-up refers to its visit), with their product lines
 * and messages; the clients of those jobs, and those clients' series. The catalog
 * (services, products), the crew members with their specialties and time off, and the
 * business settings come whole: small, and what a follow-up booked on the laptop picks
 * from. The pulls after the snapshot keep to the same rule (server/pull.ts). `$crew` is
 * the device's crew member (null: no jobs).
 */
const CREW_CTES = `jobs(id, follow_up_of_id) AS (
    SELECT a.id, a.follow_up_of_id FROM appointments a
    WHERE a.team_member_id = $crew::uuid AND a.scheduled_at >= now() - interval '${CREW_DAYS_BACK} days'
    UNION
    SELECT p.id, p.follow_up_of_id FROM appointments p JOIN jobs j ON p.id = j.follow_up_of_id
  )`

/** A condition on an appointments row `alias`: one of the jobs the device receives. */
type Jobs = (alias: string) => string

/** The clients of those jobs, as a subquery. */
const jobClients = (jobs: Jobs) => `(SELECT x.client_id FROM appointments x WHERE ${jobs('x')})`

/** Per table: which of its rows (alias `d`) a crew lead's device receives (null: all). */
const CREW_ROWS: Record<SyncedTable, ((jobs: Jobs) => string) | null> = {
  business_settings: null,
  team_members: null,
  clients: (jobs) => `d.id IN ${jobClients(jobs)}`,
  services: null,
  products: null,
  team_member_specialties: null,
  appointments: (jobs) => jobs('d'),
  appointment_products: () => 'd.appointment_id IN (SELECT id FROM jobs)',
  notification_templates: null,
  time_off: null,
  // A crew's visit names its series; a series names its client.
  series: (jobs) => `d.client_id IN ${jobClients(jobs)}`,
  weather_forecasts: null,
  geocodes: null,
  // Their jobs' messages to clients.
  notifications: () => 'd.appointment_id IN (SELECT id FROM jobs)',
}

/** The tables whose scope follows the jobs the laptop holds already (`heldParam`). */
export const HELD_SCOPED: readonly SyncedTable[] = ['appointments', 'clients', 'series']

export interface Scope {
  /** Common table expressions to put after `WITH RECURSIVE` (empty: none needed). */
  ctes: string
  /** A condition on the domain row `d` (`true`: every row). */
  where: string
}

/**
 * The scope of `device` over `table`, for a query whose parameter number `crewParam`
 * holds `crewOf(device)`, and `heldParam` (if given) the jobs the laptop holds already:
 * those that were ever the crew's come too, whatever their crew now, with their clients
 * (a laptop naming another crew's job learns nothing of it).
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
  const jobs: Jobs = (alias) =>
    `${alias}.id IN (SELECT id FROM jobs)${
      heldParam !== undefined && HELD_SCOPED.includes(table)
        ? ` OR (${alias}.id = ANY($${heldParam}::uuid[]) AND ${alias}.id IN (
             SELECT appointment_id FROM appointment_crews WHERE team_member_id = ${param}::uuid))`
        : ''
    }`
  return {
    ctes: CREW_CTES.replaceAll('$crew', param),
    where: `(${rows(jobs)})`,
  }
}

/** The parameter `scopeOf` refers to. */
export const crewOf = (device: Device): string | null =>
  device.role === 'crew_lead' ? device.teamMemberId : null
