import { v5 as uuidv5 } from 'uuid'
import type { AppointmentStatus } from '../domain/enums'
import { atRisk } from '../weather/assess'
import {
  CHANNELS,
  type Channel,
  isPending,
  type NotificationKind,
  type NotificationStatus,
} from './kinds'
import { type ClientContact, reach } from './preferences'
import { holdToSendingHours, type SendingWindow } from './timing'

/**
 * What a visit's client should be told, worked out from the visit as it stands and the
 * messages already in the send log: the same pure function on the central worker and on
 * a laptop without a server. It is state-based, so running it twice, or for an event
 * delivered twice, plans nothing more; and each message's id is made from what it is
 * about (visit, kind, channel and, for a reminder or a change, the visit's time), so two
 * machines planning the same message give it the same id and the log keeps one.
 */
export interface Visit {
  id: string
  clientId: string
  scheduledAtMs: number
  status: AppointmentStatus
  deleted: boolean
  /**
   * A visit of a recurring series after its first one: the client was confirmed the
   * series with its first visit, so this one gets its reminder but no confirmation of
   * its own (a season of weekly visits is not 25 confirmations).
   */
  laterInSeries?: boolean
}

export interface LoggedMessage {
  id: string
  kind: NotificationKind
  channel: Channel
  visitAtMs: number | null
  status: NotificationStatus
  /** When it is due (a reminder waiting for its time moves when the lead time changes). */
  dueAtMs?: number
}

export interface PlanInput {
  nowMs: number
  /** The visit was just booked (its creation event): it gets a confirmation. */
  isNew: boolean
  visit: Visit
  client: ClientContact
  existing: readonly LoggedMessage[]
  window: SendingWindow
  reminderLeadMinutes: number
  /** The visit's weather risk changed (a weather alert): a notice when it is at risk. */
  weather?: { risk: 'low' | 'moderate' | 'high' | 'unknown'; reason: string }
}

export interface NewMessage {
  id: string
  kind: NotificationKind
  channel: Channel
  appointmentId: string
  clientId: string
  recipient: string
  visitAtMs: number
  /** For a change of time: the time the client was last told. */
  previousVisitAtMs: number | null
  dueAtMs: number
  status: 'scheduled' | 'queued'
  /** A weather notice's forecast, in words. */
  detail: string | null
}

export interface Plan {
  create: NewMessage[]
  /** Pending messages that no longer make sense, with the reason they are skipped. */
  drop: { id: string; reason: string }[]
  /**
   * Reminders still waiting whose time is now another (the lead time or the sending
   * hours changed since they were planned): their new due time.
   */
  move: { id: string; dueAtMs: number }[]
}

const NAMESPACE = '6f1f3a52-4c8e-4f5e-9a36-0d6b8f3e2c41'

export function messageId(
  appointmentId: string,
  kind: NotificationKind,
  channel: Channel,
  visitAtMs: number | null,
): string {
  const at = visitAtMs === null ? '' : new Date(visitAtMs).toISOString()
  return uuidv5(`${appointmentId}|${kind}|${channel}|${at}`, NAMESPACE)
}

const TOLD: readonly NotificationKind[] = ['confirmation', 'reminder', 'rescheduled']

export function planMessages(p: PlanInput): Plan {
  const { visit, nowMs } = p
  const create: NewMessage[] = []
  const drop: Plan['drop'] = []
  const move: Plan['move'] = []
  const live = !visit.deleted && visit.status === 'scheduled'
  const ahead = visit.scheduledAtMs > nowMs
  const add = (
    kind: NotificationKind,
    channel: Channel,
    dueMs: number,
    keyAt: number | null,
    detail: string | null = null,
  ) => {
    const r = reach(p.client, kind, channel)
    if (!r.ok) return
    const id = messageId(visit.id, kind, channel, keyAt)
    const dueAtMs = holdToSendingHours(dueMs, nowMs, visit.scheduledAtMs, p.window)
    const logged = p.existing.find((m) => m.id === id)
    if (logged) {
      if (
        kind === 'reminder' &&
        logged.status === 'scheduled' &&
        logged.dueAtMs !== undefined &&
        logged.dueAtMs !== dueAtMs
      )
        move.push({ id, dueAtMs })
      return
    }
    const told = p.existing
      .filter((m) => m.channel === channel && m.status === 'sent' && TOLD.includes(m.kind))
      .map((m) => m.visitAtMs)
      .filter((t): t is number => t !== null && t !== visit.scheduledAtMs)
    create.push({
      id,
      kind,
      channel,
      appointmentId: visit.id,
      clientId: visit.clientId,
      recipient: r.recipient,
      visitAtMs: visit.scheduledAtMs,
      previousVisitAtMs: kind === 'rescheduled' ? (told.at(-1) ?? null) : null,
      dueAtMs,
      status: dueAtMs <= nowMs ? 'queued' : 'scheduled',
      detail,
    })
  }

  const why = visit.deleted
    ? 'the visit was deleted'
    : visit.status === 'cancelled'
      ? 'the visit was cancelled'
      : visit.status === 'completed'
        ? 'the visit is done'
        : visit.status === 'in_progress'
          ? 'the visit has started'
          : null
  for (const m of p.existing) {
    if (!isPending(m.status) || m.status === 'processing') continue
    if (m.kind === 'cancelled') continue
    if (why) drop.push({ id: m.id, reason: why })
    else if (m.kind === 'reminder' && m.visitAtMs !== visit.scheduledAtMs)
      drop.push({ id: m.id, reason: VISIT_SKIPS.moved })
    else if (m.kind === 'rescheduled' && m.visitAtMs !== visit.scheduledAtMs)
      drop.push({ id: m.id, reason: VISIT_SKIPS.movedAgain })
    else if (m.kind === 'weather' && m.visitAtMs !== visit.scheduledAtMs)
      drop.push({ id: m.id, reason: VISIT_SKIPS.moved })
    else if (m.kind === 'weather' && p.weather && !atRisk(p.weather.risk))
      drop.push({ id: m.id, reason: VISIT_SKIPS.improved })
  }

  for (const channel of CHANNELS) {
    const sentFor = p.existing.filter(
      (m) => m.channel === channel && m.status === 'sent' && TOLD.includes(m.kind),
    )
    if (!live) {
      // A client told of a visit still ahead is told it is off.
      const wasAhead = visit.scheduledAtMs > nowMs
      if ((visit.deleted || visit.status === 'cancelled') && wasAhead && sentFor.length)
        add('cancelled', channel, nowMs, null)
      continue
    }
    if (!ahead) continue
    if (p.isNew && !visit.laterInSeries) add('confirmation', channel, nowMs, null)
    if (sentFor.some((m) => m.visitAtMs !== null && m.visitAtMs !== visit.scheduledAtMs))
      add('rescheduled', channel, nowMs, visit.scheduledAtMs)
    // One weather notice per visit time, however often its forecast changes.
    if (p.weather && atRisk(p.weather.risk))
      add('weather', channel, nowMs, visit.scheduledAtMs, p.weather.reason)
    const reminderAt = visit.scheduledAtMs - p.reminderLeadMinutes * 60_000
    // Booked inside the lead time: the confirmation is the reminder.
    if (reminderAt > nowMs) add('reminder', channel, reminderAt, visit.scheduledAtMs)
  }
  return { create, drop, move }
}

/** Why a message is no longer to be sent, from what became of its visit. */
const VISIT_SKIPS = {
  gone: 'the visit is no longer there',
  uncancelled: 'the visit is no longer cancelled',
  deleted: 'the visit was deleted',
  cancelled: 'the visit was cancelled',
  done: 'the visit is done',
  passed: 'the visit time passed before it could be sent',
  moved: 'the visit moved',
  movedAgain: 'the visit moved again',
  improved: 'the forecast improved',
} as const
const VISIT_SKIP_REASONS: readonly string[] = Object.values(VISIT_SKIPS)

/**
 * Whether a message may be sent again: a failed or dead one, or one skipped for what can
 * change (an address added, a sender set up); never one its visit left behind (moved,
 * cancelled, done): what the client needs to hear of it was planned anew.
 */
export const mayRetry = (n: { status: string; reason: string | null }): boolean =>
  n.status === 'failed' ||
  n.status === 'dead' ||
  (n.status === 'skipped' && !VISIT_SKIP_REASONS.includes(n.reason ?? ''))

/**
 * Whether a due message still goes out, checked by the sender just before sending
 * (the visit or the client may have changed since it was planned). Null: send it.
 */
export function skipReason(
  m: { kind: NotificationKind; visitAtMs: number | null },
  visit: Visit | null,
  nowMs: number,
): string | null {
  if (!visit) return m.kind === 'weather' ? null : VISIT_SKIPS.gone
  if (m.kind === 'cancelled') {
    return visit.deleted || visit.status === 'cancelled' ? null : VISIT_SKIPS.uncancelled
  }
  if (visit.deleted) return VISIT_SKIPS.deleted
  if (visit.status === 'cancelled') return VISIT_SKIPS.cancelled
  if (visit.status === 'completed') return VISIT_SKIPS.done
  if (visit.scheduledAtMs <= nowMs) return VISIT_SKIPS.passed
  // A reminder, a change notice or a weather notice speaks of the visit's time: gone with it.
  if (m.kind !== 'confirmation' && m.visitAtMs !== visit.scheduledAtMs) return VISIT_SKIPS.moved
  return null
}
