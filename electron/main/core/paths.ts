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

/** The repository's own resources, for scripts and tests run from the source tree. */
export function sourceResources(): CoreResources {
  return resourcesAt(sourceRoot())
}

export function sourceRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
}
