import { and, eq, gte, isNull, lt, ne, sql } from 'drizzle-orm'
import type { Warning } from '../../../../shared/contract/common'
import { type Booking, findClashes, MAX_DURATION_MINUTES } from '../../../../shared/domain/schedule'
import { AppError } from '../../../../shared/errors'
import type { DrizzleDb } from '../db/create-db'
import { schema } from '../db/schema'
import { iso } from './rows'

const { appointments: a, clients, services, teamMembers, teamMemberSpecialties } = schema
type Queryable = Pick<DrizzleDb, 'select' | 'execute'>

const missing = (field: string, what: string) =>
  new AppError('NOT_FOUND', `${what} not found`, [{ path: field, message: `no such ${what}` }])

export async function requireClient(db: Queryable, id: string) {
  const [row] = await db
    .select({ id: clients.id })
    .from(clients)
    .where(and(eq(clients.id, id), isNull(clients.deletedAt)))
  if (!row) throw missing('clientId', 'client')
}

/** The service to book: it must exist and not be archived. */
export async function requireBookableService(db: Queryable, id: string) {
  const [row] = await db
    .select()
    .from(services)
    .where(and(eq(services.id, id), isNull(services.deletedAt)))
  if (!row) throw missing('serviceId', 'service')
  if (!row.isActive) {
    throw new AppError('VALIDATION', 'this service is archived and cannot be booked', [
      { path: 'serviceId', message: 'is archived' },
    ])
  }
  return row
}

export async function requireTeamMember(db: Queryable, id: string) {
  const [row] = await db
    .select()
    .from(teamMembers)
    .where(and(eq(teamMembers.id, id), isNull(teamMembers.deletedAt)))
  if (!row) throw missing('teamMemberId', 'team member')
  return row
}

/** Warnings (not errors) about who is assigned: missing specialty, unavailable. */
export async function assigneeWarnings(
  db: Queryable,
  member: typeof teamMembers.$inferSelect,
  serviceId: string,
): Promise<Warning[]> {
  const warnings: Warning[] = []
  if (!member.isAvailable) {
    warnings.push({ code: 'UNAVAILABLE', message: `${member.name} is marked unavailable` })
  }
  const [skill] = await db
    .select({ id: teamMemberSpecialties.serviceId })
    .from(teamMemberSpecialties)
    .where(
      and(
        eq(teamMemberSpecialties.teamMemberId, member.id),
        eq(teamMemberSpecialties.serviceId, serviceId),
      ),
    )
  if (!skill) {
    warnings.push({
      code: 'MISSING_SPECIALTY',
      message: `${member.name} does not have this service as a specialty`,
    })
  }
  return warnings
}

/**
 * Refuses a double booking of the team member with CONFLICT naming the clashing
 * appointments, unless the caller accepted it; then it is a warning.
 */
export async function checkDoubleBooking(
  db: Queryable,
  candidate: Booking,
  acceptConflict: boolean,
): Promise<Warning[]> {
  if (!candidate.teamMemberId || candidate.status === 'cancelled') return []
  const end = new Date(candidate.startMs + candidate.durationMinutes * 60_000).toISOString()
  const earliest = new Date(candidate.startMs - MAX_DURATION_MINUTES * 60_000).toISOString()
  const rows = await db
    .select({
      id: a.id,
      teamMemberId: a.teamMemberId,
      scheduledAt: a.scheduledAt,
      durationMinutes: a.durationMinutes,
      status: a.status,
    })
    .from(a)
    .where(
      and(
        eq(a.teamMemberId, candidate.teamMemberId),
        isNull(a.deletedAt),
        ne(a.status, 'cancelled'),
        ne(a.id, candidate.id),
        gte(a.scheduledAt, earliest),
        lt(a.scheduledAt, end),
      ),
    )
  const clashes = findClashes(
    candidate,
    rows.map((r) => ({ ...r, startMs: Date.parse(r.scheduledAt) })),
  )
  if (clashes.length === 0) return []
  const list = clashes.map((c) => `${c.id} at ${iso(new Date(c.startMs).toISOString())}`)
  if (!acceptConflict) {
    throw new AppError(
      'CONFLICT',
      `the team member is already booked then: appointment ${list.join(', ')}`,
      clashes.map((c) => ({ path: 'conflictsWith', message: c.id })),
    )
  }
  // Synced with the write, so that the server does not report a double booking the
  // user saw and kept as a conflict (migration 0005, sync_capture).
  await db.execute(
    sql`SELECT set_config('groundskeeper.accepted_overlaps', ${`${candidate.id}:${clashes.map((c) => c.id).join(',')}`}, true)`,
  )
  return [{ code: 'DOUBLE_BOOKED', message: `double-booked with appointment ${list.join(', ')}` }]
}
