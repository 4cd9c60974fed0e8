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

const CREW_LEAD: readonly Action[] = ['appointments.ownCrew']

export function may(role: UserRole, action: Action): boolean {
  if (role === 'admin' || role === 'office_manager') {
    return (action !== 'users.write' && action !== 'data.admin') || role === 'admin'
  }
  return CREW_LEAD.includes(action)
}
