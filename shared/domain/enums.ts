/** Value sets shared by the database constraints, the contract and the UI. */
export const APPOINTMENT_STATUSES = ['scheduled', 'in_progress', 'completed', 'cancelled'] as const
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number]

export const SERVICE_PRIORITIES = ['LOW', 'MEDIUM', 'HIGH'] as const
export type ServicePriority = (typeof SERVICE_PRIORITIES)[number]
export const DEFAULT_SERVICE_PRIORITY: ServicePriority = 'MEDIUM'

export const USER_ROLES = ['admin', 'office_manager', 'crew_lead'] as const
export type UserRole = (typeof USER_ROLES)[number]

/** `'a', 'b'` for a SQL `IN (...)` list of constant, code-defined values. */
export const sqlList = (values: readonly string[]): string =>
  values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')
