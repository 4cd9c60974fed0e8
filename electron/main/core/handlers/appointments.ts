import { and, eq, isNull, sql } from 'drizzle-orm'
import { MAX_CALENDAR_EVENTS } from '../../../../shared/contract/appointments'
import type { Warning } from '../../../../shared/contract/common'
import { uuidv7 } from '../../../../shared/domain/ids'
import { checkTransition, isEditable } from '../../../../shared/domain/status'
import { AppError } from '../../../../shared/errors'
import { type Actor, requireActor } from '../auth'
import type { DrizzleDb } from '../db/create-db'
import { schema } from '../db/schema'
import {
  assigneeWarnings,
  checkDoubleBooking,
  requireBookableService,
  requireClient,
  requireTeamMember,
} from './appointment-checks'
import { appointmentsInRange, getAppointment, listAppointments } from './appointment-queries'
import type { Handlers } from './types'

const { appointments: a } = schema
type Tx = Parameters<Parameters<DrizzleDb['transaction']>[0]>[0]
type Row = typeof a.$inferSelect

async function loadForChange(tx: Tx, id: string): Promise<Row> {
  const [row] = await tx
    .select()
    .from(a)
    .where(and(eq(a.id, id), isNull(a.deletedAt)))
    .for('update')
  if (!row) throw new AppError('NOT_FOUND', 'appointment not found')
  return row
}

const isManager = (actor: Actor) => actor.role === 'admin' || actor.role === 'office_manager'

/** A crew lead may only touch the jobs of the crew they lead. */
function requireOwnCrew(actor: Actor, jobCrew: string | null) {
  if (isManager(actor)) return
  if (!actor.user?.teamMemberId || actor.user.teamMemberId !== jobCrew) {
    throw new AppError('FORBIDDEN', 'a crew lead may only change the jobs of their own crew')
  }
}

function refuseFields(actor: Actor, input: Record<string, unknown>, allowed: string[]) {
  if (isManager(actor)) return
  const extra = Object.entries(input).filter(
    ([k, v]) => v !== undefined && !allowed.includes(k) && k !== 'acceptConflict',
  )
  if (extra.length) {
    throw new AppError(
      'FORBIDDEN',
      'a crew lead may change only the status and notes of a job',
      extra.map(([k]) => ({ path: k, message: 'may not be changed by a crew lead' })),
    )
  }
}

export const appointmentHandlers = {
  'appointments.list': (ctx, input) => listAppointments(ctx.db.db, input),

  'appointments.get': (ctx, input) => getAppointment(ctx.db.db, input.id),

  'calendar.range': (ctx, input) =>
    appointmentsInRange(ctx.db.db, ctx.names, input, MAX_CALENDAR_EVENTS),

  'appointments.create': async (ctx, input) => {
    const actor = await requireActor(ctx)
    return ctx.db.db.transaction(async (tx) => {
      let teamMemberId = input.teamMemberId
      if (input.followUpOfId) {
        const original = await getAppointment(tx, input.followUpOfId).catch(() => {
          throw new AppError('NOT_FOUND', 'the visit to follow up was not found', [
            { path: 'followUpOfId', message: 'no such appointment' },
          ])
        })
        if (!isManager(actor)) {
          requireOwnCrew(actor, original.teamMemberId)
          refuseFields(actor, { price: input.price }, [])
          teamMemberId = original.teamMemberId
        }
      } else if (!isManager(actor)) {
        throw new AppError('FORBIDDEN', 'a crew lead may only book follow-up visits')
      }
      await requireClient(tx, input.clientId)
      const service = await requireBookableService(tx, input.serviceId)
      const warnings: Warning[] = []
      if (teamMemberId) {
        const member = await requireTeamMember(tx, teamMemberId)
        warnings.push(...(await assigneeWarnings(tx, member, service.id)))
      }
      const id = uuidv7()
      const durationMinutes = input.durationMinutes ?? service.durationMinutes
      warnings.push(
        ...(await checkDoubleBooking(
          tx,
          {
            id,
            teamMemberId,
            startMs: Date.parse(input.scheduledAt),
            durationMinutes,
            status: 'scheduled',
          },
          input.acceptConflict,
        )),
      )
      await tx.insert(a).values({
        id,
        clientId: input.clientId,
        serviceId: service.id,
        teamMemberId,
        scheduledAt: input.scheduledAt,
        durationMinutes,
        notes: input.notes,
        price: input.price ?? service.basePrice,
        followUpOfId: input.followUpOfId ?? null,
      })
      return { appointment: await getAppointment(tx, id), warnings }
    })
  },

  'appointments.update': async (ctx, input) => {
    const actor = await requireActor(ctx)
    return ctx.db.db.transaction(async (tx) => {
      const row = await loadForChange(tx, input.id)
      requireOwnCrew(actor, row.teamMemberId)
      refuseFields(actor, input, ['id', 'notes'])
      return applyChange(tx, row, input)
    })
  },

  'appointments.reschedule': async (ctx, input) => {
    await requireActor(ctx, 'appointments.write')
    return ctx.db.db.transaction(async (tx) =>
      applyChange(tx, await loadForChange(tx, input.id), input),
    )
  },

  'appointments.setStatus': async (ctx, input) => {
    const actor = await requireActor(ctx)
    return ctx.db.db.transaction(async (tx) => {
      const row = await loadForChange(tx, input.id)
      requireOwnCrew(actor, row.teamMemberId)
      const check = checkTransition(row.status as never, input.status, actor.role)
      if (!check.ok) {
        const why = {
          same: `the appointment is already ${input.status.replace('_', ' ')}`,
          final: `a ${row.status} appointment can only be reopened by an office manager`,
          'not-allowed': `an appointment cannot go from ${row.status} to ${input.status}`,
        }[check.reason]
        throw new AppError('CONFLICT', why, [{ path: 'status', message: why }])
      }
      const warnings = check.reopen
        ? await checkDoubleBooking(
            tx,
            { ...row, startMs: Date.parse(row.scheduledAt), status: 'scheduled' },
            true,
          )
        : []
      const now = sql`now()`
      await tx
        .update(a)
        .set({
          status: input.status,
          updatedAt: now,
          ...(input.status === 'in_progress' ? { startedAt: now, completedAt: null } : {}),
          ...(input.status === 'completed'
            ? { completedAt: now, startedAt: row.startedAt ?? now }
            : {}),
          ...(input.status === 'scheduled' ? { startedAt: null, completedAt: null } : {}),
        } as never)
        .where(eq(a.id, row.id))
      return { appointment: await getAppointment(tx, row.id), warnings }
    })
  },

  'appointments.delete': async (ctx, input) => {
    await requireActor(ctx, 'appointments.write')
    return ctx.db.db.transaction(async (tx) => {
      const row = await loadForChange(tx, input.id)
      await tx
        .update(a)
        .set({ deletedAt: sql`now()`, updatedAt: sql`now()` } as never)
        .where(eq(a.id, row.id))
      return { id: row.id }
    })
  },
} satisfies Partial<Handlers>

interface Change {
  clientId?: string | undefined
  serviceId?: string | undefined
  teamMemberId?: string | null | undefined
  scheduledAt?: string | undefined
  durationMinutes?: number | undefined
  notes?: string | undefined
  price?: string | undefined
  acceptConflict: boolean
}

/** Validates and applies an edit or a move of an appointment, in the caller's transaction. */
async function applyChange(tx: Tx, row: Row, input: Change) {
  // A form sends every field: only values that differ count as a move.
  const moves =
    (input.clientId !== undefined && input.clientId !== row.clientId) ||
    (input.serviceId !== undefined && input.serviceId !== row.serviceId) ||
    (input.teamMemberId !== undefined && input.teamMemberId !== row.teamMemberId) ||
    (input.scheduledAt !== undefined &&
      Date.parse(input.scheduledAt) !== Date.parse(row.scheduledAt)) ||
    (input.durationMinutes !== undefined && input.durationMinutes !== row.durationMinutes)
  if (moves && !isEditable(row.status as never)) {
    throw new AppError(
      'CONFLICT',
      `a ${row.status} appointment must be reopened before it is moved`,
    )
  }
  if (input.clientId !== undefined && input.clientId !== row.clientId) {
    await requireClient(tx, input.clientId)
  }
  const serviceId = input.serviceId ?? row.serviceId
  if (input.serviceId !== undefined && input.serviceId !== row.serviceId) {
    await requireBookableService(tx, input.serviceId)
  }
  const teamMemberId = input.teamMemberId === undefined ? row.teamMemberId : input.teamMemberId
  const warnings: Warning[] = []
  if (teamMemberId && (teamMemberId !== row.teamMemberId || serviceId !== row.serviceId)) {
    const member = await requireTeamMember(tx, teamMemberId)
    warnings.push(...(await assigneeWarnings(tx, member, serviceId)))
  }
  const scheduledAt = input.scheduledAt ?? row.scheduledAt
  const durationMinutes = input.durationMinutes ?? row.durationMinutes
  if (moves) {
    warnings.push(
      ...(await checkDoubleBooking(
        tx,
        {
          id: row.id,
          teamMemberId,
          startMs: Date.parse(scheduledAt),
          durationMinutes,
          status: row.status,
        },
        input.acceptConflict,
      )),
    )
  }
  await tx
    .update(a)
    .set({
      clientId: input.clientId ?? row.clientId,
      serviceId,
      teamMemberId,
      scheduledAt,
      durationMinutes,
      notes: input.notes ?? row.notes,
      price: input.price ?? row.price,
      updatedAt: sql`now()`,
    } as never)
    .where(eq(a.id, row.id))
  return { appointment: await getAppointment(tx, row.id), warnings }
}
