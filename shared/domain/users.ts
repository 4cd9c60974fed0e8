import type { UserRole } from './enums'
import { needsPin } from './pin'

/**
 * What a laptop's users may become: the rule behind adding, changing and removing one.
 * Users are the people who pick themselves at this laptop (never synced); the rule keeps
 * the picker readable and the laptop manageable:
 * - two users never share a name (compared without case or surrounding spaces);
 * - a crew lead leads a crew;
 * - an office manager or admin has a PIN (given now, or kept from before);
 * - the laptop keeps at least one admin, so someone can always manage it;
 * - nobody removes themselves (another admin can).
 */
export interface UserState {
  id: string
  name: string
  role: UserRole
  teamMemberId: string | null
  hasPin: boolean
}

export interface UserProblem {
  path: string
  message: string
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase()

/**
 * The problems with changing `before` into `after` among `users` (every live user, as
 * they are now): `before` null adds a user, `after` null removes one. `actorId` is the
 * user making the change (null while the laptop is being set up). Empty: allowed.
 */
export function userChangeProblems(
  users: readonly UserState[],
  before: UserState | null,
  after: UserState | null,
  actorId: string | null,
): UserProblem[] {
  const problems: UserProblem[] = []
  const others = users.filter((u) => u.id !== (before ?? after)?.id)
  if (after) {
    const taken = others.find((u) => sameName(u.name, after.name))
    if (taken) problems.push({ path: 'name', message: 'is already the name of another user' })
    if (after.role === 'crew_lead' && !after.teamMemberId)
      problems.push({ path: 'teamMemberId', message: 'is required for a crew lead' })
    if (needsPin(after.role) && !after.hasPin)
      problems.push({ path: 'pin', message: 'is required for an office manager or admin' })
  }
  if (!after && before && before.id === actorId)
    problems.push({
      path: 'id',
      message: 'is signed in now: switch to another admin to remove them',
    })
  const loses = before?.role === 'admin' && after?.role !== 'admin'
  if (loses && !others.some((u) => u.role === 'admin'))
    problems.push({
      path: after ? 'role' : 'id',
      message: after
        ? 'must stay admin: they are the only admin; make someone else an admin first'
        : 'is the only admin: make someone else an admin first',
    })
  return problems
}
