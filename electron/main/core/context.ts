import type { ChangeFeed } from './changes'
import type { Db, Durability } from './db/create-db'
import type { NameCache } from './name-cache'
import type { LocalNotifier } from './notify/local'
import type { SecretBox } from './notify/secrets'
import type { CoreResources } from './paths'
import type { SeriesHorizon } from './series/horizon'
import type { SyncEngine } from './sync/engine'
import type { LocalWeather } from './weather/local'

/** What every handler receives: built once at start-up, never a module-level singleton. */
export interface AppContext {
  /** Replaced (not mutated) when a backup is restored. */
  db: Db
  resources: CoreResources
  version: string
  durability: Durability
  /** Where the data lives, as shown to the user ("in memory" for throwaway databases). */
  location: string
  /**
   * Who is using this laptop (a local user's id, persisted in app_settings) and when
   * they were last active (epoch ms, in memory only: see `auth.ts` on idle sessions).
   */
  session: { userId: string | null; activeAt: number }
  /** Client and service names for large results (the calendar). */
  names: NameCache
  /** The background sync with the central server (idle until one is configured). */
  sync: SyncEngine
  /** "Changed" notices for the screens: which tables a write, a pull or a restore touched. */
  changes: ChangeFeed
  /** Seals the providers' secrets (the system keychain in the app, a key file elsewhere). */
  secrets: SecretBox
  /** Sends clients' messages from this laptop while it has no sync server. */
  notifier: LocalNotifier
  /** Refreshes the forecast cache from this laptop while it has no sync server. */
  weather: LocalWeather
  /** Books series' visits ahead as days pass and as series rows arrive. */
  horizon: SeriesHorizon
}
