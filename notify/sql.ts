import { BUSINESS_SETTINGS_ID, DEFAULT_SETTINGS } from '../shared/contract/settings'
import { jobLocation } from '../shared/domain/job-location'
import type { NotificationKind } from '../shared/notifications/kinds'
import {
  DEFAULT_REMINDER_LEAD_MINUTES,
  DEFAULT_SENDING_HOURS,
  RETENTION_DAYS,
} from '../shared/notifications/kinds'
import type { LoggedMessage, Visit } from '../shared/notifications/plan'
import type { ClientContact } from '../shared/notifications/preferences'
import { messageValues, pickTemplate, type SavedTemplate } from '../shared/notifications/values'
import type { NotificationRow, SendContext } from './engine'

/**
 * The send log and what a message needs, read in SQL that PostgreSQL and PGlite both
 * run: the central worker and a laptop without a server read them the same way.
 */
export interface Queryable {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>
}

const ms = (v: string | null) => (v === null ? null : Date.parse(v))

export interface BusinessFacts {
  timeZone: string
  businessName: string | null
  businessPhone: string | null
  reminderLeadMinutes: number
  sendingHours: string
}

export async function businessFacts(db: Queryable): Promise<BusinessFacts> {
  const { rows } = await db.query<{
    time_zone: string | null
    business_name: string | null
    business_phone: string | null
    reminder_lead_minutes: number | null
    sending_hours: string | null
  }>(
    `SELECT time_zone, business_name, business_phone, reminder_lead_minutes, sending_hours
     FROM business_settings WHERE id = $1 AND deleted_at IS NULL`,
    [BUSINESS_SETTINGS_ID],
  )
  const b = rows[0]
  return {
    // The zone the app itself assumes until one is saved (shared/contract/settings.ts).
    timeZone: b?.time_zone ?? DEFAULT_SETTINGS.timeZone,
    businessName: b?.business_name ?? null,
    businessPhone: b?.business_phone ?? null,
    reminderLeadMinutes: b?.reminder_lead_minutes ?? DEFAULT_REMINDER_LEAD_MINUTES,
    sendingHours: b?.sending_hours ?? DEFAULT_SENDING_HOURS,
  }
}

/** What a message's time is planned from: the lead time and the sending hours. */
export const timingOf = (f: BusinessFacts) => `${f.reminderLeadMinutes}|${f.sendingHours}`

/**
 * The upcoming visits whose messages may need planning again because something they
 * depend on changed, and where to look from next time: visits of clients changed after
 * `since` (a number fixed, texts turned on, an opt-out), or every upcoming visit when the
 * business's reminder lead time or sending hours (`timing`, as planned with last) are no
 * longer what they were. Clients' changes are found by `updated_at`, in the database's
 * time, as written by whoever changed them.
 */
export async function visitsToReplan(
  db: Queryable,
  since: string,
  nowMs: number,
  timing: string | null,
): Promise<{ ids: string[]; seen: string; timing: string }> {
  const now = timingOf(await businessFacts(db))
  const all = timing !== null && timing !== now
  const { rows } = await db.query<{ id: string }>(
    `SELECT a.id FROM appointments a JOIN clients c ON c.id = a.client_id
     WHERE a.deleted_at IS NULL AND a.status = 'scheduled' AND a.scheduled_at > $2::timestamptz
       AND ($3 OR c.updated_at > $1::timestamptz)
     ORDER BY a.scheduled_at, a.id`,
    [since, new Date(nowMs).toISOString(), all],
  )
  const { rows: last } = await db.query<{ at: string | null }>(
    `SELECT max(updated_at)::text AS at FROM clients WHERE updated_at > $1::timestamptz`,
    [since],
  )
  return { ids: rows.map((r) => r.id), seen: last[0]?.at ?? since, timing: now }
}

interface VisitRow {
  id: string
  client_id: string
  scheduled_at: string
  status: Visit['status']
  deleted_at: string | null
  location: string | null
  service_name: string
  crew_name: string | null
  client_name: string
  client_address: string | null
  client_postal_code: string | null
  email: string | null
  phone: string | null
  notify_email: boolean
  notify_sms: boolean
  notify_off: string
  locale: string
  client_deleted_at: string | null
  later_in_series: boolean
}

/** A visit with what its messages need of its client, service and crew. */
/** Visits with what their messages need of their client, service and crew, by id. */
export async function readVisits(
  db: Queryable,
  appointmentIds: readonly string[],
): Promise<Map<string, VisitRow>> {
  if (!appointmentIds.length) return new Map()
  const { rows } = await db.query<VisitRow>(
    `SELECT a.id, a.client_id, to_char(a.scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS scheduled_at,
       a.status, a.deleted_at::text, a.location, s.name AS service_name, m.name AS crew_name,
       c.name AS client_name, c.address AS client_address, c.postal_code AS client_postal_code,
       c.email, c.phone, c.notify_email, c.notify_sms, c.notify_off, c.locale,
       c.deleted_at::text AS client_deleted_at,
       EXISTS (SELECT 1 FROM series mine JOIN series seg ON seg.root_id = mine.root_id
               JOIN appointments o ON o.series_id = seg.id
               WHERE mine.id = a.series_id AND o.series_occurrence < a.series_occurrence
                 AND o.deleted_at IS NULL) AS later_in_series
     FROM appointments a
     JOIN clients c ON c.id = a.client_id
     JOIN services s ON s.id = a.service_id
     LEFT JOIN team_members m ON m.id = a.team_member_id
     WHERE a.id = ANY($1::uuid[])`,
    [appointmentIds],
  )
  return new Map(rows.map((r) => [r.id, r]))
}

export async function readVisit(db: Queryable, appointmentId: string): Promise<VisitRow | null> {
  return (await readVisits(db, [appointmentId])).get(appointmentId) ?? null
}

export const visitOf = (v: VisitRow): Visit => ({
  id: v.id,
  clientId: v.client_id,
  scheduledAtMs: Date.parse(v.scheduled_at),
  status: v.status,
  deleted: v.deleted_at !== null,
  laterInSeries: v.later_in_series,
})

export const contactOf = (v: VisitRow): ClientContact => ({
  email: v.email,
  phone: v.phone,
  notifyEmail: v.notify_email,
  notifySms: v.notify_sms,
  notifyOff: v.notify_off,
  deleted: v.client_deleted_at !== null,
})

/** The messages already logged for a visit, as the planner reads them. */
export async function loggedFor(db: Queryable, appointmentId: string): Promise<LoggedMessage[]> {
  const { rows } = await db.query<{
    id: string
    client_id: string
    kind: NotificationKind
    channel: LoggedMessage['channel']
    visit_at: string | null
    due_at: string | null
    sent_at: string | null
    status: LoggedMessage['status']
    reason: string | null
  }>(
    `SELECT id, client_id, kind, channel, status, reason,
       to_char(visit_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS visit_at,
       to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS due_at,
       to_char(sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS sent_at
     FROM notifications WHERE appointment_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`,
    [appointmentId],
  )
  return rows.map(({ due_at, sent_at, client_id, ...r }) => ({
    ...r,
    clientId: client_id,
    visitAtMs: ms(r.visit_at),
    sentAtMs: ms(sent_at),
    ...(due_at ? { dueAtMs: Date.parse(due_at) } : {}),
  }))
}

interface LogRow {
  id: string
  kind: NotificationRow['kind']
  channel: NotificationRow['channel']
  client_id: string
  appointment_id: string | null
  recipient: string | null
  visit_at: string | null
  previous_visit_at: string | null
  due_at: string
  status: NotificationRow['status']
  attempts: number
  subject: string | null
  body: string | null
  detail: string | null
  reason: string | null
  created_at: string
  updated_at: string
}

/** Messages of the send log by id (absent or removed ones are left out). */
export async function readRows(db: Queryable, ids: readonly string[]): Promise<NotificationRow[]> {
  if (!ids.length) return []
  const { rows } = await db.query<LogRow>(
    `SELECT id, kind, channel, client_id, appointment_id, recipient, visit_at::text,
       previous_visit_at::text, due_at::text, status, attempts, subject, body, detail, reason,
       created_at::text, updated_at::text
     FROM notifications WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL`,
    [ids],
  )
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    channel: r.channel,
    clientId: r.client_id,
    appointmentId: r.appointment_id,
    recipient: r.recipient,
    visitAtMs: ms(r.visit_at),
    previousVisitAtMs: ms(r.previous_visit_at),
    dueAtMs: Date.parse(r.due_at),
    status: r.status,
    attempts: r.attempts,
    subject: r.subject,
    body: r.body,
    detail: r.detail,
    reason: r.reason,
    createdAtMs: Date.parse(r.created_at),
    updatedAtMs: Date.parse(r.updated_at),
  }))
}

/** A message's words about a visit: its client, service, crew, place and time. */
export function visitValues(
  v: VisitRow,
  business: BusinessFacts,
  previousVisitAtMs: number | null,
  weather: string | null = null,
  locale = 'en',
) {
  return messageValues({
    clientName: v.client_name,
    serviceName: v.service_name,
    crewName: v.crew_name,
    location: jobLocation(
      { location: v.location },
      { address: v.client_address, postalCode: v.client_postal_code },
    ),
    visitAtMs: Date.parse(v.scheduled_at),
    previousVisitAtMs,
    ...business,
    weather,
    locale,
  })
}

interface ClientRow {
  id: string
  name: string
  email: string | null
  phone: string | null
  notify_email: boolean
  notify_sms: boolean
  notify_off: string
  locale: string
  deleted: boolean
}

/**
 * What each message needs to be written and checked: its visit and client as they are
 * now, the business's details, and its template. Read in a few queries for a batch.
 */
export async function sendContexts(
  db: Queryable,
  rows: readonly NotificationRow[],
): Promise<Map<string, SendContext>> {
  const out = new Map<string, SendContext>()
  if (!rows.length) return out
  const business = await businessFacts(db)
  const window = { hours: business.sendingHours, timeZone: business.timeZone }
  const { rows: saved } = await db.query<SavedTemplate & { deleted: boolean }>(
    `SELECT kind, channel, locale, version, subject, body, deleted_at IS NOT NULL AS deleted
     FROM notification_templates`,
  )
  const visits = await readVisits(db, [
    ...new Set(rows.flatMap((r) => (r.appointmentId ? [r.appointmentId] : []))),
  ])
  const loose = rows.filter((r) => !r.appointmentId || !visits.has(r.appointmentId))
  const { rows: clients } = loose.length
    ? await db.query<ClientRow>(
        `SELECT id, name, email, phone, notify_email, notify_sms, notify_off, locale,
           deleted_at IS NOT NULL AS deleted FROM clients WHERE id = ANY($1::uuid[])`,
        [[...new Set(loose.map((r) => r.clientId))]],
      )
    : { rows: [] as ClientRow[] }
  const clientById = new Map(clients.map((c) => [c.id, c]))
  for (const row of rows) {
    const v = row.appointmentId ? visits.get(row.appointmentId) : undefined
    if (v) {
      const template = pickTemplate(saved, row.kind, row.channel, v.locale)
      out.set(row.id, {
        visit: visitOf(v),
        client: contactOf(v),
        values: visitValues(v, business, row.previousVisitAtMs, row.detail, template.locale),
        template,
        window,
      })
      continue
    }
    const c = clientById.get(row.clientId)
    const template = pickTemplate(saved, row.kind, row.channel, c?.locale ?? 'en')
    out.set(row.id, {
      visit: null,
      client: {
        email: c?.email ?? null,
        phone: c?.phone ?? null,
        notifyEmail: c?.notify_email ?? false,
        notifySms: c?.notify_sms ?? false,
        notifyOff: c?.notify_off ?? '',
        deleted: c?.deleted ?? true,
      },
      values: messageValues({
        clientName: c?.name ?? '',
        serviceName: '',
        crewName: null,
        location: null,
        visitAtMs: row.visitAtMs,
        previousVisitAtMs: row.previousVisitAtMs,
        ...business,
        weather: row.detail,
        locale: template.locale,
      }),
      template,
      window,
    })
  }
  return out
}

/**
 * The send log keeps a message RETENTION_DAYS after it was made, then forgets it (with
 * its sync bookkeeping: `sync_rows` on the server, `sync_versions` on a laptop; each side
 * forgets on its own, by the same rule). Messages still to be sent are kept whatever
 * their age. At most `batch` rows per call; returns how many went.
 */
export async function pruneLog(
  db: Queryable,
  versions: 'sync_rows' | 'sync_versions',
  batch = 5000,
): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `DELETE FROM notifications WHERE id IN (
       SELECT id FROM notifications
       WHERE created_at < now() - make_interval(days => ${RETENTION_DAYS})
         AND status IN ('sent', 'skipped', 'dead')
       LIMIT ${batch})
     RETURNING id`,
  )
  if (rows.length)
    await db.query(
      `DELETE FROM ${versions} WHERE table_name = 'notifications' AND row_id = ANY($1::uuid[])`,
      [rows.map((r) => r.id)],
    )
  return rows.length
}
