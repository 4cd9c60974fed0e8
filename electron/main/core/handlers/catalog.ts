import { and, asc, desc, eq, ilike, inArray, isNull, or, type SQL, sql } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import type { Product, Service } from '../../../../shared/contract/catalog'
import type { ServicePriority } from '../../../../shared/domain/enums'
import { uuidv7 } from '../../../../shared/domain/ids'
import { likeTerms } from '../../../../shared/domain/search-terms'
import { STARTER_SERVICES, starterServicesToAdd } from '../../../../shared/domain/starter-catalog'
import { AppError } from '../../../../shared/errors'
import { limitsText, parseLimits } from '../../../../shared/weather/limits'
import type { ServiceKind, WeatherLimits } from '../../../../shared/weather/risk'
import { requireActor } from '../auth'
import type { AppContext } from '../context'
import type { DrizzleDb } from '../db/create-db'
import { schema } from '../db/schema'
import { pageOf, updateRow } from './paging'
import { iso } from './rows'
import type { Handlers } from './types'

const { services, products } = schema
type Queryable = Pick<DrizzleDb, 'select'>
type CatalogTable = typeof services | typeof products

function toService(r: typeof services.$inferSelect): Service {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    priority: r.priority as ServicePriority,
    basePrice: r.basePrice,
    durationMinutes: r.durationMinutes,
    isActive: r.isActive,
    weatherKind: (r.weatherKind as ServiceKind | null) ?? null,
    weatherLimits: parseLimits(r.weatherLimits),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  }
}

/** The weather limits as stored: canonical JSON text, null for none of its own. */
const storedLimits = (input: Record<string, unknown>) =>
  input.weatherLimits === undefined
    ? input
    : {
        ...input,
        weatherLimits:
          input.weatherLimits === null ? null : limitsText(input.weatherLimits as WeatherLimits),
      }

function toProduct(r: typeof products.$inferSelect): Product {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    unit: r.unit,
    unitPrice: r.unitPrice,
    isActive: r.isActive,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  }
}

export interface CatalogListInput {
  limit: number
  offset: number
  search?: string | undefined
  includeArchived: boolean
  ordering: string
}

/**
 * Services and products behave alike: listed by name, price (or priority), searched by
 * name and description, archived rather than deleted, changed only by office staff.
 */
function catalogOf<Row, Out>(spec: {
  table: CatalogTable
  what: string
  price: PgColumn
  rank?: SQL
  toOut: (row: Row) => Out
}) {
  const { table } = spec
  const get = async (db: Queryable, id: string): Promise<Out> => {
    const [row] = await db
      .select()
      .from(table)
      .where(and(eq(table.id, id), isNull(table.deletedAt)))
    if (!row) throw new AppError('NOT_FOUND', `${spec.what} not found`)
    return spec.toOut(row as Row)
  }
  return {
    list: (ctx: AppContext, input: CatalogListInput) => {
      const where = and(
        isNull(table.deletedAt),
        input.includeArchived ? undefined : eq(table.isActive, true),
        ...likeTerms(input.search).map((pattern) =>
          or(ilike(table.name, pattern), ilike(table.description, pattern)),
        ),
      )
      const dir = input.ordering.startsWith('-') ? desc : asc
      const key = input.ordering.replace(/^-/, '')
      const column =
        key === 'price' ? spec.price : key === 'priority' && spec.rank ? spec.rank : table.name
      return pageOf(ctx.db.db, table, where, [dir(column), asc(table.name)], input, spec.toOut)
    },
    get: (ctx: AppContext, input: { id: string }) => get(ctx.db.db, input.id),
    create: async (ctx: AppContext, input: Record<string, unknown>) => {
      await requireActor(ctx, 'catalog.write')
      const id = uuidv7()
      await ctx.db.db.insert(table).values({ id, ...input } as never)
      return get(ctx.db.db, id)
    },
    update: async (ctx: AppContext, input: { id: string } & Record<string, unknown>) => {
      await requireActor(ctx, 'catalog.write')
      const { id, ...changes } = input
      return ctx.db.db.transaction((tx) => updateRow(tx, table, id, changes, get))
    },
    archive: async (ctx: AppContext, input: { id: string; archived: boolean }) => {
      await requireActor(ctx, 'catalog.write')
      return ctx.db.db.transaction((tx) =>
        updateRow(tx, table, input.id, { isActive: !input.archived }, get),
      )
    },
  }
}

const serviceCatalog = catalogOf({
  table: services,
  what: 'service',
  price: services.basePrice,
  rank: sql`case ${services.priority} when 'LOW' then 0 when 'MEDIUM' then 1 else 2 end`,
  toOut: toService,
})
const productCatalog = catalogOf({
  table: products,
  what: 'product',
  price: products.unitPrice,
  toOut: toProduct,
})

export const catalogHandlers = {
  'catalog.services.list': serviceCatalog.list,
  'catalog.services.get': serviceCatalog.get,
  'catalog.services.create': (ctx, input) => serviceCatalog.create(ctx, storedLimits(input)),
  'catalog.services.update': (ctx, input) =>
    serviceCatalog.update(ctx, storedLimits(input) as typeof input),
  'catalog.services.archive': serviceCatalog.archive,
  'catalog.services.addStarter': async (ctx) => {
    await requireActor(ctx, 'catalog.write')
    // One transaction: the names read and the rows added agree, and a failure adds none.
    const ids = await ctx.db.db.transaction(async (tx) => {
      const had = await tx
        .select({ name: services.name })
        .from(services)
        .where(isNull(services.deletedAt))
      const toAdd = starterServicesToAdd(had.map((r) => r.name))
      const rows = toAdd.map((svc) => ({ id: uuidv7(), ...svc, isActive: true }))
      if (rows.length) await tx.insert(services).values(rows)
      return rows.map((r) => r.id)
    })
    const added = ids.length
      ? await ctx.db.db
          .select()
          .from(services)
          .where(inArray(services.id, ids))
          .orderBy(asc(services.name))
      : []
    const addedNames = new Set(added.map((r) => r.name))
    return {
      added: added.map(toService),
      skipped: STARTER_SERVICES.map((svc) => svc.name).filter((n) => !addedNames.has(n)),
    }
  },
  'catalog.products.list': productCatalog.list,
  'catalog.products.get': productCatalog.get,
  'catalog.products.create': productCatalog.create,
  'catalog.products.update': productCatalog.update,
  'catalog.products.archive': productCatalog.archive,
} satisfies Partial<Handlers>
