import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Files the core reads at run time: the migration history and the database template. */
export interface CoreResources {
  migrationsFolder: string
  /**
   * Where `npm run db:template` puts a migrated, empty database: `pgdata/` (copied on
   * a first launch), `pgdata.tgz` (loaded by in-memory databases) and `manifest.json`.
   * Optional: without it a new database is made by initdb.
   */
  templateDir: string | null
}

export function resourcesAt(root: string): CoreResources {
  return {
    migrationsFolder: join(root, 'drizzle', 'migrations'),
    templateDir: join(root, 'build', 'db-template'),
  }
}

/** How the running app was started: what Electron's `app` and `process` say about it. */
export interface AppLayout {
  /** `app.isPackaged`: running from an installed build rather than the source tree. */
  isPackaged: boolean
  /** `process.resourcesPath`: the installed app's resources folder (beside app.asar). */
  resourcesPath: string
  /** `app.getAppPath()`: the source tree when unpackaged (inside app.asar when packaged). */
  appPath: string
}

/**
 * The folder the app's run-time files are read from. Packaged, electron-builder's
 * `extraResources` copy them, as real files outside app.asar, to
 * `<resources>/app-resources` (electron-builder.yml keeps the same layout below it:
 * `drizzle/migrations`, `build/db-template`, `build/icons`); PGlite and the migrator
 * read them with plain `fs`, which is why they are not inside the archive. Unpackaged,
 * they are read from the source tree.
 */
export function appResourcesRoot(layout: AppLayout): string {
  return layout.isPackaged ? join(layout.resourcesPath, 'app-resources') : layout.appPath
}

/** Everything the desktop app reads from disk at run time, for the given layout. */
export function appResources(layout: AppLayout): CoreResources & { windowIcon: string } {
  const root = appResourcesRoot(layout)
  return { ...resourcesAt(root), windowIcon: join(root, 'build', 'icons', '512x512.png') }
}

/**
 * The icon to give the window: on Linux the window manager shows only what the window
 * carries; on Windows an installed app's executable already holds the multi-size .ico
 * (Electron's advice is to leave it to the executable), so the PNG is for development
 * only; macOS takes the Dock icon from the app bundle and ignores it.
 */
export function windowIconFor(
  layout: AppLayout & { platform: NodeJS.Platform },
  icon: string,
): string | undefined {
  if (layout.platform === 'linux') return icon
  if (layout.platform === 'win32' && !layout.isPackaged) return icon
  return undefined
}

/** The repository's own resources, for scripts and tests run from the source tree. */
export function sourceResources(): CoreResources {
  return resourcesAt(sourceRoot())
}

export function sourceRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
}

/** The app's version, as the source tree's package.json gives it. */
export function sourceVersion(): string {
  return (
    JSON.parse(readFileSync(join(sourceRoot(), 'package.json'), 'utf8')) as { version: string }
  ).version
}
