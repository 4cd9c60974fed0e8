import { and, asc, eq, gte, inArray, isNull, lt, ne, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { DaySheetCrew, DaySheetJob } from '../../../../shared/contract/day-sheet'
import { BUSINESS_SETTINGS_ID } from '../../../../shared/contract/settings'
import { jobLocation } from '../../../../shared/domain/job-location'
import { isManager } from '../../../../shared/domain/permissions'
import { addDays, dayStartMs } from '../../../../shared/domain/time'
import { AppError } from '../../../../shared/errors'
import { requireActor } from '../auth'
import { schema } from '../db/schema'
import { businessTimeZone } from './business-zone'
import { iso } from './rows'
import type { Handlers } from './types'

const { appointments: a, clients: c, services: s, products: p, businessSettings: b } = schema
const ap = schema.appointmentProducts
const tm = alias(schema.teamMembers, 'tm')

const num = (v: string | null) => (v === null ? null : Number(v))

/** "2.50" -> "2.5", "3.00" -> "3": a quantity as a person writes it. */
const quantity = (v: string) => v.replace(/\.0+$|(\.\d*?)0+$/, '$1')

export const daySheetHandlers = {
  'daySheet.get': async (ctx, input) => {
    const { db } = ctx.db
    const actor = await requireActor(ctx)
    const one = input.crew === 'all' ? null : input.crew
    // A crew lead prints their own crew's day; the office prints anyone's.
    if (!isManager(actor.role) && (one === null || one !== actor.crew)) {
      throw new AppError('FORBIDDEN', "a crew lead may print only their own crew's day sheet")
    }
    let crewName = ''
    if (one) {
      const [member] = await db.select({ name: tm.name }).from(tm).where(eq(tm.id, one))
      if (!member) throw new AppError('NOT_FOUND', 'crew member not found')
      crewName = member.name
    }

    const timeZone = await businessTimeZone(db)
    const from = new Date(dayStartMs(input.date, timeZone)).toISOString()
    const to = new Date(dayStartMs(addDays(input.date, 1), timeZone)).toISOString()
    // One query for the jobs with their client, service and crew member (never one per job).
    const rows = await db
      .select({
        id: a.id,
        scheduledAt: a.scheduledAt,
        durationMinutes: a.durationMinutes,
        status: a.status,
        startedAt: a.startedAt,
        completedAt: a.completedAt,
        notes: a.notes,
        location: a.location,
        teamMemberId: a.teamMemberId,
        teamMemberName: tm.name,
        clientName: c.name,
        clientPhone: c.phone,
        address: c.address,
        postalCode: c.postalCode,
        latitude: c.latitude,
        longitude: c.longitude,
        serviceName: s.name,
      })
      .from(a)
      .innerJoin(c, eq(c.id, a.clientId))
      .innerJoin(s, eq(s.id, a.serviceId))
      .leftJoin(tm, eq(tm.id, a.teamMemberId))
      .where(
        and(
          isNull(a.deletedAt),
          ne(a.status, 'cancelled'),
          gte(a.scheduledAt, from),
          lt(a.scheduledAt, to),
          one ? eq(a.teamMemberId, one) : undefined,
        ),
      )
      .orderBy(sql`${tm.name} asc nulls last`, asc(a.teamMemberId), asc(a.scheduledAt), asc(a.id))

    // And one for what to bring to all of them.
    const lines = rows.length
      ? await db
          .select({
            appointmentId: ap.appointmentId,
            name: p.name,
            unit: p.unit,
            quantity: ap.quantity,
          })
          .from(ap)
          .innerJoin(p, eq(p.id, ap.productId))
          .where(
            and(
              inArray(
                ap.appointmentId,
                rows.map((r) => r.id),
              ),
              isNull(ap.deletedAt),
            ),
          )
          .orderBy(asc(p.name), asc(ap.id))
      : []
    const products = new Map<string, DaySheetJob['products']>()
    for (const l of lines) {
      const list = products.get(l.appointmentId) ?? []
      list.push({ name: l.name, unit: l.unit, quantity: quantity(l.quantity) })
      products.set(l.appointmentId, list)
    }

    const crews: DaySheetCrew[] = one ? [{ teamMemberId: one, name: crewName, jobs: [] }] : []
    for (const r of rows) {
      let crew = crews.at(-1)
      if (!crew || crew.teamMemberId !== r.teamMemberId) {
        crew = { teamMemberId: r.teamMemberId, name: r.teamMemberName ?? 'Unassigned', jobs: [] }
        crews.push(crew)
      }
      const atClient = !r.location?.trim()
      const start = Date.parse(r.scheduledAt)
      crew.jobs.push({
        id: r.id,
        scheduledAt: iso(r.scheduledAt),
        endsAt: new Date(start + r.durationMinutes * 60_000).toISOString(),
        status: r.status as DaySheetJob['status'],
        startedAt: r.startedAt && iso(r.startedAt),
        completedAt: r.completedAt && iso(r.completedAt),
        clientName: r.clientName,
        clientPhone: r.clientPhone,
        place: jobLocation(r, r),
        latitude: atClient ? num(r.latitude) : null,
        longitude: atClient ? num(r.longitude) : null,
        serviceName: r.serviceName,
        notes: r.notes,
        products: products.get(r.id) ?? [],
      })
    }

    const [business] = await db
      .select({ name: b.businessName, phone: b.businessPhone })
      .from(b)
      .where(eq(b.id, BUSINESS_SETTINGS_ID))
    return {
      date: input.date,
      timeZone,
      businessName: business?.name ?? null,
      businessPhone: business?.phone ?? null,
      crews,
    }
  },
} satisfies Partial<Handlers>
