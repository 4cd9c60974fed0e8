import type { SyncedTable } from '../sync/protocol'
import type { UserRole } from './enums'

/**
 * What each role may do. Admins and office managers may do everything; a crew lead
 * works the jobs of their own crew: change status and notes, and book follow-up
 * visits, but not prices, the calendar of others, clients, the team or the catalog.
 */
export type Action =
  | 'catalog.write'
  | 'clients.write'
  | 'team.write'
  | 'users.write'
  | 'settings.write'
  | 'data.export'
  | 'data.admin'
  | 'appointments.write'
  | 'appointments.reopen'
  | 'appointments.ownCrew'
  | 'sync.conflicts'
  | 'notifications.write'
  | 'templates.write'
  /** The email and SMS providers, whose saved secrets go wherever they point. */
  | 'providers.write'
  | 'weather.write'

const CREW_LEAD: readonly Action[] = ['appointments.ownCrew']
const ADMIN_ONLY: readonly Action[] = [
  'users.write',
  'data.admin',
  'templates.write',
  'providers.write',
]

export const isManager = (role: string | null) => role === 'admin' || role === 'office_manager'

export function may(role: UserRole, action: Action): boolean {
  if (isManager(role)) {
    return !ADMIN_ONLY.includes(action) || role === 'admin'
  }
  return CREW_LEAD.includes(action)
}

/**
 * The action that writing a row of each synced table needs. Appointments are the crew
 * lead's own work: `job-rules.ts` says which of their columns a crew lead may change.
 */
export const TABLE_ACTION: Readonly<Record<SyncedTable, Action>> = {
  clients: 'clients.write',
  services: 'catalog.write',
  products: 'catalog.write',
  team_members: 'team.write',
  team_member_specialties: 'team.write',
  business_settings: 'settings.write',
  appointments: 'appointments.ownCrew',
  appointment_products: 'appointments.write',
  series: 'appointments.write',
  notifications: 'notifications.write',
  notification_templates: 'templates.write',
  time_off: 'team.write',
  // The forecast cache and looked-up places: written by the central refresh, or by an
  // office laptop refreshing for itself.
  weather_forecasts: 'weather.write',
  geocodes: 'weather.write',
}

/** Whether `role` may write rows of `table` at all (unknown tables: no one). */
export function mayWriteTable(role: string, table: string): boolean {
  const action = Object.hasOwn(TABLE_ACTION, table) ? TABLE_ACTION[table as SyncedTable] : undefined
  return !!action && may(role as UserRole, action)
}

/** A role as a person says it, with its article: "a crew lead", "an office manager". */
export const aRole = (role: string) =>
  `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role.replaceAll('_', ' ')}`
