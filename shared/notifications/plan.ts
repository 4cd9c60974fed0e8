import { v5 as uuidv5 } from 'uuid'
import type { AppointmentStatus } from '../domain/enums'
import { shiftDays } from '../domain/time'
import { atRisk } from '../weather/assess'
import {
  CHANNELS,
  type Channel,
  isPending,
  type NotificationKind,
  type NotificationStatus,
} from './kinds'
import { type ClientContact, isReachReason, reach } from './preferences'
import { VISIT_SKIP_REASONS, VISIT_SKIPS } from './skips'
import { holdToSendingHours, type SendingWindow } from './timing'

/**
 * What a visit's client should be told, worked out from the visit as it stands and the
 * messages already in the send log: the same pure function on the central worker and on
 * a laptop without a server (which has no events, only rows changed). It is state-based,
 * so running it twice, or for an event delivered twice, plans nothing more; and each
 * message's id is made from what it is about (visit, kind, channel and, for a reminder or
 * a change, the visit's time; for a notice of a change, how many of its kind went before),
 * so two machines planning the same message give it the same id and the log keeps one.
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
  /** The client it was to (the visit's client then): a visit may be given to another. */
  clientId?: string
  kind: NotificationKind
  channel: Channel
  visitAtMs: number | null
  status: NotificationStatus
  /** When it is due (a reminder waiting for its time moves when the lead time changes). */
  dueAtMs?: number
  /** Why it was skipped: only a message its visit's change left behind comes back. */
  reason?: string | null
  /** When it was sent: what the client heard last. Without it, the log's order decides. */
  sentAtMs?: number | null
}

export interface PlanInput {
  nowMs: number
  /** The visit was just booked (its creation event): it gets a confirmation. */
  isNew: boolean
  visit: Visit
  client: ClientContact
  /** The visit's messages in the order they were made. */
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
  /** Null for a message no channel reaches the client by (`skipped`). */
  recipient: string | null
  visitAtMs: number
  /** For a change of time: the time the client was last told. */
  previousVisitAtMs: number | null
  dueAtMs: number
  status: 'scheduled' | 'queued' | 'skipped'
  /** A weather notice's forecast, in words. */
  detail: string | null
  /** Why a message is logged `skipped`: every channel the client might be told by is shut. */
  reason?: string
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
  /**
   * Reminders never sent, skipped only because their visit changed, whose visit is back
   * at their time: waiting again (attempts and reason cleared), due at `dueAtMs`.
   */
  revive: { id: string; dueAtMs: number; status: 'scheduled' | 'queued' }[]
}

const NAMESPACE = '6f1f3a52-4c8e-4f5e-9a36-0d6b8f3e2c41'

/**
 * `revision` (see `revisionOf`) 0 gives the ids made before there were revisions;
 * `clientId`, given only for a client the visit was given to after its first messages
 * (`recipientOf`), keeps theirs apart from those to the client it had.
 */
export function messageId(
  appointmentId: string,
  kind: NotificationKind,
  channel: Channel,
  visitAtMs: number | null,
  revision = 0,
  clientId?: string,
): string {
  const at = visitAtMs === null ? '' : new Date(visitAtMs).toISOString()
  const rev = revision > 0 ? `|${revision}` : ''
  const to = clientId ? `|to ${clientId}` : ''
  return uuidv5(`${appointmentId}|${kind}|${channel}|${at}${rev}${to}`, NAMESPACE)
}

const TOLD: readonly NotificationKind[] = ['confirmation', 'reminder', 'rescheduled']

const skippedForVisit = (m: LoggedMessage) =>
  m.status === 'skipped' && VISIT_SKIP_REASONS.includes(m.reason ?? '')

/**
 * What the client last heard of the visit on a channel: 'off' (a cancellation), the time
 * it is on, or null (nothing yet). Messages sent, the last sent last.
 */
function lastHeard(existing: readonly LoggedMessage[], channel: Channel): 'off' | number | null {
  const heard = existing
    .map((m, i) => ({ m, i, at: m.sentAtMs ?? Number.NEGATIVE_INFINITY }))
    .filter(
      ({ m }) =>
        m.channel === channel &&
        m.status === 'sent' &&
        (m.kind === 'cancelled' || (TOLD.includes(m.kind) && m.visitAtMs !== null)),
    )
    .sort((a, b) => (a.at === b.at ? a.i - b.i : a.at - b.at))
  const last = heard.at(-1)?.m
  return !last ? null : last.kind === 'cancelled' ? 'off' : last.visitAtMs
}

/**
 * The revision of the next notice of a kind on a channel: how many went before it, sent
 * or left behind by a change of the visit. Pending ones do not count, so the revision
 * holds until the notice planned with it is settled; a second real change (a second
 * cancellation, a move back to a time told before) then gets a new id, and an event
 * delivered again finds the one it planned. Not an event's id: a laptop plans from the
 * rows changed, with no events, and one cancellation raises two events.
 */
const revisionOf = (existing: readonly LoggedMessage[], kind: NotificationKind, channel: Channel) =>
  existing.filter(
    (m) => m.kind === kind && m.channel === channel && (m.status === 'sent' || skippedForVisit(m)),
  ).length

/**
 * When a visit's reminder is due: the lead time before it, whole days of it counted on the
 * business's calendar ("a day before" a 10:00 visit is 10:00 the day before, even across a
 * change of daylight saving time), the rest in minutes.
 */
export function reminderTime(visitAtMs: number, leadMinutes: number, timeZone: string): number {
  const days = Math.floor(leadMinutes / 1440)
  return shiftDays(visitAtMs, -days, timeZone) - (leadMinutes - days * 1440) * 60_000
}

export function planMessages(input: PlanInput): Plan {
  const { visit } = input
  // A visit given to another client (booked for the wrong one, say): the messages to the
  // client it had are theirs; this client has heard nothing yet. Ids of a client other
  // than the first one written to name the client, so each is told once.
  const firstTo = input.existing.find((m) => m.clientId)?.clientId
  const theirs = (m: LoggedMessage) => m.clientId !== undefined && m.clientId !== visit.clientId
  const others = input.existing.filter(theirs)
  const p = { ...input, existing: input.existing.filter((m) => !theirs(m)) }
  const to = firstTo && firstTo !== visit.clientId ? visit.clientId : undefined
  const { nowMs } = p
  const create: NewMessage[] = []
  const drop: Plan['drop'] = []
  const move: Plan['move'] = []
  const revive: Plan['revive'] = []
  const live = !visit.deleted && visit.status === 'scheduled'
  const ahead = visit.scheduledAtMs > nowMs
  const add = (
    kind: NotificationKind,
    channel: Channel,
    dueMs: number,
    keyAt: number | null,
    more: { detail?: string | null; revision?: number; previousAtMs?: number | null } = {},
  ) => {
    const r = reach(p.client, kind, channel)
    let unreachable: string | null = null
    if (!r.ok) {
      // A channel the client is not told by is simply not used. When none is left, the
      // message is logged as skipped, once (on the first channel), saying why: the office
      // sees the client was not told, and can retry it once an address is added.
      if (channel !== CHANNELS[0]) return
      const others = CHANNELS.slice(1).map((c) => reach(p.client, kind, c))
      if (others.some((o) => o.ok)) return
      unreachable = [...new Set([r, ...others].map((o) => (o.ok ? '' : o.reason)))].join('; ')
    }
    const id = messageId(visit.id, kind, channel, keyAt, more.revision, to)
    const dueAtMs = holdToSendingHours(dueMs, nowMs, visit.scheduledAtMs, p.window)
    const status = dueAtMs <= nowMs ? 'queued' : 'scheduled'
    const logged = p.existing.find((m) => m.id === id)
    if (logged) {
      if (kind !== 'reminder' || unreachable !== null) return
      // Never sent, left behind by the visit, which is back at its time; or skipped for
      // want of a way to reach the client, who can be reached now.
      if (skippedForVisit(logged) || (logged.status === 'skipped' && isReachReason(logged.reason)))
        revive.push({ id, dueAtMs, status })
      else if (
        logged.status === 'scheduled' &&
        logged.dueAtMs !== undefined &&
        logged.dueAtMs !== dueAtMs
      )
        move.push({ id, dueAtMs })
      return
    }
    create.push({
      id,
      kind,
      channel,
      appointmentId: visit.id,
      clientId: visit.clientId,
      visitAtMs: visit.scheduledAtMs,
      previousVisitAtMs: more.previousAtMs ?? null,
      dueAtMs,
      detail: more.detail ?? null,
      ...(unreachable === null
        ? { recipient: r.ok ? r.recipient : null, status }
        : { recipient: null, status: 'skipped' as const, reason: unreachable }),
    })
  }

  const why = visit.deleted
    ? VISIT_SKIPS.deleted
    : visit.status === 'cancelled'
      ? VISIT_SKIPS.cancelled
      : visit.status === 'completed'
        ? VISIT_SKIPS.done
        : visit.status === 'in_progress'
          ? VISIT_SKIPS.started
          : null
  for (const m of others)
    if (isPending(m.status) && m.status !== 'processing')
      drop.push({ id: m.id, reason: VISIT_SKIPS.otherClient })
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
    const heard = lastHeard(p.existing, channel)
    /** A notice of how the visit stands now, unless one is on its way already. */
    const notice = (kind: NotificationKind, previousAtMs: number | null = null) => {
      const keyAt = kind === 'rescheduled' ? visit.scheduledAtMs : null
      const onItsWay = p.existing.some(
        (m) =>
          m.kind === kind &&
          m.channel === channel &&
          isPending(m.status) &&
          (keyAt === null || m.visitAtMs === keyAt),
      )
      if (onItsWay) return
      add(kind, channel, nowMs, keyAt, {
        revision: revisionOf(p.existing, kind, channel),
        previousAtMs,
      })
    }
    if (!live) {
      // A client told of a visit still ahead is told it is off, once each time it goes off.
      if ((visit.deleted || visit.status === 'cancelled') && ahead && typeof heard === 'number')
        notice('cancelled')
      continue
    }
    if (!ahead) continue
    // Back on after the client heard it was off (reopened, restored): it is booked again.
    // Never told yet: a new booking is confirmed, and so is one whose confirmation was
    // left behind (cancelled before it went out) and that is back.
    const unconfirmed =
      heard === null &&
      !visit.laterInSeries &&
      (p.isNew ||
        others.length > 0 ||
        p.existing.some((m) => m.kind === 'confirmation' && m.channel === channel))
    if (heard === 'off' || unconfirmed) notice('confirmation')
    else if (typeof heard === 'number' && heard !== visit.scheduledAtMs)
      notice('rescheduled', heard)
    // One weather notice per visit time, however often its forecast changes.
    if (p.weather && atRisk(p.weather.risk))
      add('weather', channel, nowMs, visit.scheduledAtMs, { detail: p.weather.reason })
    const reminderAt = reminderTime(visit.scheduledAtMs, p.reminderLeadMinutes, p.window.timeZone)
    // Booked inside the lead time: the confirmation is the reminder.
    if (reminderAt > nowMs) add('reminder', channel, reminderAt, visit.scheduledAtMs)
  }
  return { create, drop, move, revive }
}
