import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type pg from 'pg'
import type { z } from 'zod'
import type { Device } from '../tokens'
import { type Scope as DirectoryScope, scopeOf } from './appointment-queries'
import { listClients, listServices, listTeamMembers } from './directory-queries'
import { pageLinks } from './paging'
import { errorResponses, withAlias } from './route-kit'
import {
  CLIENT_ORDERINGS,
  clientRow,
  type DirectoryQuery,
  directoryQuery,
  page,
  SERVICE_ORDERINGS,
  serviceRow,
  TEAM_ORDERINGS,
  teamMemberRow,
} from './schemas'

/**
 * The catalog, the clients and the crew, live rows only: every role reads the catalog
 * and the crew whole; a crew lead the clients of its crew's jobs.
 */
export function directoryRoutes(api: FastifyInstance, opts: { pool: pg.Pool; publicUrl?: string }) {
  const routes = api.withTypeProvider<ZodTypeProvider>()
  const listing = <T extends z.ZodType>(
    url: string,
    tag: string,
    summary: string,
    row: T,
    orderings: readonly [string, ...string[]],
    list: (
      pool: pg.Pool,
      q: DirectoryQuery,
      scope: DirectoryScope,
    ) => Promise<{ count: number; results: z.output<T>[] }>,
  ) =>
    withAlias(url, (path, hide) => {
      routes.get(
        path,
        {
          schema: {
            hide,
            tags: [tag],
            summary,
            description:
              'By name unless `ordering` says otherwise; `search` looks for every term in the name.',
            querystring: directoryQuery(orderings),
            response: { 200: page(row), ...errorResponses(400, 401, 429, 503) },
          },
        },
        async (req: FastifyRequest<{ Querystring: DirectoryQuery }>) => {
          const { count, results } = await list(opts.pool, req.query, scopeOf(req.device as Device))
          return { count, ...pageLinks(req, { count, ...req.query }, opts.publicUrl), results }
        },
      )
    })
  listing(
    '/services/',
    'catalog',
    'List the services of the catalog',
    serviceRow,
    SERVICE_ORDERINGS,
    listServices,
  )
  listing(
    '/clients/',
    'clients',
    "List clients (a crew lead: its crew's jobs' clients)",
    clientRow,
    CLIENT_ORDERINGS,
    listClients,
  )
  listing(
    '/team-members/',
    'team',
    'List team members',
    teamMemberRow,
    TEAM_ORDERINGS,
    listTeamMembers,
  )
}
