import type pg from 'pg'
import { uuidv7 } from '../../shared/domain/ids'
import { checkJobWrite, type Refusal } from '../../shared/domain/job-rules'
import { isManager } from '../../shared/domain/permissions'
import { decode } from '../../shared/sync/hlc'
import type { FieldValue } from '../../shared/sync/merge'
import type { Mutation } from '../../shared/sync/protocol'
import { push } from '../sync'
import type { Device } from '../tokens'
import { getAppointment } from './appointment-queries'
import type { ServerClock } from './clock'
import { type ApiError, detail, fieldError } from './errors'
import type { AppointmentCreateBody, AppointmentDetail } from './schemas'

/**
 * Booking through the REST API (the original's Part 2 create rules). The booking is a
 * sync mutation pushed as the caller's device, so it is merged, evented and pulled by
 * every laptop exactly like a booking made on one. The checks that must hold at the
 * moment of writing run as the push's precheck, inside its transaction and under its
 * lock (pushes apply one at a time), so two identical requests cannot both pass the
 * duplicate guard:
 * - the client, the service (bookable: not archived), the team member and the visit
 *   followed up must exist among live rows: 404 naming which (400 for an archived service;
 *   another crew's visit is not there for a crew lead, as GET answers);
 * - the shared job rules (`checkJobWrite`), for their refusal's kind: a crew lead books
 *   only follow-ups of their own crew's jobs (403);
 * - one live appointment per client, service, time and location: 409 (a follow-up
 *   without a location is at its visit's).
 * The price and length are the service's, read in that same transaction.
 */
interface Found {
  client: boolean
  service: { base_price: string; duration_minutes: number; is_active: boolean } | null
  member: boolean
  original: Record<string, FieldValue> | null
  duplicate: boolean
}

const STATUS_OF: Record<Refusal['code'], number> = {
  VALIDATION: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
}

function refused(refusal: Refusal): ApiError {
  if (refusal.code === 'VALIDATION' && refusal.field)
    return fieldError(refusal.field, refusal.reason)
  return detail(STATUS_OF[refusal.code], refusal.reason)
}

async function lookUp(client: pg.PoolClient, body: AppointmentCreateBody): Promise<Found> {
  const { rows } = await client.query<Found>(
    `SELECT
       EXISTS (SELECT 1 FROM clients WHERE id = $1 AND deleted_at IS NULL) AS client,
       (SELECT json_build_object('base_price', base_price::text,
           'duration_minutes', duration_minutes, 'is_active', is_active)
         FROM services WHERE id = $2 AND deleted_at IS NULL) AS service,
       ($5::uuid IS NULL OR EXISTS (
         SELECT 1 FROM team_members WHERE id = $5 AND deleted_at IS NULL)) AS member,
       (SELECT json_build_object('client_id', client_id, 'team_member_id', team_member_id,
           'location', location, 'deleted_at', deleted_at)
         FROM appointments WHERE id = $6 AND deleted_at IS NULL) AS original,
       EXISTS (SELECT 1 FROM appointments
         WHERE client_id = $1 AND service_id = $2 AND scheduled_at = $3
           AND location IS NOT DISTINCT FROM coalesce($4::text,
             (SELECT location FROM appointments WHERE id = $6 AND deleted_at IS NULL))
           AND deleted_at IS NULL AND status <> 'cancelled') AS duplicate`,
    [
      body.client_id,
      body.service_id,
      body.scheduled_at,
      body.location ?? null,
      body.team_member_id,
      body.follow_up_of_id,
    ],
  )
  return rows[0] as Found
}

export async function createAppointment(
  pool: pg.Pool,
  device: Device,
  clock: ServerClock,
  body: AppointmentCreateBody,
  correlationId: string,
): Promise<AppointmentDetail> {
  const mutation: Mutation = {
    id: uuidv7(),
    table: 'appointments',
    rowId: uuidv7(),
    hlc: clock.now(),
    // Filled by the precheck, from what it reads under the push's lock.
    fields: {},
  }
  const precheck = async (client: pg.PoolClient) => {
    const found = await lookUp(client, body)
    if (!found.client) throw detail(404, 'no client has this client_id')
    if (!found.service) throw detail(404, 'no service has this service_id')
    if (!found.member) throw detail(404, 'no team member has this team_member_id')
    // Another crew's job is not there for a crew lead (as GET answers it): 404, not 403.
    const hidden =
      !!found.original &&
      !isManager(device.role) &&
      found.original.team_member_id !== device.teamMemberId
    if (body.follow_up_of_id && (!found.original || hidden))
      throw detail(404, 'no appointment has this follow_up_of_id')
    if (!found.service.is_active)
      throw fieldError('service_id', 'this service is archived and cannot be booked')
    // A crew lead's follow-up stays with the crew of the visit it follows (as on the laptop).
    const teamMemberId =
      body.team_member_id ??
      (found.original && !isManager(device.role)
        ? ((found.original.team_member_id as string | null) ?? null)
        : null)
    const fields: Record<string, FieldValue> = {
      client_id: body.client_id,
      service_id: body.service_id,
      team_member_id: teamMemberId,
      scheduled_at: body.scheduled_at,
      duration_minutes: found.service.duration_minutes,
      status: 'scheduled',
      notes: body.notes,
      // A follow-up is at the place of the visit it follows unless told otherwise.
      location: body.location ?? (found.original?.location as string | null) ?? null,
      price: found.service.base_price,
      follow_up_of_id: body.follow_up_of_id,
      started_at: null,
      completed_at: null,
      deleted_at: null,
    }
    const refusal = checkJobWrite({
      writer: { role: device.role, teamMemberId: device.teamMemberId },
      before: null,
      fields,
      atMs: decode(mutation.hlc).ms,
      original: found.original,
      service: { basePrice: found.service.base_price, active: found.service.is_active },
    })
    if (refusal) throw refused(refusal)
    if (found.duplicate)
      throw detail(
        409,
        'an appointment for this client and service at this time and location already exists',
      )
    Object.assign(mutation.fields, fields)
  }
  const [result] = await push(pool, device, [mutation], { correlationId, precheck })
  if (result?.status === 'rejected') throw detail(400, result.reason ?? 'the booking was refused')
  const created = await getAppointment(pool, mutation.rowId, {})
  if (!created) throw new Error('a booking the push applied could not be read back')
  return created
}
