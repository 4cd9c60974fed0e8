import swagger, { type SwaggerTransformObject } from '@fastify/swagger'
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
} from 'fastify-type-provider-zod'
import type pg from 'pg'
import { rowsStillMoving } from '../upgrade'
import { appointmentRoutes } from './appointments'
import { type ServerClock, serverClock } from './clock'
import { directoryRoutes } from './directory'
import { ApiError, type ErrorBody, fieldErrors } from './errors'
import { authenticate, correlate, correlationIdOf } from './identity'
import { serializerFor } from './serialize'

/**
 * The original system's REST API (Django REST Framework), served by the central server
 * under `/api/v1` for the office's web and mobile clients and for integrations. It reads
 * the central domain tables and writes through the sync machinery (a booking is a pushed
 * mutation), so laptops receive what it writes. Request and response schemas are zod
 * schemas built from the app's contract; the OpenAPI document is generated from them.
 * Register with `app.register(restApi, { prefix: '/api/v1', pool })`.
 */
export interface RestApiOptions {
  pool: pg.Pool
  /** The clock of the API's writes; one per process by default. */
  clock?: ServerClock
  /** Where clients reach the server (`https://host[/path]`): the start of page links. */
  publicUrl?: string
  /** The methods a path answers (server/known-routes.ts): a wrong one is a 405. */
  allowed?: (path: string) => string[]
}

/**
 * The transform lists each named schema twice (as read and as written); only the forms
 * that the paths refer to are kept, so the document names each shape once.
 */
function withoutUnusedSchemas(transform: SwaggerTransformObject): SwaggerTransformObject {
  return (input) => {
    const doc = transform(input) as { components?: { schemas?: Record<string, unknown> } }
    const schemas = doc.components?.schemas ?? {}
    let used = new Set<string>()
    // A schema may refer to another: widen from what the paths use until nothing is added.
    for (let size = -1; used.size !== size; ) {
      size = used.size
      const text = JSON.stringify({ ...doc, components: { ...doc.components, schemas: {} } })
      const kept = JSON.stringify([...used].map((name) => schemas[name]))
      used = new Set(
        Object.keys(schemas).filter((name) =>
          `${text}${kept}`.includes(`"#/components/schemas/${name}"`),
        ),
      )
    }
    for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name]
    return doc as ReturnType<SwaggerTransformObject>
  }
}

type Parameter = { schema?: Record<string, unknown> } & Record<string, unknown>

/**
 * How a query parameter is written (`style`, `explode`: `?ordering=a,b` is a list written
 * with commas) is the parameter's in OpenAPI, but a zod schema can only say it of itself
 * (`.meta({ style: 'form', explode: false })`): it is moved from the schema to the parameter.
 */
function withParameterStyles(transform: SwaggerTransformObject): SwaggerTransformObject {
  return (input) => {
    const doc = transform(input) as { paths?: Record<string, Record<string, unknown>> }
    for (const item of Object.values(doc.paths ?? {}))
      for (const operation of Object.values(item)) {
        const parameters = (operation as { parameters?: Parameter[] } | null)?.parameters
        for (const parameter of Array.isArray(parameters) ? parameters : [])
          for (const key of ['style', 'explode'])
            if (parameter.schema && key in parameter.schema) {
              parameter[key] = parameter.schema[key]
              delete parameter.schema[key]
            }
      }
    return doc as ReturnType<SwaggerTransformObject>
  }
}

const send = (req: FastifyRequest, reply: FastifyReply, status: number, body: ErrorBody) =>
  reply.code(status).send({ ...body, correlation_id: req.correlationId })

const UNSUPPORTED_MEDIA = 'Send the body as JSON (Content-Type: application/json).'

/** Refusals the framework raises before a handler runs, in the original's words. */
function frameworkError(error: FastifyError, reply: FastifyReply): [number, ErrorBody] | null {
  switch (error.statusCode) {
    case 413:
      return [413, { detail: 'The request body is too large.' }]
    case 415:
      return [415, { detail: UNSUPPORTED_MEDIA }]
    case 429:
      return [
        429,
        {
          detail: `Request was throttled. Expected available in ${reply.getHeader('retry-after') ?? 60} seconds.`,
        },
      ]
  }
  if (
    error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
  )
    return [400, { detail: 'The body is not valid JSON.' }]
  if ((error.statusCode ?? 500) < 500) return [400, { detail: 'Malformed request.' }]
  return null
}

/** A connection that failed or was refused, or a database shutting down (SQLSTATE 08, 57P). */
const unreachable = (error: { code?: string }) =>
  /^(08|57P)|^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH)$/.test(error.code ?? '') ||
  /timeout exceeded when trying to connect|Connection terminated/i.test(String(error))

export const restApi: FastifyPluginAsync<RestApiOptions> = async (api, opts) => {
  const clock = opts.clock ?? serverClock()
  api.setValidatorCompiler(validatorCompiler)
  api.setSerializerCompiler(({ schema }) => serializerFor(schema))
  await api.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Groundskeeper REST API',
        version: '1.0.0',
        description:
          'The original scheduling system\'s API, served by the central server. Errors: `{"<field>": ["..."]}` for refused input (400), `{"detail": "..."}` otherwise; both carry `correlation_id`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A device token' },
          token: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: 'The original scheme: `Token <device token>`',
          },
        },
      },
      security: [{ bearer: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: withoutUnusedSchemas(withParameterStyles(jsonSchemaTransformObject)),
  })

  // The request's id is its correlation id, so that Fastify's own lines (the first one,
  // "incoming request", is written before any hook runs) carry it too.
  api.setGenReqId(correlationIdOf)
  api.decorateRequest('correlationId', '')
  // The correlation id first, so that every answer carries it (a 401 or 429 too); the
  // rate limit before the token check, so that guessing tokens is limited as well.
  api.addHook('onRequest', correlate)
  // The page links are built from the Host the request names (as DRF's): one that is no
  // host name is refused, as Django refuses it, rather than failing or linking anywhere.
  api.addHook('onRequest', async (req) => {
    if (req.host && !validHost(req.host))
      throw new ApiError(400, { detail: 'Invalid Host header.' })
  })
  // While a server upgrading from rows kept as JSON moves them into their tables, the
  // tables may lack rows: answer "later" rather than a page with rows missing.
  api.addHook('onRequest', async () => {
    if (await rowsStillMoving(opts.pool))
      throw Object.assign(
        new ApiError(503, {
          detail: 'The server is finishing an upgrade of its data. Try again in a minute.',
        }),
        { retryAfter: 30 },
      )
  })
  api.addHook('onRequest', api.rateLimit())
  api.addHook('onRequest', authenticate(opts.pool))
  // Query parameters as Django reads them: one given twice is its last value (QueryDict),
  // and an empty one is not given (django-filter skips it; DRF's paging takes its
  // default). `status` alone is a list (several statuses at once).
  api.addHook('preValidation', async (req) => {
    const query = req.query as Record<string, unknown> | undefined
    if (!query || typeof query !== 'object') return
    for (const [key, given] of Object.entries(query)) {
      if (key === 'status') continue
      const value = Array.isArray(given) ? given.at(-1) : given
      if (value === '' || value === undefined) delete query[key]
      else query[key] = value
    }
  })
  api.addHook('preValidation', async (req) => {
    if (req.method !== 'POST') return
    // A POST without a body is a booking with every field missing, not a malformed request.
    if (req.body === undefined || req.body === null) req.body = {}
    // Fastify reads text/plain too; this API takes JSON only.
    else if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
      throw new ApiError(415, { detail: UNSUPPORTED_MEDIA })
  })

  api.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof ApiError) {
      const retryAfter = (error as { retryAfter?: number }).retryAfter
      if (retryAfter) reply.header('retry-after', String(retryAfter))
      return send(req, reply, error.statusCode, error.body)
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      // A path that names no appointment is not found, as DRF answers a bad primary key.
      if ((error as { validationContext?: string }).validationContext === 'params')
        return send(req, reply, 404, { detail: 'Not found.' })
      const issues = error.validation.map((v) => ({
        field: v.instancePath.split('/')[1],
        message: v.message ?? 'is not valid',
      }))
      return send(req, reply, 400, fieldErrors(issues))
    }
    const known = frameworkError(error, reply)
    if (known) return send(req, reply, known[0], known[1])
    req.log.error({ err: { name: error.name, code: error.code } }, 'request failed')
    // The database out of reach (the original answered 503 when a service it needed was).
    if (unreachable(error))
      return send(req, reply, 503, { detail: 'The database is out of reach; try again shortly.' })
    return send(req, reply, 500, { detail: 'Something went wrong on the server.' })
  })
  api.setNotFoundHandler((req, reply) => {
    const allowed = opts.allowed?.(req.url) ?? []
    if (!allowed.length) return send(req, reply, 404, { detail: 'Not found.' })
    reply.header('allow', allowed.join(', '))
    return send(req, reply, 405, { detail: `Method "${req.method}" not allowed.` })
  })

  api.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, async () =>
    api.swagger(),
  )
  const publicUrl = opts.publicUrl ? { publicUrl: opts.publicUrl } : {}
  appointmentRoutes(api, { pool: opts.pool, clock, ...publicUrl })
  directoryRoutes(api, { pool: opts.pool, ...publicUrl })
}

/** A host name, an IPv4 address or a bracketed IPv6 one, with a port if any (Django's rule). */
function validHost(host: string): boolean {
  const m = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::(\d{1,5}))?$/i.exec(host)
  return !!m && (m[2] === undefined || Number(m[2]) <= 65_535)
}
