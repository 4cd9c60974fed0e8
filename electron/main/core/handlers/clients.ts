import { and, asc, desc, eq, ilike, isNull, or, sql } from 'drizzle-orm'
import type { Client } from '../../../../shared/contract/clients'
import { uuidv7 } from '../../../../shared/domain/ids'
import { likeTerms } from '../../../../shared/domain/search-terms'
import { AppError } from '../../../../shared/errors'
import { formatOverrides, parseOverrides } from '../../../../shared/notifications/preferences'
import { requireActor } from '../auth'
import type { DrizzleDb } from '../db/create-db'
import { schema } from '../db/schema'
import { pageOf, updateRow } from './paging'
import { iso } from './rows'
import type { Handlers } from './types'

const { clients } = schema
type Queryable = Pick<DrizzleDb, 'select'>

const num = (v: string | null) => (v === null ? null : Number(v))
const coord = (v: number | null | undefined) =>
  v === undefined ? undefined : v === null ? null : String(v)

function toClient(r: typeof clients.$inferSelect): Client {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    address: r.address,
    postalCode: r.postalCode,
    latitude: num(r.latitude),
    longitude: num(r.longitude),
    notes: r.notes,
    notifyEmail: r.notifyEmail,
    notifySms: r.notifySms,
    notifyOff: parseOverrides(r.notifyOff),
    locale: r.locale,
    archived: r.deletedAt !== null,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  }
}

/** Archived clients are still found by id: their past appointments refer to them. */
async function getClient(db: Queryable, id: string): Promise<Client> {
  const [row] = await db.select().from(clients).where(eq(clients.id, id))
  if (!row) throw new AppError('NOT_FOUND', 'client not found')
  return toClient(row)
}

export const clientHandlers = {
  'clients.list': async (ctx, input) => {
    // Every word typed is found somewhere: "jens dental" finds Jensen Dental.
    const where = and(
      input.includeArchived ? undefined : isNull(clients.deletedAt),
      ...likeTerms(input.search).map((pattern) =>
        or(
          ilike(clients.name, pattern),
          ilike(clients.email, pattern),
          ilike(clients.phone, pattern),
          ilike(clients.address, pattern),
        ),
      ),
    )
    const dir = input.ordering.startsWith('-') ? desc : asc
    const key = input.ordering.endsWith('created') ? clients.createdAt : clients.name
    return pageOf(ctx.db.db, clients, where, [dir(key), dir(clients.id)], input, toClient)
  },
  'clients.get': (ctx, input) => getClient(ctx.db.db, input.id),
  'clients.create': async (ctx, input) => {
    await requireActor(ctx, 'clients.write')
    const id = uuidv7()
    const { notifyOff, ...fields } = input
    await ctx.db.db.insert(clients).values({
      ...fields,
      ...(notifyOff ? { notifyOff: formatOverrides(notifyOff) } : {}),
      id,
      latitude: coord(input.latitude) ?? null,
      longitude: coord(input.longitude) ?? null,
    })
    return getClient(ctx.db.db, id)
  },
  'clients.update': async (ctx, input) => {
    await requireActor(ctx, 'clients.write')
    const { id, latitude, longitude, notifyOff, ...changes } = input
    return ctx.db.db.transaction(async (tx) => {
      const current = await getClient(tx, id)
      if (current.archived) throw new AppError('CONFLICT', 'restore the client before editing it')
      await tx
        .update(clients)
        .set({
          ...changes,
          ...(notifyOff ? { notifyOff: formatOverrides(notifyOff) } : {}),
          latitude: coord(latitude),
          longitude: coord(longitude),
          updatedAt: sql`now()`,
        } as never)
        .where(eq(clients.id, id))
      return getClient(tx, id)
    })
  },
  'clients.archive': async (ctx, input) => {
    await requireActor(ctx, 'clients.write')
    return ctx.db.db.transaction((tx) =>
      updateRow(
        tx,
        clients,
        input.id,
        { deletedAt: input.archived ? sql`now()` : null },
        getClient,
      ),
    )
  },
} satisfies Partial<Handlers>
