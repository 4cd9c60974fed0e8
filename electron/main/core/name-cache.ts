import { inArray, sql } from 'drizzle-orm'
import type { ServicePriority } from '../../../shared/domain/enums'
import type { DrizzleDb } from './db/create-db'
import { schema } from './db/schema'

type Queryable = Pick<DrizzleDb, 'select'>

/**
 * Client and service names by id, for results too large to join cheaply (a calendar
 * week). Entries are fetched on first use; the whole cache is dropped whenever the
 * trigger-maintained `names` counter moves, so any change to clients or services —
 * from a handler, an import or a sync — is seen on the next read. Callers read the
 * counter in the same statement as their data (`NameCache.versionSql`), so data and
 * version are one snapshot.
 */
export class NameCache {
  static readonly versionSql = sql<number>`(select ${schema.changeCounters.n}
    from ${schema.changeCounters} where ${schema.changeCounters.name} = 'names')`

  private version = -1
  private clients = new Map<string, string>()
  private services = new Map<string, { name: string; priority: ServicePriority }>()

  /** Makes sure every id is known, given the counter read with the data. */
  async resolve(db: Queryable, version: number, clientIds: string[], serviceIds: string[]) {
    const { clients, services } = schema
    if (version !== this.version) {
      this.clients.clear()
      this.services.clear()
      this.version = version
    }
    const missingClients = unknown(clientIds, this.clients)
    if (missingClients.length) {
      const rows = await db
        .select({ id: clients.id, name: clients.name })
        .from(clients)
        .where(inArray(clients.id, missingClients))
      for (const r of rows) this.clients.set(r.id, r.name)
    }
    const missingServices = unknown(serviceIds, this.services)
    if (missingServices.length) {
      const rows = await db
        .select({ id: services.id, name: services.name, priority: services.priority })
        .from(services)
        .where(inArray(services.id, missingServices))
      for (const r of rows) {
        this.services.set(r.id, { name: r.name, priority: r.priority as ServicePriority })
      }
    }
  }

  client(id: string): string {
    return this.clients.get(id) ?? ''
  }

  service(id: string): { name: string; priority: ServicePriority } {
    return this.services.get(id) ?? { name: '', priority: 'MEDIUM' }
  }
}

function unknown(ids: string[], known: Map<string, unknown>): string[] {
  const missing = new Set<string>()
  for (const id of ids) if (!known.has(id)) missing.add(id)
  return [...missing]
}
