import { eq } from 'drizzle-orm'
import type { BackfillProgress } from '../../../drizzle/runner/backfill-priority'
import { SESSION_KEY } from './auth'
import { ChangeFeed } from './changes'
import type { AppContext } from './context'
import { createDb, type Db, type Durability } from './db/create-db'
import { schema } from './db/schema'
import { NameCache } from './name-cache'
import { LocalNotifier, type LocalNotifierOptions } from './notify/local'
import { fileSecretBox, type SecretBox } from './notify/secrets'
import type { CoreResources } from './paths'
import { SyncEngine, type SyncEngineOptions } from './sync/engine'

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
      onApplied: (tables) => {
        // A pulled change reaches the screens whatever merged it.
        ctx.changes.emit(tables)
        opts.sync?.onApplied?.(tables)
      },
    }),
    changes,
    secrets: opts.secrets ?? fileSecretBox(opts.dataDir),
    notifier: undefined as unknown as LocalNotifier,
  }
  ctx.notifier = new LocalNotifier(() => ctx.db, ctx.secrets, changes, {
    onError: (e) => console.error('notifications', (e as Error)?.message),
    ...(opts.notify || {}),
  })
  if (opts.startSync !== false) await ctx.sync.start()
  if (opts.notify !== false && opts.startSync !== false) ctx.notifier.start()
  return ctx
}

/** Stops the sync loop and closes the database (in that order: a round may be running). */
export async function closeCore(ctx: AppContext): Promise<void> {
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
