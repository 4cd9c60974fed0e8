import rateLimit from '@fastify/rate-limit'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type pg from 'pg'
import pino from 'pino'
import { z } from 'zod'
import { may } from '../shared/domain/permissions'
import type { ErrorCode } from '../shared/errors'
import {
  changesQuery,
  conflictsRequest,
  pullRequest,
  pushRequest,
  RESOLUTIONS,
  resolveRequest,
} from '../shared/sync/protocol'
import { restApi } from './api'
import { newCorrelationId } from './api/identity'
import { ChangeWatch } from './change-watch'
import { listConflicts, resolveConflict } from './conflicts'
import { registerEventFeed } from './events/feed'
import { explain } from './explain'
import { knownRoutes } from './known-routes'
import { pull } from './pull'
import { serveSnapshot } from './snapshot'
import { push } from './sync'
import { type Device, deviceForToken, listDevices, revokeDevice } from './tokens'

/**
 * The central sync server's HTTP surface. Stateless (every request is authenticated
 * against PostgreSQL), so instances can sit behind a load balancer. Errors use the
 * app's envelope. Logs carry no personal data: no bodies, no tokens.
 */
export interface ServerOptions {
  pool: pg.Pool
  /** Largest accepted request body. */
  bodyLimit?: number
  /** Requests per client address per window, counted before the token is checked. */
  rateLimit?: { max: number; windowMs: number }
  /**
   * Which `X-Forwarded-For` hops to believe for the client's address (Fastify's
   * `trustProxy`). Off by default: a client could otherwise pick its own address, and so
   * its own rate-limit key. Behind a load balancer, name it (its address or range),
   * or every laptop shares the balancer's address and one limit.
   */
  trustProxy?: boolean | string | string[]
  /** Where clients reach the server (`https://host[/path]`): the REST API's page links. */
  publicUrl?: string
  logger?: boolean
}

declare module 'fastify' {
  interface FastifyRequest {
    device?: Device
  }
}

const send = (reply: FastifyReply, status: number, code: ErrorCode, message: string) =>
  reply.code(status).send({ ok: false, error: { code, message } })

/** Addresses the rate limiter remembers at once (least recently seen forgotten first). */
const RATE_LIMIT_CLIENTS = 10_000

export function buildServer(opts: ServerOptions): FastifyInstance {
  const app = Fastify({
    // An address Fastify cannot even route (a broken %-escape, a part too long): refused
    // in the words of the API it was meant for, with Fastify's status.
    frameworkErrors: (error, req, res) => {
      const reply = res as FastifyReply
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400
      const what = status === 414 ? 'too long' : 'malformed'
      if (req.url.startsWith('/api/')) {
        const id = newCorrelationId()
        return reply
          .code(status)
          .header('x-correlation-id', id)
          .send({ detail: `The address is ${what}.`, correlation_id: id })
      }
      return send(reply, status, 'VALIDATION', `the address is ${what}`)
    },
    bodyLimit: opts.bodyLimit ?? 5 * 1024 * 1024,
    trustProxy: opts.trustProxy ?? false,
    logger: opts.logger
      ? {
          // Written by a worker of the event loop, not in the request's path: two lines
          // per request written synchronously were a seventh of a busy server's time.
          // Whatever is still buffered is written when the process exits.
          stream: pino.destination({ dest: 1, sync: false }),
          redact: ['req.headers.authorization'],
          serializers: { req: (r) => ({ method: r.method, url: r.url }) },
        }
      : false,
  })
  const routes = knownRoutes(app)
  const changes = new ChangeWatch(opts.pool, 1_000, (message, error) =>
    app.log.warn({ err: { name: error.name, message: error.message } }, message),
  )
  // Before the server waits for its requests to end: the ones held open end now.
  app.addHook('preClose', async () => changes.close())
  // Keyed by the client's address alone (the default key): nothing the caller sends, such
  // as a made-up token, gives it a fresh allowance. Each instance counts its own share.
  app.register(rateLimit, {
    global: false,
    max: opts.rateLimit?.max ?? 600,
    timeWindow: opts.rateLimit?.windowMs ?? 60_000,
    cache: RATE_LIMIT_CLIENTS,
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
  })

  app.setErrorHandler((error, _req, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500
    if (status === 413) return send(reply, 413, 'VALIDATION', 'request body is too large')
    if (status === 415)
      return send(
        reply,
        415,
        'VALIDATION',
        'send the body as JSON (Content-Type: application/json)',
      )
    // The limiter has set Retry-After already.
    if (status === 429) return send(reply, 429, 'UNAVAILABLE', 'too many requests')
    if (status >= 400 && status < 500) return send(reply, 400, 'VALIDATION', 'malformed request')
    app.log.error(
      { err: { name: (error as Error).name, code: (error as { code?: string }).code } },
      'request failed',
    )
    return send(reply, 500, 'INTERNAL', 'something went wrong')
  })

  // Outside the REST API (its own handler answers in the original's words): the sync
  // protocol's envelope, for a path or method it does not have.
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]
    const allowed = routes.allowed(req.url)
    if (!allowed.length) return send(reply, 404, 'NOT_FOUND', `there is no ${req.method} ${path}`)
    reply.header('allow', allowed.join(', '))
    return send(
      reply,
      405,
      'VALIDATION',
      `${path} takes ${allowed.join(' or ')}, not ${req.method}`,
    )
  })

  app.get('/health', async () => ({ status: 'ok' }))
  app.get('/ready', async (_req, reply) => {
    try {
      await opts.pool.query('SELECT 1 FROM sync_devices LIMIT 1')
      return { status: 'ready' }
    } catch {
      return send(reply, 503, 'UNAVAILABLE', 'the database is not reachable or not migrated')
    }
  })

  app.register(
    async (v1) => {
      // The protocol is JSON: a text body is refused (415), not read as a string.
      v1.removeContentTypeParser('text/plain')
      // Before the token check, so guessing tokens is limited too.
      v1.addHook('onRequest', v1.rateLimit())
      v1.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
        const header = req.headers.authorization ?? ''
        // The scheme's name in any case, as HTTP has it ("bearer" is Bearer).
        const token = /^bearer /i.test(header) ? header.slice(7).trim() : ''
        const device = token ? await deviceForToken(opts.pool, token) : null
        if (!device)
          return send(
            reply.header('www-authenticate', 'Bearer'),
            401,
            'FORBIDDEN',
            'a valid device token is required',
          )
        req.device = device
      })
      const adminOnly = async (req: FastifyRequest, reply: FastifyReply) => {
        if (req.device?.role !== 'admin')
          return send(reply, 403, 'FORBIDDEN', 'an admin device is required')
      }

      const officeOnly = async (req: FastifyRequest, reply: FastifyReply) => {
        const role = req.device?.role
        if (!role || !may(role, 'sync.conflicts'))
          return send(reply, 403, 'FORBIDDEN', 'an office manager or admin device is required')
      }

      v1.get('/whoami', async (req) => ({ ok: true, data: req.device }))

      v1.post('/sync/push', async (req, reply) => {
        const body = pushRequest.safeParse(req.body)
        if (!body.success) return send(reply, 400, 'VALIDATION', explain(body.error, req.body))
        const results = await push(opts.pool, req.device as Device, body.data.mutations)
        return { ok: true, data: { results } }
      })
      v1.post('/sync/pull', async (req, reply) => {
        const body = pullRequest.safeParse(req.body)
        if (!body.success) return send(reply, 400, 'VALIDATION', explain(body.error, req.body))
        return {
          ok: true,
          data: await pull(opts.pool, body.data.cursor, body.data.limit, req.device as Device),
        }
      })
      // Held open until there is something new to pull, or up to `wait` seconds.
      v1.get('/sync/changes', async (req, reply) => {
        const query = changesQuery.safeParse(req.query)
        if (!query.success) return send(reply, 400, 'VALIDATION', explain(query.error, req.query))
        const gone = new AbortController()
        req.raw.on('close', () => gone.abort())
        const latest = await changes.wait(query.data.after, query.data.wait * 1000, gone.signal)
        return { ok: true, data: { latest } }
      })
      v1.post('/sync/snapshot', (req, reply) =>
        serveSnapshot(opts.pool, req.device as Device, req.body, reply),
      )
      v1.post('/conflicts', { preHandler: officeOnly }, async (req, reply) => {
        const body = conflictsRequest.safeParse(req.body ?? {})
        if (!body.success) return send(reply, 400, 'VALIDATION', explain(body.error, req.body))
        return { ok: true, data: { conflicts: await listConflicts(opts.pool, body.data) } }
      })
      v1.post('/conflicts/resolve', { preHandler: officeOnly }, async (req, reply) => {
        const body = resolveRequest.safeParse(req.body)
        if (!body.success) return send(reply, 400, 'VALIDATION', explain(body.error, req.body))
        const outcome = await resolveConflict(opts.pool, {
          ...body.data,
          resolvedBy: (req.device as Device).id,
        })
        if (outcome.ok) return { ok: true, data: { conflict: outcome.conflict } }
        if (outcome.reason === 'not_found') return send(reply, 404, 'NOT_FOUND', 'no such conflict')
        if (outcome.reason === 'already_resolved')
          return send(reply, 409, 'CONFLICT', 'this conflict is already resolved')
        return send(
          reply,
          400,
          'VALIDATION',
          `a ${outcome.kind.replace(/_/g, ' ')} conflict is resolved with ${RESOLUTIONS[outcome.kind].join(', ')}`,
        )
      })
      v1.get('/devices', { preHandler: adminOnly }, async () => ({
        ok: true,
        data: await listDevices(opts.pool),
      }))
      v1.post('/devices/revoke', { preHandler: adminOnly }, async (req, reply) => {
        // An id in capitals is the same device: read as stored, so its cached token goes too.
        const body = z
          .strictObject({ id: z.uuid().transform((v) => v.toLowerCase()) })
          .safeParse(req.body)
        if (!body.success) return send(reply, 400, 'VALIDATION', 'body must be { id: <device id> }')
        if (!(await revokeDevice(opts.pool, body.data.id)))
          return send(reply, 404, 'NOT_FOUND', 'no such active device')
        return { ok: true, data: { revoked: body.data.id } }
      })
      registerEventFeed(v1, opts.pool)
    },
    { prefix: '/v1' },
  )
  app.register(restApi, {
    prefix: '/api/v1',
    pool: opts.pool,
    allowed: (path) => routes.allowed(path),
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
  })

  return app
}
