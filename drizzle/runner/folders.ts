import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The domain migration history in the source tree, for code run from it (the server,
 * commands, tests). The packaged desktop app finds its copy through its own resources
 * path instead: its code is bundled and no longer sits beside this folder.
 */
export const DOMAIN_MIGRATIONS_FOLDER = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'migrations',
)
