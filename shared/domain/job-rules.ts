import { APPOINTMENT_STATUSES, type AppointmentStatus } from './enums'
import { MONEY_PATTERN, toCents } from './money'
import { isManager } from './permissions'
import { checkTransition, FINAL_STATUSES } from './status'

/**
 * What a write to an appointment may do, for every writer: the laptop's handlers call
 * `checkJobWrite` before they write, and the server calls it on every pushed mutation,
 * so a rule enforced on one side is enforced on the other. Rows and writes are named by
 * column (`scheduled_at`), as the sync protocol names them.
 */
export interface Writer {
  role: string
  /** The crew a crew lead leads; null for office staff. */
  teamMemberId: string | null
}

export type Values = Readonly<Record<string, unknown>>

export interface Refusal {
  code: 'FORBIDDEN' | 'CONFLICT' | 'VALIDATION' | 'NOT_FOUND'
  reason: string
  /** The column the refusal is about, when there is one. */
  field?: string
}

export interface JobWrite {
  writer: Writer
  /** The job as it is, or null when the write creates it. */
  before: Values | null
  /** The columns written. A value equal to the stored one is not a change. */
  fields: Values
  /** When the write was made: a start or completion time it sets must be this moment. */
  atMs: number
  /**
   * When each column was written, for a write whose columns carry versions of their own
   * (a laptop sending again what a restored server lacks: a job started at 8:00 and
   * completed at 11:00 goes as one write). `atMs` by default.
   */
  writtenAt?: (field: string) => number
  /**
   * When the job's stored status was written (its version's time), for a write with
   * `writtenAt`: a time it sets may not precede it. A write's own versions are the
   * writer's word; without this a start could be dated before the start already known.
   */
  statusWrittenMs?: number | null
  /**
   * Whether a written column takes effect. On the server a column whose stored version
   * is newer keeps its value (last writer wins per field), so a status the merge drops is
   * not a transition. Every column takes effect by default.
   */
  effective?: (field: string) => boolean
  /**
   * Whether the writer had seen the job's current status when it wrote (on the server:
   * its `base` holds the status's current version). Office staff who had not seen it
   * wrote at the same time as someone else: their change merges field by field, as the
   * office's and the crew's offline changes must both survive, instead of being judged
   * against a status they could not know. A crew lead's rights are checked regardless.
   */
  sawStatus?: boolean
  /**
   * Whether the writer had seen the job's current crew (on the server: its `base` holds
   * the crew's current version). A crew lead who had not was working from a job since
   * given to another crew: still refused, but told so, to tell the office.
   */
  sawCrew?: boolean
  /** A crew lead's new job: the job it follows up (null: none such). */
  original?: Values | null
  /** A crew lead's new job: the service it books (null: none such). */
  service?: { basePrice: string; active: boolean } | null
}

/**
 * The columns of a job its crew's lead may change. A note added to one visit of a series
 * makes that visit an exception (later series edits would otherwise overwrite the note).
 */
export const CREW_LEAD_JOB_FIELDS: readonly string[] = [
  'status',
  'notes',
  'started_at',
  'completed_at',
  'series_exception',
]

/** The columns that place a job in a crew's calendar: a finished job keeps them. */
export const PLACING_FIELDS: readonly string[] = [
  'client_id',
  'service_id',
  'team_member_id',
  'scheduled_at',
  'duration_minutes',
]

/** What a follow-up visit is booked with; the rest may only be empty. */
const FOLLOW_UP_FIELDS: readonly string[] = [
  ...PLACING_FIELDS,
  'status',
  'notes',
  'price',
  'location',
  'follow_up_of_id',
]

/** How far a start or completion time may be from the moment its write was made. */
export const STAMP_TOLERANCE_MS = 5 * 60_000

const STAMPS = ['started_at', 'completed_at'] as const

const refuse = (code: Refusal['code'], reason: string, field?: string): Refusal => ({
  code,
  reason,
  ...(field ? { field } : {}),
})

const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/

const same = (a: unknown, b: unknown) => {
  if (a === b) return true
  if (typeof a === 'string' && typeof b === 'string') {
    // Instants written in different forms (`Z` or `+00:00`) are the same moment.
    const [x, y] = [Date.parse(a), Date.parse(b)]
    return INSTANT.test(a) && INSTANT.test(b) && !Number.isNaN(x) && x === y
  }
  return false
}

const moneyEquals = (a: unknown, b: string) =>
  typeof a === 'string' &&
  MONEY_PATTERN.test(a) &&
  MONEY_PATTERN.test(b) &&
  toCents(a) === toCents(b)

/** The columns a write changes: new jobs change every column they carry. */
export function changedFields(before: Values | null, fields: Values): string[] {
  return Object.keys(fields).filter((f) => !before || !same(before[f], fields[f]))
}

export function checkJobWrite(w: JobWrite): Refusal | null {
  return w.before ? checkChange(w, w.before) : checkNew(w)
}

/** What a new job must carry, whoever books it: a row without them cannot be stored. */
const REQUIRED_NEW: readonly string[] = [
  'client_id',
  'service_id',
  'scheduled_at',
  'duration_minutes',
  'status',
  'price',
]

/** A new job: office staff book anything; a crew lead only a follow-up of their own crew's job. */
function checkNew(w: JobWrite): Refusal | null {
  const f = w.fields
  const missing = REQUIRED_NEW.find((k) => f[k] === undefined || f[k] === null)
  if (missing) {
    return refuse(
      'VALIDATION',
      'a new appointment needs its client, service, time, length, status and price',
      missing,
    )
  }
  // A crew lead's follow-up starts as scheduled, without times: its own rules say so.
  if (isManager(w.writer.role)) return newStamps(f)
  if (typeof f.follow_up_of_id !== 'string') {
    return refuse('FORBIDDEN', 'a crew lead may only book follow-up visits')
  }
  // Empty: no value, or a flag left off (a new row carries its columns' defaults).
  const extra = Object.keys(f).find(
    (k) => !FOLLOW_UP_FIELDS.includes(k) && f[k] !== null && f[k] !== undefined && f[k] !== false,
  )
  if (extra) return refuse('FORBIDDEN', 'a follow-up visit is booked without this', extra)
  const original = w.original
  if (!original || original.deleted_at) {
    return refuse('NOT_FOUND', 'the visit to follow up was not found', 'follow_up_of_id')
  }
  const crew = w.writer.teamMemberId
  if (!crew || original.team_member_id !== crew) {
    return refuse(
      'FORBIDDEN',
      'a crew lead may only add follow-ups to the jobs of their own crew',
      'follow_up_of_id',
    )
  }
  if (f.team_member_id !== crew) {
    return refuse(
      'FORBIDDEN',
      'a follow-up is for the crew of the visit it follows',
      'team_member_id',
    )
  }
  if (f.client_id !== original.client_id) {
    return refuse('FORBIDDEN', 'a follow-up is for the client of the visit it follows', 'client_id')
  }
  if ((f.location ?? null) !== (original.location ?? null)) {
    return refuse('FORBIDDEN', 'a follow-up is at the place of the visit it follows', 'location')
  }
  if (f.status !== 'scheduled') {
    return refuse('FORBIDDEN', 'a follow-up visit starts as scheduled', 'status')
  }
  // Booked ahead of the moment it was booked (a write sent again later keeps its moment).
  const bookedAt = w.writtenAt?.('scheduled_at') ?? w.atMs
  if (Date.parse(String(f.scheduled_at)) < bookedAt - STAMP_TOLERANCE_MS) {
    return refuse(
      'VALIDATION',
      'a follow-up visit is booked ahead: choose a later time',
      'scheduled_at',
    )
  }
  if (!w.service) return refuse('NOT_FOUND', 'the service was not found', 'service_id')
  if (!w.service.active) {
    return refuse('CONFLICT', 'this service is archived and cannot be booked', 'service_id')
  }
  if (!moneyEquals(f.price, w.service.basePrice)) {
    return refuse(
      'FORBIDDEN',
      "a crew lead may not set a price: a follow-up costs the service's base price",
      'price',
    )
  }
  return null
}

/**
 * A new job's times agree with its status, as the status changes would have left them: a
 * job arriving in progress or done (a laptop joining with its history) carries the times
 * it was started or completed; one scheduled carries neither.
 */
function newStamps(f: Values): Refusal | null {
  const at = (k: string) => (typeof f[k] === 'string' ? Date.parse(f[k] as string) : null)
  for (const k of STAMPS) {
    if (f[k] != null && Number.isNaN(at(k))) return refuse('VALIDATION', 'this is not a time', k)
  }
  const [started, completed] = [at('started_at'), at('completed_at')]
  const status = f.status as AppointmentStatus
  if (status === 'in_progress' && started === null)
    return refuse('VALIDATION', 'a job in progress needs the time it was started', 'started_at')
  if (status === 'completed' && completed === null)
    return refuse('VALIDATION', 'a completed job needs the time it was completed', 'completed_at')
  if (status === 'scheduled' && started !== null)
    return refuse('VALIDATION', 'a scheduled job has not been started', 'started_at')
  if (status !== 'completed' && completed !== null)
    return refuse('VALIDATION', 'only a completed job has a completion time', 'completed_at')
  if (started !== null && completed !== null && completed < started)
    return refuse('VALIDATION', 'a job is completed after it was started', 'completed_at')
  return null
}

/**
 * A crew lead takes back a follow-up visit of their crew (the Undo of booking one): what
 * they may book, they may delete while it is still only booked. Deleting alone, nothing
 * else written with it; a visit started or done, or any other job, stays the office's.
 */
function withdrawsFollowUp(before: Values, fields: Values, changed: readonly string[]): boolean {
  return (
    changed.length === 1 &&
    changed[0] === 'deleted_at' &&
    typeof fields.deleted_at === 'string' &&
    before.deleted_at == null &&
    typeof before.follow_up_of_id === 'string' &&
    before.status === 'scheduled'
  )
}

function checkChange(w: JobWrite, before: Values): Refusal | null {
  const changed = changedFields(before, w.fields)
  if (!changed.length) return null
  const effective = w.effective ?? (() => true)
  if (!isManager(w.writer.role)) {
    const crew = w.writer.teamMemberId
    if (!crew || before.team_member_id !== crew) {
      return refuse(
        'FORBIDDEN',
        w.sawCrew === false
          ? 'the office gave this job to another crew before this laptop heard of it: tell the office what was done'
          : 'a crew lead may only change the jobs of their own crew',
      )
    }
    const extra = changed.find((f) => !CREW_LEAD_JOB_FIELDS.includes(f))
    if (extra && !withdrawsFollowUp(before, w.fields, changed)) {
      return refuse('FORBIDDEN', 'a crew lead may change only the status and notes of a job', extra)
    }
  }
  const from = before.status as AppointmentStatus
  const saw = w.sawStatus !== false || !isManager(w.writer.role)
  const statusChanges = changed.includes('status') && effective('status')
  const to = (statusChanges ? w.fields.status : from) as AppointmentStatus
  // A stored row without a known status (never completely written) has no transition.
  if (statusChanges && saw && APPOINTMENT_STATUSES.includes(from)) {
    const check = checkTransition(from, to, w.writer.role, {
      startedAt: before.started_at as string | null | undefined,
      completedAt: before.completed_at as string | null | undefined,
      atMs: w.atMs,
    })
    if (!check.ok) {
      const why = {
        same: `the appointment is already ${label(to)}`,
        final: `a ${label(from)} appointment can only be reopened by an office manager`,
        'not-allowed': `an appointment cannot go from ${label(from)} to ${label(to)}`,
      }[check.reason]
      return refuse('CONFLICT', why, 'status')
    }
  }
  // Stamping a job again in the status it is already in is refused, unless the writer
  // had not seen that status: two laptops completing one job offline both stand, and
  // the stamps merge like any field.
  const restated = w.fields.status !== undefined && !changed.includes('status') && saw
  if (restated && changed.some((f) => STAMPS.includes(f as (typeof STAMPS)[number]))) {
    return refuse('CONFLICT', `the appointment is already ${label(from)}`, 'status')
  }
  const stamps = checkStamps(w, changed, saw)
  if (stamps) return stamps
  // A status that takes effect comes with its time: the app writes them together, and a
  // writer that does not is refused rather than leave a completion without its time.
  if (statusChanges) {
    const after = (f: string) => (Object.hasOwn(w.fields, f) ? w.fields[f] : before[f])
    if (to === 'in_progress' && !after('started_at'))
      return refuse('VALIDATION', 'a job in progress needs the time it was started', 'started_at')
    if (to === 'completed' && !after('completed_at'))
      return refuse('VALIDATION', 'a completed job needs the time it was completed', 'completed_at')
  }
  const moved = changed.find((f) => PLACING_FIELDS.includes(f) && effective(f))
  if (moved && saw && FINAL_STATUSES.includes(to)) {
    return refuse(
      'CONFLICT',
      `a ${label(to)} appointment must be reopened before it is moved`,
      moved,
    )
  }
  return null
}

/**
 * Start and completion times are set by status changes, to the moment of the change:
 * never written on their own, never to another time. Going back to scheduled clears
 * both; starting clears the completion time.
 */
function checkStamps(w: JobWrite, changed: string[], saw: boolean): Refusal | null {
  // Only a status that changes sets times: the same status written again sets nothing
  // (unless the writer had not seen it: for them the status changed).
  const status = (changed.includes('status') || !saw ? w.fields.status : undefined) as
    | AppointmentStatus
    | undefined
  const effective = w.effective ?? (() => true)
  const statusTakes = changed.includes('status') && effective('status')
  for (const field of STAMPS) {
    // A time whose stored version is newer is kept as stored: the write changes nothing,
    // unless its status takes effect (a completion is never stored without its time).
    if (!changed.includes(field) || (!effective(field) && !statusTakes)) continue
    const value = w.fields[field]
    const clears = status === 'scheduled' || (status === 'in_progress' && field === 'completed_at')
    const sets = status === 'completed' || (status === 'in_progress' && field === 'started_at')
    if (value === null ? !clears : !sets) {
      return refuse(
        'FORBIDDEN',
        'start and completion times are set only by starting or completing the job',
        field,
      )
    }
    if (value !== null) {
      const at = typeof value === 'string' ? Date.parse(value) : Number.NaN
      const moment = w.writtenAt?.(field) ?? w.atMs
      if (Number.isNaN(at) || Math.abs(at - moment) > STAMP_TOLERANCE_MS) {
        return refuse(
          'FORBIDDEN',
          'a start or completion time must be the moment of the change',
          field,
        )
      }
      if (w.writtenAt && w.statusWrittenMs != null && moment < w.statusWrittenMs) {
        return refuse(
          'FORBIDDEN',
          "a start or completion time may not precede the job's last change of status",
          field,
        )
      }
    }
  }
  return null
}

const label = (status: string) => status.replace('_', ' ')
