import { and, asc, count, desc, eq, ilike, isNull, or, type SQL, sql } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import type { Product, Service } from '../../../../shared/contract/catalog'
import type { ServicePriority } from '../../../../shared/domain/enums'
import { uuidv7 } from '../../../../shared/domain/ids'
import { AppError } from '../../../../shared/errors'
import { requireActor } from '../auth'
import type { DrizzleDb } from '../db/create-db'
import { schema } from '../db/schema'
import { containsPattern, iso } from './rows'
import type { Handlers } from './types'

const { services, products } = schema
type Queryable = Pick<DrizzleDb, 'select'>

function toService(r: typeof services.$inferSelect): Service {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    priority: r.priority as ServicePriority,
    basePrice: r.basePrice,
    durationMinutes: r.durationMinutes,
    isActive: r.isActive,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  }
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

async function one<T>(rows: Promise<T[]>, what: string): Promise<T> {
  const [row] = await rows
  if (!row) throw new AppError('NOT_FOUND', `${what} not found`)
  return row
}

const getService = (db: Queryable, id: string) =>
  one(
    db
      .select()
      .from(services)
      .where(and(eq(services.id, id), isNull(services.deletedAt))),
    'service',
  ).then(toService)

const getProduct = (db: Queryable, id: string) =>
  one(
    db
      .select()
      .from(products)
      .where(and(eq(products.id, id), isNull(products.deletedAt))),
    'product',
  ).then(toProduct)

const PRIORITY_RANK = sql`case ${services.priority} when 'LOW' then 0 when 'MEDIUM' then 1 else 2 end`

function order(ordering: string, nameCol: PgColumn, priceCol: PgColumn, rank?: SQL) {
  const dir = ordering.startsWith('-') ? desc : asc
  const key = ordering.replace(/^-/, '')
  const column = key === 'price' ? priceCol : key === 'priority' && rank ? rank : nameCol
  return [dir(column), asc(nameCol)]
}

interface CatalogList {
  limit: number
  offset: number
  search?: string | undefined
  includeArchived: boolean
  ordering: string
}

function catalogFilter(
  table: typeof services | typeof products,
  input: CatalogList,
): SQL | undefined {
  const term = input.search?.trim()
  return and(
    isNull(table.deletedAt),
    input.includeArchived ? undefined : eq(table.isActive, true),
    term
      ? or(
          ilike(table.name, containsPattern(term)),
          ilike(table.description, containsPattern(term)),
        )
      : undefined,
  )
}

export const catalogHandlers = {
  'catalog.services.list': async (ctx, input) => {
    const where = catalogFilter(services, input)
    const [[total], rows] = await Promise.all([
      ctx.db.db.select({ n: count() }).from(services).where(where),
      ctx.db.db
        .select()
        .from(services)
        .where(where)
        .orderBy(...order(input.ordering, services.name, services.basePrice, PRIORITY_RANK))
        .limit(input.limit)
        .offset(input.offset),
    ])
    return {
      count: total?.n ?? 0,
      limit: input.limit,
      offset: input.offset,
      results: rows.map(toService),
    }
  },
  'catalog.services.get': (ctx, input) => getService(ctx.db.db, input.id),
  'catalog.services.create': async (ctx, input) => {
    await requireActor(ctx, 'catalog.write')
    const id = uuidv7()
    await ctx.db.db.insert(services).values({ id, ...input })
    return getService(ctx.db.db, id)
  },
  'catalog.services.update': async (ctx, input) => {
    await requireActor(ctx, 'catalog.write')
    const { id, ...changes } = input
    return ctx.db.db.transaction(async (tx) => {
      await getService(tx, id)
      await tx
        .update(services)
        .set({ ...changes, updatedAt: sql`now()` } as never)
        .where(eq(services.id, id))
      return getService(tx, id)
    })
  },
  'catalog.services.archive': async (ctx, input) => {
    await requireActor(ctx, 'catalog.write')
    return ctx.db.db.transaction(async (tx) => {
      await getService(tx, input.id)
      await tx
        .update(services)
        .set({ isActive: !input.archived, updatedAt: sql`now()` } as never)
        .where(eq(services.id, input.id))
      return getService(tx, input.id)
    })
  },

  'catalog.products.list': async (ctx, input) => {
    const where = catalogFilter(products, input)
    const [[total], rows] = await Promise.all([
      ctx.db.db.select({ n: count() }).from(products).where(where),
      ctx.db.db
        .select()
        .from(products)
        .where(where)
        .orderBy(...order(input.ordering, products.name, products.unitPrice))
        .limit(input.limit)
        .offset(input.offset),
    ])
    return {
      count: total?.n ?? 0,
      limit: input.limit,
      offset: input.offset,
      results: rows.map(toProduct),
    }
  },
  'catalog.products.get': (ctx, input) => getProduct(ctx.db.db, input.id),
  'catalog.products.create': async (ctx, input) => {
    await requireActor(ctx, 'catalog.write')
    const id = uuidv7()
    await ctx.db.db.insert(products).values({ id, ...input })
    return getProduct(ctx.db.db, id)
  },
  'catalog.products.update': async (ctx, input) => {
    await requireActor(ctx, 'catalog.write')
    const { id, ...changes } = input
    return ctx.db.db.transaction(async (tx) => {
      await getProduct(tx, id)
      await tx
        .update(products)
        .set({ ...changes, updatedAt: sql`now()` } as never)
        .where(eq(products.id, id))
      return getProduct(tx, id)
    })
  },
  'catalog.products.archive': async (ctx, input) => {
    await requireActor(ctx, 'catalog.write')
    return ctx.db.db.transaction(async (tx) => {
      await getProduct(tx, input.id)
      await tx
        .update(products)
        .set({ isActive: !input.archived, updatedAt: sql`now()` } as never)
        .where(eq(products.id, input.id))
      return getProduct(tx, input.id)
    })
  },
} satisfies Partial<Handlers>
