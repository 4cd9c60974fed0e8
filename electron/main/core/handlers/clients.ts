import { and, asc, desc, eq, ilike, isNull, or, sql } from 'drizzle-orm'
import type { Client } from '../../../../shared/contract/clients'
import { uuidv7 } from '../../../../shared/domain/ids'
import { likePattern, searchTerms, wordStartPatterns } from '../../../../shared/domain/search-terms'
import { AppError } from '../../../../shared/errors'
import {
  formatOverrides,
  parseOverrides,
  smsNumberProblem,
} from '../../../../shared/notifications/preferences'
import { requireActor } from '../auth'
import type { DrizzleDb } from '../db/create-db'
import { schema } from '../db/schema'
import { pageOf, updateRow } from './paging'
import { iso } from './rows'
import type { Handlers } from './types'

const { clients } = schema

/** A term written as part of a phone number (3 digits or more), as its digits alone. */
function phoneDigits(term: string): string | null {
  if (!/^[\d\s().+-]+$/.test(term)) return null
  const digits = term.replace(/\D/g, '')
  return digits.length >= 3 ? digits : null
}

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
    // Every word typed is found somewhere: "jens dental" finds Jensen Dental. A number is
    // found in the postcode, and in the phone however either is spaced or dashed
    // ("5551557" finds "555-1557").
    const where = and(
      input.includeArchived ? undefined : isNull(clients.deletedAt),
      ...searchTerms(input.search).map((term) => {
        const pattern = likePattern(term)
        const digits = phoneDigits(term)
        return or(
          ilike(clients.name, pattern),
          ilike(clients.email, pattern),
          ilike(clients.phone, pattern),
          ilike(clients.address, pattern),
          ilike(clients.postalCode, pattern),
          ...(digits
            ? [sql`regexp_replace(${clients.phone}, '[^0-9]', '', 'g') LIKE ${`%${digits}%`}`]
            : []),
        )
      }),
    )
    const dir = input.ordering.startsWith('-') ? desc : asc
    const key = input.ordering.endsWith('created') ? clients.createdAt : clients.name
    // By name, what was typed ranks the list: names in which every word typed starts a
    // word first ("Victor O" puts Victor O'Brien before a Chen whose email is victor.chen@),
    // then names holding every word, then clients found by their other fields.
    const terms = searchTerms(input.search)
    const ranked =
      terms.length && key === clients.name
        ? [
            asc(sql`CASE
              WHEN ${and(
                ...terms.map((t) => {
                  const [start, inside] = wordStartPatterns(t)
                  return or(ilike(clients.name, start), ilike(clients.name, inside))
                }),
              )} THEN 0
              WHEN ${and(...terms.map((t) => ilike(clients.name, likePattern(t))))} THEN 1
              ELSE 2 END`),
          ]
        : []
    return pageOf(
      ctx.db.db,
      clients,
      where,
      [...ranked, dir(key), dir(clients.id)],
      input,
      toClient,
    )
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
      // Checked when the number or the opt-in changes: an old number is not refused on
      // every other edit.
      const sms =
        changes.phone !== undefined || changes.notifySms !== undefined
          ? smsNumberProblem({
              phone: changes.phone !== undefined ? changes.phone : current.phone,
              notifySms: changes.notifySms ?? current.notifySms,
            })
          : null
      if (sms)
        throw new AppError('VALIDATION', 'the client cannot be saved', [
          { path: 'phone', message: sms },
        ])
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
