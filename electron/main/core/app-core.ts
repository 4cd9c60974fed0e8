import { eq } from 'drizzle-orm'
import type { BackfillProgress } from '../../../drizzle/runner/backfill-priority'
import { type CrewAlert, crewAlert } from '../../../shared/notifications/crew-alerts'
import { SESSION_KEY } from './auth'
import { ChangeFeed } from './changes'
import type { AppContext } from './context'
import { createDb, type Db, type Durability } from './db/create-db'
import { schema } from './db/schema'
import { businessTimeZone } from './handlers/business-zone'
import { log } from './log'
import { NameCache } from './name-cache'
import { LocalNotifier, type LocalNotifierOptions } from './notify/local'
import { fileSecretBox, type SecretBox } from './notify/secrets'
import type { CoreResources } from './paths'
import { SeriesHorizon } from './series/horizon'
import { SyncEngine, type SyncEngineOptions } from './sync/engine'
import type { JobChange } from './sync/store'
import { LocalWeather, type LocalWeatherOptions } from './weather/local'

/**
 * Opens the core as the desktop app, the browser bridge and the benchmarks use it:
 * the database in `dataDir` (migrated, with the priority backfill run when an old
 * database needs it) and the context handed to every handler.
 */
export interface OpenCoreOptions {
  dataDir: string | null
  resources: CoreResources
  version: string
  durability?: Durability
  onBackfillProgress?: (p: BackfillProgress) => void
  sync?: SyncEngineOptions
  /** false: never sync in the background (command-line tools). */
  startSync?: boolean
  /** How the providers' secrets are sealed (default: a key file in the data folder). */
  secrets?: SecretBox
  /** The local notification sender's options; false: it never runs (command-line tools). */
  notify?: LocalNotifierOptions | false
  /**
   * The local forecast refresh's options: it runs on its own only when given (the app and
   * the bridge), since it reaches for the weather service; elsewhere it runs on request.
   */
  weather?: LocalWeatherOptions | false
}

export async function openCore(opts: OpenCoreOptions): Promise<AppContext> {
  const durability = opts.durability ?? 'fsync'
  const db = await createDb({
    dataDir: opts.dataDir,
    resources: opts.resources,
    durability,
    ...(opts.onBackfillProgress ? { backfill: { onProgress: opts.onBackfillProgress } } : {}),
  })
  const changes = new ChangeFeed()
  const ctx: AppContext = {
    db,
    resources: opts.resources,
    version: opts.version,
    durability,
    location: opts.dataDir ?? 'in memory',
    session: { userId: await savedUser(db), activeAt: 0 },
    names: new NameCache(),
    sync: new SyncEngine(() => ctx.db, {
      ...opts.sync,
      watchJobs: async () => (await crewOfSession(ctx)) !== null,
      onApplied: (tables, jobs) => {
        ctx.horizon.pulled(tables)
        // A pulled change reaches the screens whatever merged it, with the crew lead's
        // notices of their crew's jobs it changed.
        void crewAlerts(ctx, jobs ?? [])
          .catch(() => [])
          .then((alerts) => ctx.changes.emit(tables, alerts))
        opts.sync?.onApplied?.(tables, jobs)
      },
      // The link's state reaches the screens: a round begun only as such (`sync_link`,
      // which no query reads), a round ended as a change of `sync_state` (the conflicts
      // list, the session's cap, follow it).
      onStatus: (settled) => {
        ctx.changes.emit([settled ? 'sync_state' : 'sync_link'])
        opts.sync?.onStatus?.(settled)
      },
    }),
    changes,
    secrets: opts.secrets ?? fileSecretBox(opts.dataDir),
    notifier: undefined as unknown as LocalNotifier,
    weather: undefined as unknown as LocalWeather,
    horizon: undefined as unknown as SeriesHorizon,
  }
  ctx.horizon = new SeriesHorizon(() => ctx.db, changes, {
    onError: (e) => log.warn('series', 'extending the visits ahead failed', { error: e }),
  })
  ctx.notifier = new LocalNotifier(() => ctx.db, ctx.secrets, changes, {
    onError: (e) => log.warn('notifications', 'sending failed', { error: e }),
    ...(opts.notify || {}),
  })
  ctx.weather = new LocalWeather(() => ctx.db, changes, {
    onRiskChanged: (id, weather) => ctx.notifier.weatherChanged(id, weather),
    onError: (e) => log.warn('weather', 'forecast refresh failed', { error: e }),
    ...(opts.weather || {}),
  })
  if (opts.startSync !== false) await ctx.sync.start()
  if (opts.startSync !== false) ctx.horizon.start()
  if (opts.notify !== false && opts.startSync !== false) ctx.notifier.start()
  if (opts.weather && opts.startSync !== false) ctx.weather.start()
  return ctx
}

/** The notices for the crew lead signed in here, of their crew's jobs a pull changed. */
async function crewAlerts(ctx: AppContext, jobs: readonly JobChange[]): Promise<CrewAlert[]> {
  if (!jobs.length) return []
  const crew = await crewOfSession(ctx)
  if (!crew) return []
  const zone = await businessTimeZone(ctx.db.db)
  const now = Date.now()
  return jobs.flatMap((j) => crewAlert(j.before, j.after, crew, now, zone) ?? [])
}

/** The crew of the crew lead signed in here, or null for anyone else. */
async function crewOfSession(ctx: AppContext): Promise<string | null> {
  if (!ctx.session.userId) return null
  const [user] = await ctx.db.db
    .select({ role: schema.users.role, crew: schema.users.teamMemberId })
    .from(schema.users)
    .where(eq(schema.users.id, ctx.session.userId))
  return user?.role === 'crew_lead' ? user.crew : null
}

/** Stops the sync loop and closes the database (in that order: a round may be running). */
export async function closeCore(ctx: AppContext): Promise<void> {
  await ctx.horizon.stop()
  await ctx.weather.stop()
  await ctx.notifier.stop()
  await ctx.sync.stop()
  await ctx.db.close()
}

/** Who was using this laptop when it was last closed. */
export async function savedUser(db: Db): Promise<string | null> {
  const [saved] = await db.db
    .select({ value: schema.appSettings.value })
    .from(schema.appSettings)
    .where(eq(schema.appSettings.key, SESSION_KEY))
  return typeof saved?.value === 'string' ? saved.value : null
}
