import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm'
import { MAX_CALENDAR_EVENTS } from '../../../../shared/contract/appointments'
import type { Warning } from '../../../../shared/contract/common'
import { uuidv7 } from '../../../../shared/domain/ids'
import {
  changedFields,
  checkJobWrite,
  type JobWrite,
  PLACING_FIELDS,
} from '../../../../shared/domain/job-rules'
import { isManager } from '../../../../shared/domain/permissions'
import { FINAL_STATUSES } from '../../../../shared/domain/status'
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
import { iso } from './rows'
import type { Handlers } from './types'
import { upcomingAtRisk } from './weather'

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

/** The job as the shared rules name it: by column, instants as ISO strings. */
function jobValues(row: Row): Record<string, unknown> {
  return {
    client_id: row.clientId,
    service_id: row.serviceId,
    team_member_id: row.teamMemberId,
    scheduled_at: iso(row.scheduledAt),
    duration_minutes: row.durationMinutes,
    status: row.status,
    notes: row.notes,
    location: row.location,
    price: row.price,
    follow_up_of_id: row.followUpOfId,
    started_at: row.startedAt && iso(row.startedAt),
    completed_at: row.completedAt && iso(row.completedAt),
    deleted_at: row.deletedAt && iso(row.deletedAt),
  }
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

/** Applies the shared job rules (the server applies the same to what this laptop pushes). */
function enforce(actor: Actor, write: Omit<JobWrite, 'writer' | 'atMs'> & { atMs?: number }) {
  const refusal = checkJobWrite({
    writer: { role: actor.role, teamMemberId: actor.crew },
    atMs: Date.now(),
    ...write,
  })
  if (refusal) {
    throw new AppError(
      refusal.code,
      refusal.reason,
      refusal.field ? [{ path: camel(refusal.field), message: refusal.reason }] : undefined,
    )
  }
}

/**
 * The moment of a write as the server will judge it: the laptop's clock (which never
 * runs behind a version it has seen), or the wall clock when that is later. The outbox
 * stamps the write from the same clock, so a start time taken here is the moment the
 * server reads from the write's stamp.
 */
async function writeMoment(tx: Tx): Promise<number> {
  const { rows } = await tx.execute<{ ms: string | null }>(
    sql`SELECT substr(last, 1, 15) AS ms FROM sync_clock WHERE id = 1 AND last <> ''`,
  )
  return Math.max(Date.now(), Number(rows[0]?.ms ?? 0))
}

/** The columns a change writes, leaving out what it does not mention. */
const columns = (values: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined))

export const appointmentHandlers = {
  'appointments.list': async (ctx, input) =>
    listAppointments(
      ctx.db.db,
      ctx.names,
      input.atRisk ? { ...input, ids: await upcomingAtRisk(ctx.db.pg, ctx.weather.now()) } : input,
    ),

  'appointments.get': (ctx, input) => getAppointment(ctx.db.db, input.id),

  'calendar.range': (ctx, input) =>
    appointmentsInRange(ctx.db.db, ctx.names, input, MAX_CALENDAR_EVENTS),

  'appointments.create': async (ctx, input) => {
    const actor = await requireActor(ctx)
    return ctx.db.db.transaction(async (tx) => {
      let teamMemberId = input.teamMemberId ?? null
      let location = input.location
      let original: Row | null = null
      if (input.followUpOfId) {
        ;[original = null] = await tx
          .select()
          .from(a)
          .where(and(eq(a.id, input.followUpOfId), isNull(a.deletedAt)))
        if (!original) {
          throw new AppError('NOT_FOUND', 'the visit to follow up was not found', [
            { path: 'followUpOfId', message: 'no such appointment' },
          ])
        }
        // A crew lead's follow-up stays with the crew, and at the place, of the visit it
        // follows: those are its own when not given; given otherwise, the rule refuses them.
        if (!isManager(actor.role)) {
          if (input.teamMemberId === null) teamMemberId = original.teamMemberId
          if (input.location === null) location = original.location
        }
      }
      await requireClient(tx, input.clientId)
      const service = await requireBookableService(tx, input.serviceId)
      const id = uuidv7()
      const durationMinutes = input.durationMinutes ?? service.durationMinutes
      const price = input.price ?? service.basePrice
      enforce(actor, {
        before: null,
        fields: {
          client_id: input.clientId,
          service_id: service.id,
          team_member_id: teamMemberId,
          scheduled_at: input.scheduledAt,
          duration_minutes: durationMinutes,
          status: 'scheduled',
          notes: input.notes,
          location,
          price,
          follow_up_of_id: input.followUpOfId ?? null,
        },
        original: original && jobValues(original),
        service: { basePrice: service.basePrice, active: service.isActive },
      })
      const warnings: Warning[] = []
      if (teamMemberId) {
        const member = await requireTeamMember(tx, teamMemberId)
        warnings.push(
          ...(await assigneeWarnings(
            tx,
            member,
            service.id,
            Date.parse(input.scheduledAt),
            durationMinutes,
          )),
        )
      }
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
        location,
        price,
        followUpOfId: input.followUpOfId ?? null,
      })
      return { appointment: await getAppointment(tx, id), warnings }
    })
  },

  'appointments.update': async (ctx, input) => {
    const actor = await requireActor(ctx)
    return ctx.db.db.transaction(async (tx) => {
      const { appointment, warnings } = await applyChange(
        tx,
        actor,
        await loadForChange(tx, input.id),
        input,
      )
      return { appointment, warnings }
    })
  },

  'appointments.reschedule': async (ctx, input) => {
    const actor = await requireActor(ctx, 'appointments.write')
    return ctx.db.db.transaction(async (tx) =>
      applyChange(tx, actor, await loadForChange(tx, input.id), input),
    )
  },

  'appointments.setStatus': async (ctx, input) => {
    // The Undo's exception flag is the office's to give back, as restoring a deletion is.
    const actor = await requireActor(ctx, undoRights(input))
    return ctx.db.db.transaction(async (tx) => {
      const row = await loadForChange(tx, input.id)
      const atMs = await writeMoment(tx)
      const now = new Date(atMs).toISOString()
      const stamps = {
        // Taking back a completion (its Undo) keeps the time the job was started.
        in_progress:
          row.status === 'completed'
            ? { completed_at: null }
            : { started_at: now, completed_at: null },
        completed: { completed_at: now, started_at: row.startedAt ? iso(row.startedAt) : now },
        scheduled: { started_at: null, completed_at: null },
        cancelled: {},
      }[input.status]
      enforce(actor, { before: jobValues(row), fields: { status: input.status, ...stamps }, atMs })
      // A cancelled job put back takes its time again: refused when someone else has it
      // now, unless kept as a double booking. A completed one reopened held it all along.
      const warnings = FINAL_STATUSES.includes(row.status as never)
        ? await checkDoubleBooking(
            tx,
            { ...row, startMs: Date.parse(row.scheduledAt), status: 'scheduled' },
            row.status !== 'cancelled' || input.status === 'cancelled' || input.acceptConflict,
          )
        : []
      await tx
        .update(a)
        .set({
          status: input.status,
          // A cancelled visit of a series is the person's choice: the series leaves it be.
          // The Undo of a cancel puts back whether it was before.
          ...seriesFlag(row, input.status === 'cancelled', input.seriesException),
          updatedAt: sql`now()`,
          ...('started_at' in stamps ? { startedAt: stamps.started_at } : {}),
          ...('completed_at' in stamps ? { completedAt: stamps.completed_at } : {}),
        } as never)
        .where(eq(a.id, row.id))
      return {
        appointment: await getAppointment(tx, row.id),
        warnings,
        seriesExceptionBefore: row.seriesException,
      }
    })
  },

  'appointments.moveMany': async (ctx, input) => {
    const actor = await requireActor(ctx, 'appointments.write')
    // All or none: a double booking found at any move rolls every move back.
    return ctx.db.db.transaction(async (tx) => {
      for (const move of input.moves)
        await applyChange(tx, actor, await loadForChange(tx, move.id), {
          scheduledAt: move.scheduledAt,
          teamMemberId: move.teamMemberId,
          acceptConflict: false,
        })
      return { moved: input.moves.length }
    })
  },

  'appointments.delete': async (ctx, input) => {
    // A crew lead may too, for a follow-up of their crew still only booked (job-rules.ts).
    const actor = await requireActor(ctx, 'appointments.ownCrew')
    return ctx.db.db.transaction(async (tx) => {
      const row = await loadForChange(tx, input.id)
      enforce(actor, { before: jobValues(row), fields: { deleted_at: new Date().toISOString() } })
      await tx
        .update(a)
        .set({
          deletedAt: sql`now()`,
          updatedAt: sql`now()`,
          // Deleted by a person: the series never books that day again.
          ...(row.seriesId ? { seriesException: true } : {}),
        } as never)
        .where(eq(a.id, row.id))
      return { id: row.id, seriesException: row.seriesException }
    })
  },
  'appointments.restore': async (ctx, input) => {
    await requireActor(ctx, 'appointments.write')
    return ctx.db.db.transaction(async (tx) => {
      const [row] = await tx.select().from(a).where(eq(a.id, input.id)).for('update')
      if (!row) throw new AppError('NOT_FOUND', 'appointment not found')
      // Only a deleted row changes, so a second Undo writes (and syncs) nothing.
      if (row.deletedAt === null) return { id: row.id }
      // Its time may have been given to another job since it was deleted.
      await checkDoubleBooking(
        tx,
        {
          id: row.id,
          teamMemberId: row.teamMemberId,
          startMs: Date.parse(row.scheduledAt),
          durationMinutes: row.durationMinutes,
          status: row.status,
        },
        input.acceptConflict,
      )
      await tx
        .update(a)
        // Brought back by a person: a visit of a series is theirs from now on, an exception,
        // unless this is the Undo of a delete, which puts back what the visit was.
        .set({
          deletedAt: null,
          updatedAt: sql`now()`,
          ...(row.seriesId ? { seriesException: input.seriesException ?? true } : {}),
        } as never)
        .where(and(eq(a.id, row.id), isNotNull(a.deletedAt)))
      return { id: row.id }
    })
  },
} satisfies Partial<Handlers>

/** What passing `seriesException` needs: office rights; nothing more without it. */
const undoRights = (input: { seriesException?: boolean | undefined }) =>
  input.seriesException === undefined ? undefined : ('appointments.write' as const)

/**
 * The exception flag a change of a series visit writes: the one an Undo hands back (what
 * the visit was before the change it takes back), else an exception when the person's
 * change `makesException`, else none (unchanged). Outside a series, never any.
 */
function seriesFlag(row: Row, makesException: boolean, undo: boolean | undefined) {
  if (!row.seriesId) return {}
  if (undo !== undefined) return { seriesException: undo }
  return makesException ? { seriesException: true } : {}
}

interface Change {
  clientId?: string | undefined
  serviceId?: string | undefined
  teamMemberId?: string | null | undefined
  scheduledAt?: string | undefined
  durationMinutes?: number | undefined
  notes?: string | undefined
  /** null: at the client's address; undefined: unchanged. */
  location?: string | null | undefined
  price?: string | undefined
  acceptConflict: boolean
  /** The Undo of a move: the visit's exception flag as it was before the move. */
  seriesException?: boolean | undefined
}

/** Validates and applies an edit or a move of an appointment, in the caller's transaction. */
async function applyChange(tx: Tx, actor: Actor, row: Row, input: Change) {
  const before = jobValues(row)
  const fields = columns({
    client_id: input.clientId,
    service_id: input.serviceId,
    team_member_id: input.teamMemberId,
    scheduled_at: input.scheduledAt,
    duration_minutes: input.durationMinutes,
    notes: input.notes,
    location: input.location,
    price: input.price,
  })
  enforce(actor, { before, fields })
  // A form sends every field: only values that differ count as a move.
  const moves = changedFields(before, fields).some((f) => PLACING_FIELDS.includes(f))
  if (input.clientId !== undefined && input.clientId !== row.clientId) {
    await requireClient(tx, input.clientId)
  }
  const serviceId = input.serviceId ?? row.serviceId
  if (input.serviceId !== undefined && input.serviceId !== row.serviceId) {
    await requireBookableService(tx, input.serviceId)
  }
  const teamMemberId = input.teamMemberId === undefined ? row.teamMemberId : input.teamMemberId
  const warnings: Warning[] = []
  const scheduledAt = input.scheduledAt ?? row.scheduledAt
  if (teamMemberId && (teamMemberId !== row.teamMemberId || serviceId !== row.serviceId || moves)) {
    // A job kept with a member since archived may still be moved: it says whose it is.
    const kept = teamMemberId === row.teamMemberId
    const member = await requireTeamMember(tx, teamMemberId, { archived: kept })
    const minutes = input.durationMinutes ?? row.durationMinutes
    if (member.deletedAt)
      warnings.push({
        code: 'UNAVAILABLE',
        message: `${member.name} is no longer on the crew (archived): give the job to someone`,
      })
    else
      warnings.push(
        ...(await assigneeWarnings(tx, member, serviceId, Date.parse(scheduledAt), minutes)),
      )
  }
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
      location: input.location === undefined ? row.location : input.location,
      price: input.price ?? row.price,
      // A visit of a series edited or moved on its own is an exception: series edits leave
      // it be. The Undo of a move puts back whether it was before.
      ...seriesFlag(row, changedFields(before, fields).length > 0, input.seriesException),
      updatedAt: sql`now()`,
    } as never)
    .where(eq(a.id, row.id))
  return {
    appointment: await getAppointment(tx, row.id),
    warnings,
    seriesExceptionBefore: row.seriesException,
  }
}
