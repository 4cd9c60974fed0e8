import { eq, inArray } from 'drizzle-orm'
import type { ServicePriority } from '../../../shared/domain/enums'
import type { DrizzleDb } from './db/create-db'
import { schema } from './db/schema'

type Queryable = Pick<DrizzleDb, 'select'>

/**
 * Client and service names by id, for results too large to join cheaply (a calendar
 * week). Entries are fetched on first use; the whole cache is dropped whenever the
 * trigger-maintained `names` counter moves, so any change to clients or services —
 * from a handler, an import or a sync — is seen on the next read.
 */
export class NameCache {
  private version = -1
  private clients = new Map<string, string>()
  private services = new Map<string, { name: string; priority: ServicePriority }>()

  /** Call once per read, before `client` / `service`. */
  async refresh(db: Queryable, clientIds: Iterable<string>, serviceIds: Iterable<string>) {
    const { changeCounters: cc, clients, services } = schema
    const [row] = await db.select({ n: cc.n }).from(cc).where(eq(cc.name, 'names'))
    const version = row?.n ?? 0
    if (version !== this.version) {
      this.clients.clear()
      this.services.clear()
      this.version = version
    }
    const missingClients = [...new Set(clientIds)].filter((id) => !this.clients.has(id))
    if (missingClients.length) {
      const rows = await db
        .select({ id: clients.id, name: clients.name })
        .from(clients)
        .where(inArray(clients.id, missingClients))
      for (const r of rows) this.clients.set(r.id, r.name)
    }
    const missingServices = [...new Set(serviceIds)].filter((id) => !this.services.has(id))
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
