import { inArray, sql } from 'drizzle-orm'
import type { ServicePriority } from '../../../shared/domain/enums'
import type { DrizzleDb } from './db/create-db'
import { schema } from './db/schema'

type Queryable = Pick<DrizzleDb, 'select'>

/**
 * Client, service and crew member names by id, for results too large to join cheaply (a
 * calendar week) or read too often to plan a join each time (a page of the list).
 * Entries are fetched on first use; the whole cache is dropped whenever the
 * trigger-maintained `names` counter moves, so any change to clients, services or crew
 * members — from a handler, an import or a sync — is seen on the next read. Callers read the
 * counter in the same statement as their data (`NameCache.versionSql`), so data and
 * version are one snapshot.
 */
export class NameCache {
  static readonly versionSql = sql<number>`(select ${schema.changeCounters.n}
    from ${schema.changeCounters} where ${schema.changeCounters.name} = 'names')`

  private version = -1
  private clients = new Map<string, string>()
  private services = new Map<string, { name: string; priority: ServicePriority }>()
  private members = new Map<string, { name: string; color: string }>()

  /** Makes sure every id is known, given the counter read with the data. */
  async resolve(
    db: Queryable,
    version: number,
    clientIds: string[],
    serviceIds: string[],
    memberIds: string[] = [],
  ) {
    const { clients, services, teamMembers } = schema
    if (version !== this.version) {
      this.clients.clear()
      this.services.clear()
      this.members.clear()
      this.version = version
    }
    const missingMembers = unknown(memberIds, this.members)
    if (missingMembers.length) {
      const rows = await db
        .select({ id: teamMembers.id, name: teamMembers.name, color: teamMembers.color })
        .from(teamMembers)
        .where(inArray(teamMembers.id, missingMembers))
      for (const r of rows) this.members.set(r.id, { name: r.name, color: r.color })
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

  member(id: string): { name: string; color: string } | null {
    return this.members.get(id) ?? null
  }
}

function unknown(ids: string[], known: Map<string, unknown>): string[] {
  const missing = new Set<string>()
  for (const id of ids) if (!known.has(id)) missing.add(id)
  return [...missing]
}
