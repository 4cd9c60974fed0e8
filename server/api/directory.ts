import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type pg from 'pg'
import type { z } from 'zod'
import { listClients, listServices, listTeamMembers } from './directory-queries'
import { pageLinks } from './paging'
import { errorResponses, withAlias } from './route-kit'
import {
  clientRow,
  type DirectoryQuery,
  directoryQuery,
  page,
  serviceRow,
  teamMemberRow,
} from './schemas'

/** The catalog, the clients and the crew: every role may read them, live rows only. */
export function directoryRoutes(api: FastifyInstance, opts: { pool: pg.Pool; publicUrl?: string }) {
  const routes = api.withTypeProvider<ZodTypeProvider>()
  const listing = <T extends z.ZodType>(
    url: string,
    tag: string,
    summary: string,
    row: T,
    list: (pool: pg.Pool, q: DirectoryQuery) => Promise<{ count: number; results: z.output<T>[] }>,
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
            querystring: directoryQuery,
            response: { 200: page(row), ...errorResponses(400, 401, 429, 503) },
          },
        },
        async (req: FastifyRequest<{ Querystring: DirectoryQuery }>) => {
          const { count, results } = await list(opts.pool, req.query)
          return { count, ...pageLinks(req, { count, ...req.query }, opts.publicUrl), results }
        },
      )
    })
  listing('/services/', 'catalog', 'List the services of the catalog', serviceRow, listServices)
  listing('/clients/', 'clients', 'List clients', clientRow, listClients)
  listing('/team-members/', 'team', 'List team members', teamMemberRow, listTeamMembers)
}
