import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type pg from 'pg'
import { APPOINTMENT_SEARCH_DESCRIPTION } from '../../shared/domain/search-terms'
import type { Device } from '../tokens'
import { getAppointment, listAppointments, scopeOf } from './appointment-queries'
import type { ServerClock } from './clock'
import { createAppointment } from './create'
import { detail } from './errors'
import { pageLinks } from './paging'
import { errorResponses, withAlias } from './route-kit'
import {
  appointmentCreateBody,
  appointmentCreated,
  appointmentDetail,
  appointmentListQuery,
  appointmentRow,
  idParams,
  page,
} from './schemas'

export function appointmentRoutes(
  api: FastifyInstance,
  opts: { pool: pg.Pool; clock: ServerClock; publicUrl?: string },
) {
  const routes = api.withTypeProvider<ZodTypeProvider>()
  withAlias('/appointments/', (url, hide) => {
    routes.get(
      url,
      {
        schema: {
          hide,
          tags: ['appointments'],
          summary: 'List appointments',
          description: `Newest first by default (\`-scheduled_date,-id\`). \`search\` splits its text at spaces and commas; every term must appear in ${APPOINTMENT_SEARCH_DESCRIPTION}. \`status\` takes one or more statuses, repeated or comma-separated.`,
          querystring: appointmentListQuery,
          response: { 200: page(appointmentRow), ...errorResponses(400, 401, 429, 503) },
        },
      },
      async (req) => {
        const q = req.query
        const { count, results } = await listAppointments(
          opts.pool,
          q,
          scopeOf(req.device as Device),
        )
        return { count, ...pageLinks(req, { count, ...q }, opts.publicUrl), results }
      },
    )
    routes.post(
      url,
      {
        schema: {
          hide,
          tags: ['appointments'],
          summary: 'Book an appointment',
          description:
            'Starts as scheduled, at the price and length of the service. One live appointment per client, service, time and location (409 for a second).',
          body: appointmentCreateBody,
          response: {
            201: appointmentCreated,
            ...errorResponses(400, 401, 403, 404, 409, 429, 503),
          },
        },
      },
      async (req, reply) => {
        const created = await createAppointment(
          opts.pool,
          req.device as Device,
          opts.clock,
          req.body,
          req.correlationId,
        )
        req.log.info({ appointmentId: created.id }, 'appointment booked')
        return reply.code(201).send({
          ...created,
          appointment_id: created.id,
          scheduled_at: created.scheduled_date,
          correlation_id: req.correlationId,
        })
      },
    )
  })
  withAlias('/appointments/:id/', (url, hide) => {
    routes.get(
      url,
      {
        schema: {
          hide,
          tags: ['appointments'],
          summary: 'One appointment',
          params: idParams,
          response: { 200: appointmentDetail, ...errorResponses(401, 404, 429, 503) },
        },
      },
      async (req) => {
        const found = await getAppointment(opts.pool, req.params.id, scopeOf(req.device as Device))
        if (!found) throw detail(404, 'not found')
        return found
      },
    )
  })
}
