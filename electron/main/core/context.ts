import type { Db, Durability } from './db/create-db'
import type { NameCache } from './name-cache'

/** What every handler receives: built once at start-up, never a module-level singleton. */
export interface AppContext {
  db: Db
  version: string
  durability: Durability
  /** Where the data lives, as shown to the user ("in memory" for throwaway databases). */
  location: string
  /** Who is using this laptop (a local user's id), persisted in app_settings. */
  session: { userId: string | null }
  /** Client and service names for large results (the calendar). */
  names: NameCache
}
