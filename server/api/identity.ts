import { randomUUID } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type pg from 'pg'
import { deviceForToken } from '../tokens'
import { detail } from './errors'

/**
 * Who is calling, and which request this is.
 *
 * Correlation: every request has an id, the caller's `X-Correlation-Id` or one made
 * here (`cor-` and 32 hex digits, as the original made them). It is echoed in the
 * response header and in every error and booking body, carried into the domain events a
 * booking writes, and on every log line of the request (it is the request's `reqId`). A
 * caller's id is written to logs and events, so it is taken when it is 1 to 200 visible
 * ASCII characters (tracing formats such as `Root=1-…;Parent=…` included); one with
 * spaces, control or other characters is not written anywhere: the request goes on
 * under an id made here, as the original made one when it had none.
 *
 * Authentication: the server's device tokens, as `Authorization: Bearer <token>` or as
 * the original's `Authorization: Token <token>` (the keyword in any case, as DRF reads it).
 */
declare module 'fastify' {
  interface FastifyRequest {
    correlationId: string
  }
  interface FastifyContextConfig {
    /** Served without a token (the OpenAPI document). */
    public?: boolean
  }
}

export const CORRELATION_HEADER = 'x-correlation-id'
const CORRELATION_ID = /^[\x21-\x7e]{1,200}$/

export const newCorrelationId = () => `cor-${randomUUID().replaceAll('-', '')}`

const wellFormed = (given: unknown): given is string =>
  typeof given === 'string' && CORRELATION_ID.test(given)

/**
 * The request's id (Fastify's `req.id`, `reqId` in the logs), set with `setGenReqId`:
 * the caller's well-formed X-Correlation-Id, or one made here. Fastify takes it before it
 * writes the request's first log line ("incoming request"), which no hook precedes, so
 * every line of the request carries the correlation id as its `reqId`. Must not throw.
 */
export const correlationIdOf = (raw: { headers: IncomingHttpHeaders }): string => {
  const given = raw.headers[CORRELATION_HEADER]
  return wellFormed(given) ? given : newCorrelationId()
}

export async function correlate(req: FastifyRequest, reply: FastifyReply) {
  req.correlationId = req.id
  reply.header(CORRELATION_HEADER, req.id)
}

const SCHEME = /^(bearer|token)\s+(\S+)\s*$/i

export function authenticate(pool: pg.Pool) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.routeOptions.config.public) return
    const header = req.headers.authorization
    reply.header('www-authenticate', 'Bearer, Token')
    if (!header) throw detail(401, 'authentication credentials were not provided')
    const token = SCHEME.exec(header)?.[2]
    const device = token ? await deviceForToken(pool, token) : null
    if (!device) throw detail(401, 'invalid token')
    reply.removeHeader('www-authenticate')
    req.device = device
  }
}
