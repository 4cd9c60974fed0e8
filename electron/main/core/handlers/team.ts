import {
  and,
  asc,
  count,
  eq,
  exists,
  ilike,
  inArray,
  isNull,
  notInArray,
  or,
  sql,
} from 'drizzle-orm'
import { DEFAULT_SETTINGS } from '../../../../shared/contract/settings'
import type { TeamMember } from '../../../../shared/contract/team'
import { uuidv7 } from '../../../../shared/domain/ids'
import { likeTerms } from '../../../../shared/domain/search-terms'
import { formatDays, parseDays } from '../../../../shared/domain/working-hours'
import { AppError } from '../../../../shared/errors'
import { requireActor } from '../auth'
import type { DrizzleDb } from '../db/create-db'
import { schema } from '../db/schema'
import { iso } from './rows'
import type { Handlers } from './types'

const { teamMembers: tm, teamMemberSpecialties: sp, services } = schema
type Queryable = Pick<DrizzleDb, 'select'>

/**
 * Whether a member can take work today: marked available and without time off covering
 * the business's today (in its time zone).
 */
/** The business's today, in its time zone. */
const businessToday = sql`(now() at time zone coalesce(
  (select b.time_zone from business_settings b where b.deleted_at is null limit 1),
  ${DEFAULT_SETTINGS.timeZone}))::date`

const availableToday = sql<boolean>`("team_members"."is_available" AND NOT EXISTS (
  select 1 from time_off t, (select ${businessToday} as d) today
  where t.team_member_id = "team_members"."id" and t.deleted_at is null
    and t.starts_on <= today.d and (t.ends_on is null or t.ends_on >= today.d)))`

const columns = {
  row: tm,
  availableToday,
  specialtyIds: sql<string[]>`coalesce((
    select json_agg(s.service_id order by s.service_id) from team_member_specialties s
    where s.team_member_id = "team_members"."id" and s.deleted_at is null), '[]'::json)`,
}

function toMember(r: {
  row: typeof tm.$inferSelect
  specialtyIds: string[]
  availableToday: boolean
}): TeamMember {
  return {
    id: r.row.id,
    name: r.row.name,
    email: r.row.email,
    phone: r.row.phone,
    color: r.row.color,
    isAvailable: r.availableToday,
    markedAvailable: r.row.isAvailable,
    archived: r.row.deletedAt !== null,
    specialtyIds: r.specialtyIds,
    workingHours: r.row.workingHours,
    workingDays: r.row.workingDays === null ? null : parseDays(r.row.workingDays),
    createdAt: iso(r.row.createdAt),
    updatedAt: iso(r.row.updatedAt),
  }
}

async function getMember(db: Queryable, id: string): Promise<TeamMember> {
  const [row] = await db.select(columns).from(tm).where(eq(tm.id, id))
  if (!row) throw new AppError('NOT_FOUND', 'team member not found')
  return toMember(row)
}

type Tx = Parameters<Parameters<DrizzleDb['transaction']>[0]>[0]

/**
 * A crew member who still has recurring visits running (a series not ended before the
 * business's today) is not archived: the series would go on booking them visits. The
 * office gives each series to someone else first; the message names them.
 */
async function refuseWhileLeadingSeries(tx: Tx, member: TeamMember) {
  const { rows } = await tx.execute<{ service: string; client: string }>(sql`
    select v.name as service, c.name as client
    from series s
    join services v on v.id = s.service_id
    join clients c on c.id = s.client_id
    where s.team_member_id = ${member.id} and s.deleted_at is null
      and (s.ends_on is null or s.ends_on >= ${businessToday})
    order by c.name, v.name`)
  if (!rows.length) return
  const shown = rows.slice(0, 3).map((r) => `${r.service} for ${r.client}`)
  if (rows.length > 3) shown.push(`${rows.length - 3} more`)
  throw new AppError(
    'CONFLICT',
    `${member.name} still has recurring visits booked (${shown.join(', ')}): give each series to another crew member first (open one of its visits, edit the whole series), then archive`,
  )
}

async function replaceSpecialties(tx: Tx, memberId: string, serviceIds: string[]) {
  if (serviceIds.length) {
    const [found] = await tx
      .select({ n: count() })
      .from(services)
      .where(and(inArray(services.id, serviceIds), isNull(services.deletedAt)))
    if ((found?.n ?? 0) !== serviceIds.length) {
      throw new AppError('NOT_FOUND', 'a specialty refers to a service that does not exist', [
        { path: 'serviceIds', message: 'contains an unknown service' },
      ])
    }
  }
  // Removed pairs become tombstones and re-added ones come back: the rows are synced, and
  // a pair's id is made from the pair (migration 0007), the same on every laptop.
  await tx
    .update(sp)
    .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
    .where(
      and(
        eq(sp.teamMemberId, memberId),
        isNull(sp.deletedAt),
        serviceIds.length ? notInArray(sp.serviceId, serviceIds) : undefined,
      ),
    )
  if (serviceIds.length) {
    await tx
      .insert(sp)
      .values(
        serviceIds.map((serviceId) => ({
          id: sql`specialty_id(${memberId}::uuid, ${serviceId}::uuid)`,
          teamMemberId: memberId,
          serviceId,
        })),
      )
      .onConflictDoUpdate({
        target: sp.id,
        set: { deletedAt: null, updatedAt: sql`now()` },
        setWhere: sql`${sp.deletedAt} is not null`,
      })
  }
}

/** Days as stored ("1,2,3"), null keeping the business's. */
const storedDays = (days: number[] | null) => (days === null ? null : formatDays(days))

/** Runs a change to one live (not archived) member and returns the member after it. */
async function changeMember(tx: Tx, id: string, change: () => Promise<unknown>) {
  const current = await getMember(tx, id)
  if (current.archived) throw new AppError('CONFLICT', 'restore the team member before editing')
  await change()
  await tx
    .update(tm)
    .set({ updatedAt: sql`now()` } as never)
    .where(eq(tm.id, id))
  return getMember(tx, id)
}

export const teamHandlers = {
  'team.list': async (ctx, input) => {
    const where = and(
      input.includeArchived ? undefined : isNull(tm.deletedAt),
      input.availableOnly ? availableToday : undefined,
      ...likeTerms(input.search).map((pattern) =>
        or(ilike(tm.name, pattern), ilike(tm.email, pattern)),
      ),
      input.serviceId
        ? exists(
            ctx.db.db
              .select({ one: sql`1` })
              .from(sp)
              .where(
                and(
                  eq(sp.teamMemberId, tm.id),
                  eq(sp.serviceId, input.serviceId),
                  isNull(sp.deletedAt),
                ),
              ),
          )
        : undefined,
    )
    const [[total], rows] = await Promise.all([
      ctx.db.db.select({ n: count() }).from(tm).where(where),
      ctx.db.db
        .select(columns)
        .from(tm)
        .where(where)
        .orderBy(asc(tm.name), asc(tm.id))
        .limit(input.limit)
        .offset(input.offset),
    ])
    return {
      count: total?.n ?? 0,
      limit: input.limit,
      offset: input.offset,
      results: rows.map(toMember),
    }
  },
  'team.get': (ctx, input) => getMember(ctx.db.db, input.id),
  'team.create': async (ctx, input) => {
    await requireActor(ctx, 'team.write')
    const { specialtyIds, workingDays, ...fields } = input
    return ctx.db.db.transaction(async (tx) => {
      const id = uuidv7()
      await tx.insert(tm).values({ ...fields, workingDays: storedDays(workingDays), id })
      await replaceSpecialties(tx, id, specialtyIds)
      return getMember(tx, id)
    })
  },
  'team.update': async (ctx, input) => {
    await requireActor(ctx, 'team.write')
    const { id, workingDays, ...changes } = input
    const fields = Object.fromEntries(
      Object.entries({
        ...changes,
        workingDays: workingDays === undefined ? undefined : storedDays(workingDays),
      }).filter(([, v]) => v !== undefined),
    )
    return ctx.db.db.transaction((tx) =>
      changeMember(tx, id, async () => {
        if (Object.keys(fields).length) await tx.update(tm).set(fields).where(eq(tm.id, id))
      }),
    )
  },
  'team.setAvailability': async (ctx, input) => {
    await requireActor(ctx, 'team.write')
    return ctx.db.db.transaction((tx) =>
      changeMember(tx, input.id, () =>
        tx.update(tm).set({ isAvailable: input.isAvailable }).where(eq(tm.id, input.id)),
      ),
    )
  },
  'team.setSpecialties': async (ctx, input) => {
    await requireActor(ctx, 'team.write')
    return ctx.db.db.transaction((tx) =>
      changeMember(tx, input.id, () => replaceSpecialties(tx, input.id, input.serviceIds)),
    )
  },
  'team.archive': async (ctx, input) => {
    await requireActor(ctx, 'team.write')
    return ctx.db.db.transaction(async (tx) => {
      const member = await getMember(tx, input.id)
      if (input.archived && !member.archived) await refuseWhileLeadingSeries(tx, member)
      await tx
        .update(tm)
        .set({ deletedAt: input.archived ? sql`now()` : null, updatedAt: sql`now()` } as never)
        .where(eq(tm.id, input.id))
      return getMember(tx, input.id)
    })
  },
} satisfies Partial<Handlers>
