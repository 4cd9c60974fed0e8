import { USER_ROLES, type UserRole } from './enums'

/**
 * While a laptop is connected to a sync server, the server trusts it only as far as its
 * device token's role; the laptop must not let anyone do more locally than it could
 * send. So the role a person acts with is the lower of their own and the token's: an
 * admin on a laptop whose token is a crew lead's acts as a crew lead. A token role this
 * code does not know caps to the lowest role (fail closed).
 */
const RANK: Record<UserRole, number> = { crew_lead: 0, office_manager: 1, admin: 2 }

const isRole = (value: string): value is UserRole =>
  (USER_ROLES as readonly string[]).includes(value)

export function effectiveRole(userRole: UserRole, deviceRole: string | null): UserRole {
  if (deviceRole === null) return userRole
  const cap: UserRole = isRole(deviceRole) ? deviceRole : 'crew_lead'
  return RANK[cap] < RANK[userRole] ? cap : userRole
}
