import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadMigrations } from '../../../../drizzle/runner/migrations'
import type { CoreResources } from '../paths'

/** Identifies a migration history: a template is usable only for the history it was built from. */
export function templateFingerprint(resources: CoreResources): string {
  const hash = createHash('sha256')
  for (const m of loadMigrations(resources.migrationsFolder)) hash.update(m.hash)
  return hash.digest('hex')
}

export const templateFiles = (dir: string) => ({
  dataDir: join(dir, 'pgdata'),
  tarball: join(dir, 'pgdata.tgz'),
  manifest: join(dir, 'manifest.json'),
})

export function templateIsCurrent(resources: CoreResources): boolean {
  if (!resources.templateDir) return false
  const files = templateFiles(resources.templateDir)
  if (![files.dataDir, files.tarball, files.manifest].every((f) => existsSync(f))) return false
  try {
    const manifest = JSON.parse(readFileSync(files.manifest, 'utf8')) as { fingerprint?: string }
    return manifest.fingerprint === templateFingerprint(resources)
  } catch {
    return false
  }
}
