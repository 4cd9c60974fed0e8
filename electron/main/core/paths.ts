import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Files the core reads at run time: the migration history and the database template. */
export interface CoreResources {
  migrationsFolder: string
  /** A migrated, empty data directory dumped by `npm run db:template`; optional. */
  templatePath: string | null
}

export function resourcesAt(root: string): CoreResources {
  return {
    migrationsFolder: join(root, 'drizzle', 'migrations'),
    templatePath: join(root, 'build', 'db-template', 'pgdata.tgz'),
  }
}

/** The repository's own resources, for scripts and tests run from the source tree. */
export function sourceResources(): CoreResources {
  return resourcesAt(sourceRoot())
}

export function sourceRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
}
