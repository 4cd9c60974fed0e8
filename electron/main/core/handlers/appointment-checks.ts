import { and, eq, gte, inArray, isNull, lt, lte, ne, or, sql } from 'drizzle-orm'
import type { Warning } from '../../../../shared/contract/common'
import { BUSINESS_SETTINGS_ID, DEFAULT_SETTINGS } from '../../../../shared/contract/settings'
import { assignmentWarnings } from '../../../../shared/domain/assignee-warnings'
import {
  type Booking,
  endMs,
  findClashes,
  MAX_DURATION_MINUTES,
} from '../../../../shared/domain/schedule'
import { localDay } from '../../../../shared/domain/time'
import { describeSpan } from '../../../../shared/domain/when'
import { plural } from '../../../../shared/domain/words'
import {
  covers,
  describeHours,
  effectiveHours,
  type WorkingHours,
  withinHours,
} from '../../../../shared/domain/working-hours'
import { AppError } from '../../../../shared/errors'
import type { DrizzleDb } from '../db/create-db'
import { schema } from '../db/schema'
import { businessTimeZone } from './business-zone'

const {
  appointments: a,
  businessSettings,
  clients,
  services,
  teamMembers,
  teamMemberSpecialties,
  timeOff,
} = schema

/** A local day as words: "Tue, Dec 1". */
export const describeDay = (day: string) =>
  new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    weekday: 'short',
    month: 'short',
    day: 'numeric',
  })
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

/** A crew member who can take jobs; `archived` also one archived (a job kept with them). */
export async function requireTeamMember(
  db: Queryable,
  id: string,
  opts: { archived?: boolean } = {},
) {
  const [row] = await db
    .select()
    .from(teamMembers)
    .where(and(eq(teamMembers.id, id), opts.archived ? undefined : isNull(teamMembers.deletedAt)))
  if (!row) throw missing('teamMemberId', 'team member')
  return row
}

/** The business's zone and working hours, as settings.get gives them (defaults if unset). */
async function businessHours(db: Queryable): Promise<{ timeZone: string; hours: WorkingHours }> {
  const [row] = await db
    .select({ hours: businessSettings.workingHours, days: businessSettings.workingDays })
    .from(businessSettings)
    .where(eq(businessSettings.id, BUSINESS_SETTINGS_ID))
  return {
    timeZone: await businessTimeZone(db),
    hours: effectiveHours(
      { workingHours: row?.hours ?? null, workingDays: row?.days ?? null },
      DEFAULT_SETTINGS.workingHours,
    ),
  }
}

/**
 * Warnings (not errors) about who is assigned, as `assignmentWarnings` words them: marked
 * unavailable, time off on the job's day in the business's zone, outside their working
 * hours, missing specialty.
 */
export async function assigneeWarnings(
  db: Queryable,
  member: typeof teamMembers.$inferSelect,
  serviceId: string,
  startMs: number,
  durationMinutes: number,
): Promise<Warning[]> {
  const business = await businessHours(db)
  const day = localDay(startMs, business.timeZone)
  const [off] = await db
    .select({ startsOn: timeOff.startsOn, endsOn: timeOff.endsOn, reason: timeOff.reason })
    .from(timeOff)
    .where(
      and(
        eq(timeOff.teamMemberId, member.id),
        isNull(timeOff.deletedAt),
        lte(timeOff.startsOn, day),
        or(isNull(timeOff.endsOn), gte(timeOff.endsOn, day)),
      ),
    )
    .limit(1)
  const [skill] = await db
    .select({ id: teamMemberSpecialties.serviceId })
    .from(teamMemberSpecialties)
    .where(
      and(
        eq(teamMemberSpecialties.teamMemberId, member.id),
        eq(teamMemberSpecialties.serviceId, serviceId),
        isNull(teamMemberSpecialties.deletedAt),
      ),
    )
  // The service's name is needed only to say it is not one of theirs.
  const [service] = skill
    ? []
    : await db.select({ name: services.name }).from(services).where(eq(services.id, serviceId))
  return assignmentWarnings({
    member: { name: member.name, markedAvailable: member.isAvailable },
    service: { name: service?.name ?? null, isSpecialty: skill !== undefined },
    timeOff: off ? [off] : [],
    hours: effectiveHours(member, business.hours),
    startMs,
    durationMinutes,
    timeZone: business.timeZone,
  })
}

/**
 * What a series' visits mean for their crew, counted by member: visits outside their
 * hours or days ("8 visits are outside Aisha Smith's hours (...)"), and visits in their
 * time off. The warnings `assigneeWarnings` gives one booking, said once for many.
 */
export async function crewWarnings(
  db: Queryable,
  visits: readonly { teamMemberId: string | null; scheduledAt: string; durationMinutes: number }[],
): Promise<string[]> {
  const placed = visits.filter((v) => v.teamMemberId !== null)
  const ids = [...new Set(placed.map((v) => v.teamMemberId as string))]
  if (!ids.length) return []
  const business = await businessHours(db)
  const members = await db
    .select({
      id: teamMembers.id,
      name: teamMembers.name,
      workingHours: teamMembers.workingHours,
      workingDays: teamMembers.workingDays,
    })
    .from(teamMembers)
    .where(inArray(teamMembers.id, ids))
  const days = placed.map((v) => localDay(Date.parse(v.scheduledAt), business.timeZone)).sort()
  const off = await db
    .select({ member: timeOff.teamMemberId, startsOn: timeOff.startsOn, endsOn: timeOff.endsOn })
    .from(timeOff)
    .where(
      and(
        inArray(timeOff.teamMemberId, ids),
        isNull(timeOff.deletedAt),
        lte(timeOff.startsOn, days[days.length - 1] as string),
        or(isNull(timeOff.endsOn), gte(timeOff.endsOn, days[0] as string)),
      ),
    )
  const out: string[] = []
  for (const m of members) {
    const mine = placed.filter((v) => v.teamMemberId === m.id)
    const hours = effectiveHours(m, business.hours)
    const ranges = off.filter((o) => o.member === m.id)
    let offCount = 0
    let outside = 0
    for (const v of mine) {
      const ms = Date.parse(v.scheduledAt)
      const day = localDay(ms, business.timeZone)
      if (ranges.some((r) => covers(r, day))) offCount += 1
      else if (!withinHours(ms, v.durationMinutes, hours, business.timeZone)) outside += 1
    }
    const visits = (n: number) => `${plural(n, 'visit')} ${n === 1 ? 'is' : 'are'}`
    if (outside) out.push(`${visits(outside)} outside ${m.name}'s hours (${describeHours(hours)})`)
    if (offCount) out.push(`${visits(offCount)} in ${m.name}'s time off`)
  }
  return out
}

/**
 * Refuses a double booking of the team member with CONFLICT, unless the caller accepted
 * it; then it is a warning. The message names the crew member, the clashing jobs' clients
 * and services and their times in the business's zone; the ids of the clashing jobs travel
 * beside it (issues with path `conflictsWith`, the warning's `appointmentIds`), for the
 * renderer to act on, never in the text.
 */
export async function checkDoubleBooking(
  db: Queryable,
  candidate: Booking,
  acceptConflict: boolean,
): Promise<Warning[]> {
  if (!candidate.teamMemberId || candidate.status === 'cancelled') return []
  const end = new Date(endMs(candidate)).toISOString()
  const earliest = new Date(candidate.startMs - MAX_DURATION_MINUTES * 60_000).toISOString()
  const rows = await db
    .select({
      id: a.id,
      teamMemberId: a.teamMemberId,
      scheduledAt: a.scheduledAt,
      durationMinutes: a.durationMinutes,
      status: a.status,
      clientName: clients.name,
      serviceName: services.name,
    })
    .from(a)
    .innerJoin(clients, eq(clients.id, a.clientId))
    .innerJoin(services, eq(services.id, a.serviceId))
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
  const byId = new Map(rows.map((r) => [r.id, { ...r, startMs: Date.parse(r.scheduledAt) }]))
  const clashes = findClashes(candidate, [...byId.values()])
  if (clashes.length === 0) return []
  const ids = clashes.map((c) => c.id)
  const [member] = await db
    .select({ name: teamMembers.name })
    .from(teamMembers)
    .where(eq(teamMembers.id, candidate.teamMemberId))
  const zone = await businessTimeZone(db)
  const jobs = clashes.slice(0, 3).map((c) => {
    const row = byId.get(c.id)
    const what = row ? ` (${row.clientName}, ${row.serviceName})` : ''
    return `${describeSpan(c.startMs, endMs(c), zone)}${what}`
  })
  if (clashes.length > 3) jobs.push(`${clashes.length - 3} more`)
  const who = member?.name ?? 'This crew member'
  const when = jobs.length > 1 ? `${jobs.slice(0, -1).join('; ')} and ${jobs.at(-1)}` : jobs[0]
  if (!acceptConflict) {
    throw new AppError(
      'CONFLICT',
      `${who} is already booked ${when}`,
      ids.map((id) => ({ path: 'conflictsWith', message: id })),
    )
  }
  // Synced with the write, so that the server does not report a double booking the
  // user saw and kept as a conflict (migration 0005, sync_capture).
  await db.execute(
    sql`SELECT set_config('groundskeeper.accepted_overlaps', ${`${candidate.id}:${ids.join(',')}`}, true)`,
  )
  return [
    {
      code: 'DOUBLE_BOOKED',
      message: `Double-booked: ${who} is also booked ${when}`,
      appointmentIds: ids,
    },
  ]
}
